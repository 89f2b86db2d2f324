// TraceRecorder (lib/trace/recorder.ts): the Trace data of small programs on the virtual clock,
// whole event lists for seed 002, labels of what tasks await, maxEvents, options.
import { Runner, VirtualClock, runSync, type Coroutine } from '../../lib';
import { TraceRecorder, type Trace, type TraceEvent } from '../../lib/trace';
import { mixed, twoTasks } from './programs';

function record(main: Coroutine): Trace {
  const rec = new TraceRecorder();
  runSync(main, { clock: new VirtualClock(), trace: rec });
  return rec.trace;
}

/** Events without seq/t noise: `kind task detail`. */
function brief(e: TraceEvent): string {
  switch (e.kind) {
    case 'iteration': return `#${e.n} ready=${e.ready} t=${e.t}`;
    case 'schedule': return `schedule ${e.task} ${e.cause}${e.awaited === null ? '' : ` ${e.awaited}`} by=${String(e.by)}`;
    case 'step': return `step ${e.task} ${e.outcome}${e.awaiting === null ? '' : ` ${e.awaiting}`}${e.error === null ? '' : ` ${e.error}`} t=${e.t}-${e.end}`;
    case 'callback': return `callback ${e.type} ${e.label}`;
    case 'wait': return `wait ${e.timeout} t=${e.t}-${e.end}`;
    case 'cancel': return `cancel ${e.task} by=${String(e.by)} ${String(e.message)}`;
  }
}

describe('TraceRecorder', () => {
  test('seed 002 (two tasks taking turns): the tasks in spawn order and the whole event list', () => {
    const trace = record(twoTasks());
    expect(trace.version).toBe(1);
    expect(trace.clock).toBe('virtual');
    expect(trace.dropped).toBe(0);
    expect(trace.tasks.map((t) => [t.id, t.coro, t.parent])).toEqual([
      [1, 'main', null], [2, 'wait1', 1], [3, 'wait2', 1], [4, '_shutdownAsyncgens', null],
    ]);
    expect(trace.events.map((e) => e.seq)).toEqual(trace.events.map((_e, i) => i));
    expect(trace.events.map(brief)).toEqual([
      'schedule 1 spawn by=null',
      '#1 ready=1 t=0', 'step 1 suspended ' + trace.tasks[1].name + ' t=0-0', 'schedule 2 spawn by=2', 'schedule 3 spawn by=2',
      '#2 ready=2 t=0', 'step 2 suspended sleep(1) t=0-0', 'step 3 suspended sleep(1) t=0-0',
      'wait 1 t=0-1',
      '#3 ready=2 t=1', 'callback timer sleep(1)', 'schedule 2 done sleep(1) by=10', 'callback timer sleep(1)', 'schedule 3 done sleep(1) by=12',
      '#4 ready=2 t=1', 'step 2 returned t=1-1', 'schedule 1 done ' + trace.tasks[1].name + ' by=15', 'step 3 returned t=1-1',
      '#5 ready=1 t=1', 'step 1 returned t=1-1',
      '#6 ready=1 t=1', 'callback done stopLoop',
      'schedule 4 spawn by=null', '#7 ready=1 t=1', 'step 4 returned t=1-1', '#8 ready=1 t=1', 'callback done stopLoop',
    ]);
  });

  test('what tasks await is labelled: a task, sleep(<s>), gather(<n>), Event.wait; errors, cancellations and their messages', () => {
    const trace = record(mixed());
    const steps = trace.events.filter((e): e is Extract<TraceEvent, { kind: 'step' }> => e.kind === 'step');
    const awaited = new Set(steps.map((s) => s.awaiting).filter((a) => a !== null));
    expect([...awaited].sort()).toEqual(expect.arrayContaining(['Event.wait', 'gather(2)', 'sleep(0.125)', 'sleep(0.25)', 'sleep(0.5)', 'sleep(100)']));
    const failing = trace.tasks.find((t) => t.coro === 'failing')!;
    expect(steps.filter((s) => s.task === failing.id).map((s) => [s.outcome, s.error])).toEqual([['suspended', null], ['raised', 'RangeError']]);
    const forever = trace.tasks.find((t) => t.coro === 'forever')!;
    expect(steps.filter((s) => s.task === forever.id).map((s) => s.outcome)).toEqual(['suspended', 'cancelled']);
    const cancels = trace.events.filter((e) => e.kind === 'cancel');
    expect(cancels).toHaveLength(1);
    expect(cancels[0]).toMatchObject({ task: forever.id, message: 'enough' });
    const yielded = steps.filter((s) => s.outcome === 'yielded');
    expect(yielded).toHaveLength(1);
    // the re-queue after a bare yield is `by` that step, after everything else the step did (here: the cancel)
    const made = trace.events.filter((e) => 'by' in e && e.by === yielded[0].seq);
    expect(made.map((e) => e.kind)).toEqual(['cancel', 'schedule', 'schedule']);
    expect(made[2]).toMatchObject({ kind: 'schedule', cause: 'yield', task: yielded[0].task });
  });

  test('maxEvents keeps the newest events; seq still counts the dropped ones', () => {
    const rec = new TraceRecorder({ maxEvents: 10 });
    runSync(twoTasks(), { clock: new VirtualClock(), trace: rec });
    const { events, dropped } = rec.trace;
    expect(events.length).toBeLessThanOrEqual(10);
    expect(dropped).toBeGreaterThan(0);
    expect(events[0].seq).toBe(dropped);
    expect(events[events.length - 1].seq).toBe(dropped + events.length - 1);
    rec.clear();
    expect(rec.trace.events).toEqual([]);
  });

  test('options are checked; the trace is a snapshot; a Runner records every run of its loop', () => {
    expect(() => new TraceRecorder({ maxEvents: 0 })).toThrow(RangeError);
    expect(() => new TraceRecorder({ colour: true } as never)).toThrow("TraceRecorder() got an unexpected keyword argument 'colour'");
    expect(() => new TraceRecorder({ stacks: 1 as never })).toThrow(TypeError);
    const rec = new TraceRecorder();
    const runner = new Runner({ clock: new VirtualClock(), trace: rec });
    runner.runSync(twoTasks());
    const first = rec.trace;
    runner.runSync(twoTasks());
    runner.closeSync();
    expect(rec.trace.tasks.filter((t) => t.coro === 'main')).toHaveLength(2);
    expect(first.tasks.filter((t) => t.coro === 'main')).toHaveLength(1);
  });

  test('a real clock says so, and times grow', () => {
    const rec = new TraceRecorder();
    runSync(twoTasks(), { trace: rec });
    expect(rec.trace.clock).toBe('real');
    const w = rec.trace.events.find((e) => e.kind === 'wait');
    expect(w).toBeDefined();
    expect((w as { end: number }).end).toBeGreaterThan((w as { t: number }).t);
  });
});
