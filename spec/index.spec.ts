// The package entry point: every core name listed below (grouped as in lib/index.ts) is exported, and every
// public symbol in lib/ carries a doc comment with a `@see` line (docs/ARCHITECTURE.md#conventions).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as asyncio from '../lib';

const CORE_NAMES = [
  // Coroutines, futures, tasks, handles
  'iscoroutine', 'isFuture', 'ensureFuture', 'wrapPromise', 'Future', 'Task', 'createTask', 'currentTask',
  'allTasks', 'Handle', 'TimerHandle',
  // Loops, runners, the virtual clock
  'EventLoop', 'newEventLoop', 'getRunningLoop', 'getEventLoop', 'setEventLoop', 'eagerTaskFactory',
  'run', 'Runner', 'runSync', 'VirtualClock',
  // sleep, gather, TaskGroup
  'sleep', 'gather',
  'TaskGroup',
  // Combinators
  'wait', 'waitFor', 'asCompleted', 'FIRST_COMPLETED', 'FIRST_EXCEPTION', 'ALL_COMPLETED', 'timeout',
  'timeoutAt', 'Timeout', 'TimeoutState', 'shield',
  // Errors
  'CancelledError', 'TimeoutError', 'InvalidStateError', 'IncompleteReadError', 'LimitOverrunError',
  'QueueEmpty', 'QueueFull', 'QueueShutDown', 'BrokenBarrierError', 'ExceptionGroup', 'OSError',
  'BlockingIOError', 'ConnectionError', 'ConnectionResetError', 'ConnectionRefusedError',
  'ConnectionAbortedError', 'BrokenPipeError',
  // Synchronisation and queues
  'Lock', 'Event', 'Condition', 'Semaphore', 'BoundedSemaphore', 'Barrier', 'Queue', 'PriorityQueue',
  'LifoQueue',
  // I/O (first layer: selector, sockets, the selector loop)
  'EVENT_READ', 'EVENT_WRITE', 'SelectorKey', 'Selector', 'DefaultSelector', 'Socket', 'SelectorEventLoop',
  // Transports and protocols
  'Protocol', 'BaseProtocol', 'BaseTransport', 'SelectorSocketTransport', 'Server',
  // Streams (streams.py)
  'StreamReader', 'StreamWriter', 'StreamReaderProtocol', 'FlowControlMixin', 'openConnection', 'startServer',
  'openUnixConnection', 'startUnixServer',
  // Unix sockets (issue 5)
  'AF_UNIX', 'FileNotFoundError',
  // OS errors from a code or an errno number
  'osError', 'errnoError',
];

const LIB = path.join(__dirname, '..', 'lib');

/** Exported declarations of a file, with the text just before each (where its doc comment is). */
function exportedDeclarations(file: string): { name: string; before: string }[] {
  const src = fs.readFileSync(file, 'utf8');
  const out: { name: string; before: string }[] = [];
  const re = /^export\s+(?:declare\s+)?(?:abstract\s+)?(?:class|function\*?|interface|type|const|let|enum)\s+([A-Za-z_$][\w$]*)/gm;
  const seen = new Set<string>();
  for (let m = re.exec(src); m !== null; m = re.exec(src)) {
    const name = m[1];
    if (seen.has(name)) continue; // overloads: the first signature carries the doc
    seen.add(name);
    out.push({ name, before: src.slice(Math.max(0, m.index - 1500), m.index) });
  }
  return out;
}

describe('index', () => {
  test.each(CORE_NAMES)('exports %s', (name) => {
    expect((asyncio as Record<string, unknown>)[name]).toBeDefined();
  });

  test('every public export in lib/ has a doc comment with @see (internal ones are marked @internal)', () => {
    const missing: string[] = [];
    // Every folder of lib/ (lib/io/, lib/internal/ ...), not only the top level.
    const files = fs.readdirSync(LIB, { recursive: true, encoding: 'utf8' })
      .map((f) => f.replace(/\\/g, '/'))
      .filter((f) => f.endsWith('.ts') && f !== 'index.ts');
    for (const f of files) {
      for (const { name, before } of exportedDeclarations(path.join(LIB, f))) {
        const doc = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*$/.exec(before)?.[1];
        if (doc === undefined) missing.push(`${f}: ${name} has no doc comment`);
        else if (!doc.includes('@internal') && !doc.includes('@see')) {
          missing.push(`${f}: ${name} has no @see`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
