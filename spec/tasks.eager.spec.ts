// Python: Lib/test/test_asyncio/test_eager_task_factory.py (3.12; 3.11 has no eager tasks), the
// cases tasks.spec.ts does not already cover. From the docs of asyncio.eager_task_factory: with it,
// a coroutine starts running synchronously inside createTask, up to its first suspension; a task
// that completes synchronously is never scheduled on the loop.
import {
  CancelledError, ContextVar, Task, TaskGroup,
  allTasks, asyncWith, createTask, currentTask, eagerTaskFactory, gather, getRunningLoop, sleep,
  type BaseEventLoop, type Coroutine, type EventLoop, type TaskFactory,
} from '../lib';
import { caught } from './helpers/caught';
import { withVirtualLoop } from './helpers/virtual';

/** Python's EagerTaskFactoryLoopTests.run_coro: run `main` as a task on an eager-factory loop. */
function runEager<T>(main: (loop: EventLoop) => Coroutine<T>, factory: TaskFactory = eagerTaskFactory): T {
  return withVirtualLoop((loop) => {
    loop.setTaskFactory(factory);
    return loop.runUntilCompleteSync(main(loop));
  });
}

describe('eagerTaskFactory (test_eager_task_factory.py)', () => {
  test('test_eager_task_factory_set: the loop uses the factory and createTask gives a Task', () => {
    function* noop(): Coroutine {
      /* nothing */
    }
    runEager(function* () {
      const loop = getRunningLoop();
      expect(loop.getTaskFactory()).toBe(eagerTaskFactory);
      const t = loop.createTask(noop());
      expect(t).toBeInstanceOf(Task);
      yield* t;
    });
  });

  test('test_await_future_during_eager_step: a future set during the eager step is done when createTask returns', () => {
    function* setResult(fut: ReturnType<BaseEventLoop['createFuture']>, val: string): Coroutine {
      fut.setResult(val);
    }
    const r = runEager(function* () {
      const fut = getRunningLoop().createFuture<string>();
      const t = createTask(setResult(fut, 'my message'));
      // the eager step completed the task
      expect(t.done()).toBe(true);
      return yield* fut;
    });
    expect(r).toBe('my message');
  });

  test('test_eager_completion: a coroutine that never suspends is done when createTask returns, and never scheduled', () => {
    function* coro(): Coroutine<string> {
      return 'hello';
    }
    const r = runEager(function* (loop) {
      const readyBefore = loop._ready.length;
      const t = createTask(coro());
      expect(t.done()).toBe(true);
      expect(loop._ready.length).toBe(readyBefore); // nothing was queued for it
      return yield* t;
    });
    expect(r).toBe('hello');
  });

  test('test_block_after_eager_step: a coroutine that suspends gives a pending task that finishes later', () => {
    function* coro(): Coroutine<string> {
      yield* sleep(0.1);
      return 'finished after blocking';
    }
    const r = runEager(function* () {
      const t = createTask(coro());
      expect(t.done()).toBe(false);
      const result = yield* t;
      expect(t.done()).toBe(true);
      return [result, getRunningLoop().time()];
    });
    expect(r).toEqual(['finished after blocking', 0.1]);
  });

  test('test_cancellation_after_eager_completion: cancel() on an eagerly finished task returns false and keeps the result', () => {
    function* coro(): Coroutine<string> {
      return 'finished without blocking';
    }
    const r = runEager(function* () {
      const t = createTask(coro());
      expect(t.cancel()).toBe(false);
      const result = yield* t;
      // finished task can't be cancelled
      expect(t.cancelled()).toBe(false);
      return result;
    });
    expect(r).toBe('finished without blocking');
  });

  test('test_cancellation_after_eager_step_blocks: cancelling a task blocked after its eager step delivers CancelledError with the message', () => {
    function* coro(): Coroutine<string> {
      yield* sleep(0.1);
      return 'finished after blocking';
    }
    const err = caught(() => runEager(function* () {
      const t = createTask(coro());
      t.cancel('cancellation message');
      expect(t.cancelling()).toBeGreaterThan(0);
      yield* t;
    }));
    expect(err).toBeInstanceOf(CancelledError);
    expect((err as CancelledError).args[0]).toBe('cancellation message');
  });

  test('test_current_task: currentTask() is the eager task in its first step and after it blocks', () => {
    let captured: unknown = null;
    let after: unknown = null;
    function* coro(): Coroutine {
      captured = currentTask();
      // verify the task before and after blocking is identical
      yield* sleep(0.1);
      after = currentTask();
    }
    runEager(function* () {
      const me = currentTask();
      const t = createTask(coro());
      expect(captured).toBe(t);
      expect(currentTask()).toBe(me);
      yield* t;
    });
    expect(after).toBe(captured);
  });

  test('test_all_tasks_with_eager_completion: allTasks() lists the task during its eager step, not after it finished', () => {
    let capturedAllTasks: Set<Task<unknown>> | null = null;
    function* coro(): Coroutine {
      capturedAllTasks = allTasks();
    }
    runEager(function* () {
      const t = createTask(coro());
      expect(capturedAllTasks!.has(t)).toBe(true);
      expect(allTasks().has(t)).toBe(false);
    });
  });

  test('test_all_tasks_with_blocking: a task that blocks stays in allTasks() until it finishes', () => {
    let capturedEagerAllTasks: Set<Task<unknown>> | null = null;
    function* coro(fut1: ReturnType<BaseEventLoop['createFuture']>, fut2: ReturnType<BaseEventLoop['createFuture']>): Coroutine {
      capturedEagerAllTasks = allTasks();
      yield* fut1;
      fut2.setResult(null);
    }
    runEager(function* () {
      const loop = getRunningLoop();
      const fut1 = loop.createFuture<null>();
      const fut2 = loop.createFuture<null>();
      const t = createTask(coro(fut1, fut2));
      expect(capturedEagerAllTasks!.has(t)).toBe(true);
      expect(allTasks().has(t)).toBe(true);
      fut1.setResult(null);
      yield* fut2;
      expect(allTasks().has(t)).toBe(false);
    });
  });

  test('test_context_vars: the eager step runs in a copy of the creator context; later steps keep the task own values', () => {
    const cv = new ContextVar<number>('cv', { default: 0 });
    const log: string[] = [];
    function* coro(): Coroutine {
      log.push(`first step sees ${cv.get()}`);
      cv.set(2);
      log.push(`first step set ${cv.get()}`);
      yield* sleep(0.1);
      log.push(`second step sees ${cv.get()}`);
      cv.set(3);
      log.push(`second step set ${cv.get()}`);
    }
    runEager(function* () {
      cv.set(1);
      const t = createTask(coro());
      log.push(`creator sees ${cv.get()}`);
      yield* t;
      log.push(`creator still sees ${cv.get()}`);
    });
    expect(log).toEqual([
      'first step sees 1', 'first step set 2', 'creator sees 1', 'second step sees 2', 'second step set 3', 'creator still sees 1',
    ]);
  });

  test('test_name: the name given to createTask is set before the eager step runs', () => {
    let name: string | null = null;
    function* coro(): Coroutine {
      name = currentTask()!.getName();
    }
    runEager(function* () {
      const task = getRunningLoop().createTask(coro(), { name: 'test name' });
      expect(name).toBe('test name');
      yield* task;
    });
  });

  test('an error thrown in the eager step finishes the task with it, inside createTask', () => {
    class Boom extends Error {
      override readonly name = 'Boom';
    }
    function* coro(): Coroutine {
      throw new Boom('eager boom');
    }
    const r = runEager(function* () {
      const t = createTask(coro());
      expect(t.done()).toBe(true);
      const e = t.exception();
      return [e instanceof Boom, (e as Error).message];
    });
    expect(r).toEqual([true, 'eager boom']);
  });

  test('ordering: eager children run at creation, in creation order, before the creator goes on', () => {
    const log: string[] = [];
    function* child(name: string): Coroutine {
      log.push(`${name} start`);
      yield* sleep(0);
      log.push(`${name} resumed`);
    }
    runEager(function* () {
      const a = createTask(child('a'));
      log.push('created a');
      const b = createTask(child('b'));
      log.push('created b');
      yield* gather(a, b);
      log.push('gathered');
    });
    expect(log).toEqual(['a start', 'created a', 'b start', 'created b', 'a resumed', 'b resumed', 'gathered']);
  });
});

