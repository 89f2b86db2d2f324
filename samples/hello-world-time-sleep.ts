// Source: the seed article "並行処理: #1 asyncio" (sakakibara, 2024-05-30), section 具体例
// (examples), second program; the Python original is hello-world-time-sleep.py next to this file.
// Shows: the same output as hello-world.ts without asyncio. time.sleep(1) blocks the whole thread,
// so nothing else can run during that second; that is the difference the article points out.
// No tsyncio here: like the Python, this is a plain function with a blocking sleep.

// Python's `time.sleep(seconds)`: Atomics.wait parks the thread, as time.sleep does.
const time = {
  sleep(seconds: number): void {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, seconds * 1000);
  },
};

export function main(): void {
  console.log('Hello ...');
  time.sleep(1);
  console.log('...world!');
}

if (require.main === module) main();
