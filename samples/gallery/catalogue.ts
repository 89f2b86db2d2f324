// The catalogue of samples: which ports the gallery (samples/gallery/index.ts) and
// spec/samples.spec.ts run, in which order, and where their files are. Each entry names a
// `samples/<name>.ts` port and its CPython original `samples/<name>.py`, or a client/server pair of
// them; the files themselves say what they show in their opening comment, which `openingComment`
// reads for the gallery. Add a new sample here. TESTING_SAMPLES lists the programs of
// samples/testing/, which have no Python original and are run alone.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** One sample: `samples/<name>.py` and its port `samples/<name>.ts`, or a client/server pair of them. */
export interface SampleInfo {
  /** The kebab-case base name of the two files. */
  name: string;
  /** One line saying what the sample shows. */
  description: string;
  /**
   * Compare stdout only: the two programs are expected to differ on stderr (e.g. Python's
   * "coroutine ... was never awaited" warning, which tsyncio cannot give).
   */
  stdoutOnly?: boolean;
  /**
   * A client/server pair instead of one program: `samples/<server>.py|ts` is started with the port
   * to listen on as its argument (the runner passes 0) and must print its address first, as
   * `Serving on ('127.0.0.1', PORT)` (or `127.0.0.1:PORT`); `samples/<client>.py|ts` is then
   * started with PORT as its argument. The server serves one exchange and exits. `name` names the pair.
   */
  pair?: { server: string; client: string };
}