describe('task counting (BaseTaskCountingTests), adapted', () => {
  function* recursiveTaskgroups(width: number, depth: number): Coroutine {
    if (depth === 0) return;
    yield* asyncWith(new TaskGroup(), function* (tg) {
      for (let i = 0; i < width; i++) tg.createTask(recursiveTaskgroups(width, depth - 1));
    });
  }
  function* recursiveGather(width: number, depth: number): Coroutine {
    if (depth === 0) return;
    yield* gather(...Array.from({ length: width }, () => recursiveGather(width, depth - 1)));
  }
  function* awaitableChain(depth: number): Coroutine<number> {
    if (depth === 0) return 0;
    return 1 + (yield* awaitableChain(depth - 1));
  }

  /** A factory that counts the tasks it makes and those already done when made. */
  function counting(eager: boolean): { factory: TaskFactory; made: number; doneAtCreation: number } {
    const c = {
      made: 0,
      doneAtCreation: 0,
      factory: ((loop, coro, opts) => {
        const t = new Task(coro, { loop, name: opts?.name, context: opts?.context, eagerStart: eager });
        c.made++;
        if (t.done()) c.doneAtCreation++;
        return t;
      }) as TaskFactory,
    };
    return c;
  }

  test.each([[false], [true]])('test_awaitables_chain (eager=%s): awaiting coroutines makes no task', (eager) => {
    const c = counting(eager);
    expect(runEager(() => awaitableChain(100), c.factory)).toBe(100);
    expect(c.made).toBe(1); // the main task runUntilComplete made
  });

  test.each([[false, 0], [true, 625]])('test_recursive_taskgroups (eager=%s): 781 tasks; eagerly, the 625 leaves finish inside createTask', (eager, leaves) => {
    const c = counting(eager);
    runEager(() => recursiveTaskgroups(5, 4), c.factory);
    expect(c.made).toBe(781); // 1 + 5 + 5^2 + 5^3 + 5^4
    // A group's exit always waits for the done-callbacks, even of children that finished eagerly
    // (gh-128550), so only the leaves finish at creation.
    expect(c.doneAtCreation).toBe(leaves);
  });

  test.each([[false, 0], [true, 625]])('test_recursive_gather (eager=%s): 781 tasks; eagerly, at least the 625 leaves finish inside createTask', (eager, leaves) => {
    const c = counting(eager);
    runEager(() => recursiveGather(5, 4), c.factory);
    expect(c.made).toBe(781);
    // CPython 3.12+ gather() also settles at once when all its children are already done, so
    // there every one of the 780 non-root tasks finishes eagerly; tsyncio's gather (3.11) settles
    // on the next iteration. Either way no leaf is ever scheduled.
    if (eager) expect(c.doneAtCreation).toBeGreaterThanOrEqual(leaves);
    else expect(c.doneAtCreation).toBe(0);
  });
});
