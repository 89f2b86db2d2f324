// TraceRecorder({ stacks: true }) (lib/trace/stacks.ts): each step that ends waiting on a future
// records the JS stack of its await (the coroutine chain with file:line); without the option nothing
// is captured and Future.prototype.next is the original, so the loop pays nothing.
import { Event, Future, VirtualClock, createTask, runSync, sleep, type Coroutine } from '../../lib';
import { TraceRecorder, type TraceEvent } from '../../lib/trace';

type Step = Extract<TraceEvent, { kind: 'step' }>;

function* outer(): Coroutine {
  const ev = new Event();
  function* sleeper(): Coroutine {
    yield* napping();
    ev.set();
  }
  function* napping(): Coroutine {
    yield* sleep(1);
  }
  const t = createTask(sleeper());
  yield* ev.wait();
  yield* t;
}

const originalNext = Future.prototype.next;

function steps(rec: TraceRecorder): Step[] {
  return rec.trace.events.filter((e): e is Step => e.kind === 'step');
}

describe('TraceRecorder stacks', () => {
  test('stacks: true: a suspended step has the stack of its await, innermost first, with this file\'s lines; others have null', () => {
    const rec = new TraceRecorder({ stacks: true });
    let during: unknown = null;
    function* main(): Coroutine {
      during = Future.prototype.next;
      yield* outer();
    }
    runSync(main(), { clock: new VirtualClock(), trace: rec });
    expect(during).not.toBe(originalNext); // the await point is wrapped while the run records stacks
    expect(Future.prototype.next).toBe(originalNext); // and put back after
    const byAwait = new Map(steps(rec).filter((s) => s.outcome === 'suspended').map((s) => [s.awaiting, s.stack]));
    const frames = (label: string): string[] => (byAwait.get(label) ?? '').split('\n').map((l) => /^at (?:\S+\.)?(\w+) /.exec(l)?.[1] ?? l);
    // the sleeper's sleep(1): sleep's coroutine, then napping, then sleeper (the chain of yield* delegations); nothing of the loop
    expect(frames('sleep(1)')).toEqual(['next', 'napping', 'sleeper']);
    expect(byAwait.get('sleep(1)')).toMatch(/^at SleepCoroutine\.next .*\nat napping \(.*stacks\.spec\.ts:\d+:\d+\)\nat sleeper \(.*stacks\.spec\.ts:\d+:\d+\)$/);
    // main's Event.wait inside outer(): Event.wait's coroutine, then outer, then main
    expect(frames('Event.wait')).toEqual(['next', 'outer', 'main']);
    // finished steps record no await
    expect(steps(rec).filter((s) => s.outcome === 'returned').every((s) => s.stack === null || s.stack === undefined)).toBe(true);
    // the Chrome JSON carries it in the step slice's args
    const slices = rec.toChromeTrace().traceEvents as { cat?: string; args?: { stack?: unknown } }[];
    const suspended = steps(rec).filter((s) => s.outcome === 'suspended');
    expect(suspended).toHaveLength(2); // sleeper in sleep(1), main in Event.wait (the task it then awaits is done)
    expect(slices.filter((e) => e.cat === 'step' && typeof e.args?.stack === 'string')).toHaveLength(2);
  });

  test('off by default: no stack in the trace, and the await point is never wrapped', () => {
    const rec = new TraceRecorder();
    let during: unknown = null;
    function* main(): Coroutine {
      during = Future.prototype.next;
      yield* outer();
    }
    runSync(main(), { clock: new VirtualClock(), trace: rec });
    expect(during).toBe(originalNext);
    expect(steps(rec).some((s) => 'stack' in s)).toBe(false);
    expect(JSON.stringify(rec.toChromeTrace())).not.toContain('"stack"');
  });

  test('stacks: true must be a boolean', () => {
    expect(() => new TraceRecorder({ stacks: 1 as unknown as boolean })).toThrow(TypeError);
  });
});
