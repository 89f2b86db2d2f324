import asyncio
import time

def blocking_io(seconds):
    # time.sleep blocks this thread only: the event loop keeps running meanwhile.
    time.sleep(seconds)
    return f"blocking_io slept {seconds} s in another thread"

async def main():
    start = time.monotonic()
    print("started main")
    result, _ = await asyncio.gather(asyncio.to_thread(blocking_io, 1), asyncio.sleep(1))
    print(result)
    print(f"finished main after {round(time.monotonic() - start)} s")

asyncio.run(main())