/** Every sample, in the order the gallery shows them. Add new samples here. */
export const SAMPLES: readonly SampleInfo[] = [
  { name: 'hello-world', description: 'the asyncio hello world: await asyncio.sleep(1) between two prints' },
  { name: 'hello-world-time-sleep', description: 'the same with a blocking time.sleep(1), no asyncio' },
  { name: 'to-thread-blocking', description: 'asyncio.to_thread runs a blocking call in a worker thread while the loop sleeps' },
  {
    name: 'coroutine-not-awaited',
    description: 'calling a coroutine function without await runs nothing',
    stdoutOnly: true,
  },
  { name: 'create-task-await', description: 'create_task(hello()) then await task' },
  { name: 'run-hello', description: 'asyncio.run(hello()) runs the coroutine directly' },
  { name: 'run-until-complete-twice', description: 'run_until_complete twice on one loop: 2 s, not concurrent' },
  { name: 'two-tasks', description: 'two tasks created together run concurrently: 1 s' },
  { name: 'two-tasks-reversed-await', description: 'await task2 before task1: same output, 1 s' },
  { name: 'say-after-sequential', description: 'docs: await say_after twice runs in sequence, 3 s' },
  { name: 'say-after-tasks', description: 'docs: say_after wrapped in create_task runs concurrently, 2 s' },
  { name: 'timeout', description: 'docs: async with asyncio.timeout(1) turns the cancel into TimeoutError, 1 s' },
  { name: 'timeout-reschedule', description: 'docs: timeout(None), then reschedule() to 1 s; expired() afterwards' },
  { name: 'wait-for', description: 'docs: wait_for(eternity(), timeout=1.0) prints timeout!, 1 s' },
  { name: 'shield', description: 'docs: cancelling the waiter of shield(task) leaves the task running, 2 s' },
  { name: 'as-completed', description: 'docs: as_completed gives results fastest first (0.5, 1.0, 1.5 s)' },
  { name: 'taskgroup', description: 'docs: say_after in a TaskGroup; leaving async with waits for both, 2 s' },
  { name: 'gather-return-exceptions', description: 'docs gather (factorial) with return_exceptions: B fails, A and C finish, 3 s' },
  { name: 'contextvar-request-id', description: 'a request ID in a ContextVar: three concurrent requests log their own, 0.7 s' },
  { name: 'queue-workers', description: 'docs Queue example: three workers drain 20 fixed timings; join() after 2.5 s' },
  { name: 'event-wait', description: 'docs Event example: a waiter wakes when main sets the event, 1 s' },
  { name: 'lock-shared-counter', description: 'docs Lock: async with lock makes three read-modify-writes whole, FIFO, 0.6 s' },
  { name: 'semaphore-limit', description: 'docs Semaphore: five downloads, two at a time, first come first served, 0.9 s' },
  { name: 'condition-notify', description: 'docs Condition: notify() one consumer per item, then notify_all(), 1 s' },
  { name: 'barrier', description: 'docs Barrier example: filling 2/3, the third wait passes, draining, filling' },
  { name: 'go-channel-sum', description: 'seed 003: Go goroutines summing into a channel, as tasks and an asyncio.Queue' },
  { name: 'asyncgen-ticker', description: 'PEP 525 ticker(): async for, an async comprehension, and a break under aclosing, 2 s' },
  { name: 'subprocess-lines', description: 'PyMOTW: a child\'s df-like output read line by line with readline(), then wait()' },
  { name: 'subprocess-communicate', description: 'PyMOTW: communicate(input) to `tr`, which sends it back in capitals' },
  { name: 'asynccontextmanager-resource', description: 'docs @asynccontextmanager: open/close printed around the body, also when it raises, 1.7 s' },
  { name: 'async-exit-stack', description: 'docs AsyncExitStack: three connections to a local echo server, closed in reverse order' },
  { name: 'signal-stop-server', description: 'loop.add_signal_handler(SIGTERM) stops a server cleanly; the sample signals itself after 0.5 s' },
  { name: 'ctrl-c-server', description: 'Ctrl-C (self-sent SIGINT) cancels the main task: serve_forever ends, finally runs, KeyboardInterrupt caught' },
  {
    name: 'tcp-echo-streams',
    description: 'docs TCP echo server and client using streams: start_server/open_connection, read, write + drain; one exchange',
    pair: { server: 'tcp-echo-server', client: 'tcp-echo-client' },
  },
  {
    name: 'echo-protocol',
    description: 'docs TCP Echo Server and Client on Protocol: create_server/create_connection, the on_con_lost future',
    pair: { server: 'echo-server-protocol', client: 'echo-client-protocol' },
  },
  { name: 'udp-echo', description: 'docs UDP Echo Server and Client in one program: create_datagram_endpoint, DatagramProtocol, sendto' },
  {
    name: 'selectors-echo',
    description: 'docs selectors echo server, Node form: for (;;) { await sel.select() } with accept/read callbacks; one client',
    pair: { server: 'selectors-echo-server', client: 'sock-echo-client' },
  },
  {
    name: 'sock-echo',
    description: 'an echo server and client on loop.sock_accept/sock_recv/sock_sendall/sock_connect; one exchange',
    pair: { server: 'sock-echo-server', client: 'sock-echo-client' },
  },
  {
    name: 'http',
    description: 'a small HTTP/1.1 server on streams (readuntil the blank line, Content-Length) and the docs HTTP client, GET /',
    pair: { server: 'http-server', client: 'http-client' },
  },
  {
    name: 'tls-streams',
    description: 'TLS echo server and client: ssl= contexts (a CA made with openssl at start), peercert, cipher; one exchange',
    pair: { server: 'tls-echo-server', client: 'tls-echo-client' },
  },
];

/**
 * A program of samples/testing/: one bug of the catalogue of spec/testing/explore-catalogue.spec.ts
 * run through `exploreSync` (found, replayed, shrunk; the fix passes exhaustive mode). It has no
 * Python original, so the side-by-side comparison never sees it: the gallery runs it alone and
 * checks that it exits with 0.
 */
export interface TestingSampleInfo {
  /** The kebab-case base name of `samples/testing/<name>.ts`. */
  name: string;
  /** One line saying what the sample shows. */
  description: string;
}

