// Ports the shield tests of CPython test_asyncio/test_tasks.py (3.11) and the cancellation rules
// of shield() in Lib/asyncio/tasks.py, on the virtual clock.
import {
  CancelledError, Future, RuntimeError, createTask, ensureFuture, gather, getRunningLoop, setEventLoop,
  shield, sleep, type Coroutine,
} from '../lib';
import { runBriefly, runVirtual, virtualLoop } from './helpers/virtual';

function nameOf(e: unknown): string {
  return e instanceof Error ? e.name : String(e);
}

function now(): number {
  return getRunningLoop().time();
}

describe('shield', () => {
  test('test_shield_result: the outer gets the inner\'s result', () => {
    const loop = virtualLoop();
    const inner = loop.createFuture<number>();
    const outer = shield(inner);
    inner.setResult(42);
    expect(loop.runUntilCompleteSync(outer)).toBe(42);
    loop.close();
  });

  test('test_shield_exception: the outer gets the inner\'s exception (the same object)', () => {
    const loop = virtualLoop();
    const inner = loop.createFuture<number>();
    const outer = shield(inner);
    runBriefly(loop);
    const exc = new RuntimeError('expected');
    inner.setException(exc);
    runBriefly(loop);
    expect(outer.exception()).toBe(exc);
    loop.close();
  });

  test('test_shield_cancel_inner: cancelling the inner cancels the outer', () => {
    const loop = virtualLoop();
    const inner = loop.createFuture<number>();
    const outer = shield(inner);
    runBriefly(loop);
    inner.cancel();
    runBriefly(loop);
    expect(outer.cancelled()).toBe(true);
    loop.close();
  });

  test('test_shield_cancel_outer: cancelling the outer leaves the inner pending and both without callbacks', () => {
    const loop = virtualLoop();
    const inner = loop.createFuture<number>();
    const outer = shield(inner);
    runBriefly(loop);
    outer.cancel();
    runBriefly(loop);
    expect(outer.cancelled()).toBe(true);
    expect(outer._doneEntries().length === 0).toBe(true);
    expect(inner.done()).toBe(false);
    expect(inner._doneEntries().length === 0).toBe(true); // _outer_done_callback removed the inner's
    inner.setResult(1); // nothing forwards it to the cancelled outer
    runBriefly(loop);
    expect(outer.cancelled()).toBe(true);
    loop.close();
  });

  test('test_shield_shortcut: an awaitable already done is returned as is', () => {
    const loop = virtualLoop();
    const fut = loop.createFuture<number>();
    fut.setResult(42);
    const s = shield(fut);
    expect(s).toBe(fut);
    expect(loop.runUntilCompleteSync(s)).toBe(42);
    loop.close();
  });

  test('test_shield_effect: cancelling the task awaiting shield(inner()) does not affect inner()', () => {
    const loop = virtualLoop();
    let proof = 0;
    const waiter = loop.createFuture<void>();
    function* inner(): Coroutine {
      yield* waiter;
      proof += 1;
    }
    function* outer(): Coroutine {
      yield* shield(inner());
      proof += 100;
    }
    const f = ensureFuture(outer(), { loop });
    runBriefly(loop);
    f.cancel();
    expect(() => loop.runUntilCompleteSync(f)).toThrow(CancelledError);
    waiter.setResult(undefined);
    runBriefly(loop);
    expect(proof).toBe(1);
    loop.close();
  });

  test('test_shield_gather: cancelling shield(gather(...)) leaves the gather and its children running', () => {
    const loop = virtualLoop();
    const child1 = loop.createFuture<number>();
    const child2 = loop.createFuture<number>();
    const parent = gather(child1, child2);
    const outer = shield(parent);
    runBriefly(loop);
    outer.cancel();
    runBriefly(loop);
    expect(outer.cancelled()).toBe(true);
    child1.setResult(1);
    child2.setResult(2);
    runBriefly(loop);
    expect(parent.result()).toEqual([1, 2]);
    loop.close();
  });

  test('test_gather_shield: cancelling gather(shield(a), shield(b)) cancels the shields, not the children', () => {
    const loop = virtualLoop();
    const child1 = loop.createFuture<number>();
    const child2 = loop.createFuture<number>();
    const inner1 = shield(child1);
    const inner2 = shield(child2);
    const parent = gather(inner1, inner2);
    runBriefly(loop);
    parent.cancel();
    // This should cancel inner1 and inner2 but not child1 and child2.
    runBriefly(loop);
    expect(parent.exception()).toBeInstanceOf(CancelledError);
    expect(inner1.cancelled()).toBe(true);
    expect(inner2.cancelled()).toBe(true);
    expect(child1.done() || child2.done()).toBe(false);
    child1.setResult(1);
    child2.setResult(2);
    runBriefly(loop);
    expect([child1.result(), child2.result()]).toEqual([1, 2]);
    loop.close();
  });

  test('test_shield_coroutine_use_running_loop: a coroutine becomes a task of the running loop', () => {
    const loop = virtualLoop();
    function* coro(): Coroutine<number> {
      return 42;
    }
    function* test(): Coroutine<Future<number>> {
      return shield(coro());
    }
    const outer = loop.runUntilCompleteSync(test());
    expect(outer.getLoop()).toBe(loop);
    expect(loop.runUntilCompleteSync(outer)).toBe(42);
    loop.close();
  });

  test('test_shield_coroutine_use_global_loop: outside a running loop a coroutine goes to the loop set by setEventLoop', () => {
    const loop = virtualLoop();
    setEventLoop(loop);
    try {
      function* coro(): Coroutine<number> {
        return 42;
      }
      const outer = shield(coro());
      expect(outer.getLoop()).toBe(loop);
      expect(loop.runUntilCompleteSync(outer)).toBe(42);
    } finally {
      setEventLoop(null);
      loop.close();
    }
  });

  test('shield does not swallow CancelledError: the awaiting task gets it at once, the shielded task finishes on its own', () => {
    const log: string[] = [];
    function* work(): Coroutine<string> {
      try {
        yield* sleep(2);
        log.push(`work finished at ${now()}`);
        return 'work result';
      } catch (e) {
        log.push(`work got ${nameOf(e)}`);
        throw e;
      }
    }
    function* main(): Coroutine {
      const inner = createTask(work());
      function* caller(): Coroutine<string> {
        return yield* shield(inner);
      }
      const t = createTask(caller());
      yield* sleep(1);
      t.cancel('stop');
      try {
        yield* t;
      } catch (e) {
        log.push(`caller ${nameOf(e)} ${(e as Error).message} at ${now()}`);
      }
      log.push(`caller cancelled ${t.cancelled()}, inner done ${inner.done()}`);
      log.push(`inner ${yield* inner} at ${now()}`);
    }
    runVirtual(main());
    expect(log).toEqual([
      'caller CancelledError stop at 1',
      'caller cancelled true, inner done false',
      'work finished at 2',
      'inner work result at 2',
    ]);
  });

  test('an error of the shielded task after the outer was cancelled is marked retrieved (no "never retrieved" report)', () => {
    const loop = virtualLoop();
    const reports: string[] = [];
    loop.setExceptionHandler((_l, ctx) => { reports.push(String(ctx.message)); });
    const inner = loop.createFuture<number>();
    const outer = shield(inner);
    runBriefly(loop);
    outer.cancel();
    // The inner's callback is still registered until the outer's done-callback runs; fail it now.
    inner.setException(new RangeError('late'));
    runBriefly(loop);
    expect(inner._logTraceback).toBe(false);
    loop.close();
    expect(reports).toEqual([]);
  });

  test('shield(bad) is a TypeError, as ensureFuture', () => {
    const loop = virtualLoop();
    expect(() => shield(42 as unknown as Coroutine<number>)).toThrow(TypeError);
    loop.close();
  });
});