/** The samples of samples/testing/, in the order the gallery shows them (`npm start -- testing` runs them all). */
export const TESTING_SAMPLES: readonly TestingSampleInfo[] = [
  { name: 'lost-update', description: 'explore finds a lost update on a shared balance; the fix (a Lock) passes every schedule' },
  { name: 'check-then-act-cache', description: 'explore finds two fetches of one cache key; the fix caches the in-flight task' },
  { name: 'missed-notify', description: 'explore finds a Condition.notify before the wait (a deadlock); the fix waits for a predicate' },
  { name: 'queue-consumer-exits-early', description: 'explore finds a Queue consumer exiting before the last item; the fix sends a sentinel' },
  { name: 'unlocked-transfer', description: 'explore finds an unlocked two-step transfer losing money; the fix holds a Lock' },
  { name: 'taskgroup-cleanup-race', description: "explore finds a TaskGroup body's cleanup racing its child; the fix cleans up after the group" },
];

/** The name that stands for every sample of TESTING_SAMPLES on the gallery's command line. */
export const TESTING_GROUP = 'testing';

/** The source and the compiled program of a sample of samples/testing/. */
export function testingSamplePaths(name: string): { ts: string; js: string } {
  const base = repoRoot();
  return {
    ts: path.join(base, 'samples', 'testing', `${name}.ts`),
    js: path.join(base, 'dist', 'samples', 'testing', `${name}.js`),
  };
}

let root: string | undefined;

/** The repository root: the nearest directory above this file holding package.json. */
export function repoRoot(): string {
  if (root !== undefined) return root;
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = up;
  }
  root = dir;
  return dir;
}

/** The Python original and the compiled port of a program in samples/. */
export function samplePaths(name: string): { py: string; ts: string; js: string } {
  const base = repoRoot();
  return {
    py: path.join(base, 'samples', `${name}.py`),
    ts: path.join(base, 'samples', `${name}.ts`),
    js: path.join(base, 'dist', 'samples', `${name}.js`),
  };
}

/** The part a program plays in a sample: the only program, or one side of a client/server pair. */
export type Role = 'main' | 'server' | 'client';

/** The programs of a sample: its one program, or a pair's server and client. */
export function programsOf(sample: SampleInfo): Partial<Record<Role, string>> {
  return sample.pair === undefined ? { main: sample.name } : { server: sample.pair.server, client: sample.pair.client };
}


/**
 * The opening comment of a program's port: the `//` lines at the top of `samples/<program>.ts`,
 * without their `// ` (a sample's header says where it comes from and what it shows); or of `file`.
 */
export function openingComment(program: string, file: string = samplePaths(program).ts): string[] {
  const lines: string[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^\/\/ ?(.*)$/.exec(line.replace(/\r$/, ''));
    if (m === null) break;
    lines.push(m[1]);
  }
  return lines;
}

/** A path relative to the repository root, as the gallery shows it: `samples/hello-world.ts`. */
export function shownPath(file: string): string {
  return path.relative(repoRoot(), file).split(path.sep).join('/');
}

/** The sample called `name`; undefined if there is none. */
export function findSample(name: string, samples: readonly SampleInfo[] = SAMPLES): SampleInfo | undefined {
  return samples.find((s) => s.name === name);
}

/** The edit distance between two names (insertions, deletions, substitutions). */
export function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next.push(Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    }
    row = next;
  }
  return row[b.length];
}

/**
 * The sample names close to a name that is not one, nearest first, at most five: the pairs with a
 * program of that name (`tcp-echo-server` gives `tcp-echo-streams`), names a few edits away (a
 * typo) and names that contain it (`echo` gives the four echo samples).
 */
export function closeNames(name: string, samples: readonly SampleInfo[] = SAMPLES): string[] {
  const wanted = name.toLowerCase();
  const near = samples
    .map((s) => ({ name: s.name, d: Object.values(programsOf(s)).includes(wanted) ? 0 : distance(wanted, s.name) }))
    .filter((c) => c.d <= Math.max(2, Math.floor(wanted.length / 4)) || (wanted.length >= 3 && c.name.includes(wanted)))
    .sort((a, b) => a.d - b.d);
  return near.slice(0, 5).map((c) => c.name);
}
