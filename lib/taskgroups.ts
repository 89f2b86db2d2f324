// Python: asyncio/taskgroups.py (3.11), with the later fixes to cancel accounting (3.13, gh-116720)
// and to eager tasks (gh-128550). Exit waits for every child. The first child failure cancels the
// other children and the body through ONE parent.cancel(), which aexit takes back with uncancel().
import { CancelledError, ExceptionGroup, FatalError, RuntimeError } from './exceptions';
import { getRunningLoop, type AbstractEventLoop, type TaskOptions } from './events';
import { FutureWatcher, iscoroutine, type Coroutine, type Future } from './futures';
import { Task, currentTask, _coroOwner } from './tasks';
import type { AsyncContextManager } from './contextlib';

/** Python's `_on_task_done` as a watcher: no callback object per child. */
class GroupWatcher extends FutureWatcher {
  constructor(readonly group: TaskGroup) {
    super();
  }

  _childDone(fut: Future<unknown>): void {
    if (fut instanceof Task) this.group._onTaskDone(fut);
  }
}

/** Closes a coroutine nobody will run (Python 3.13 `coro.close()`), unless a task owns it. */
function closeUnowned(coro: unknown): void {
  if (iscoroutine(coro) && _coroOwner(coro) === undefined) coro.return(undefined);
}

/**
 * An async context manager that owns the tasks created through it: leaving the block waits
 * for all of them. The first child that fails cancels the other children and the block's body;
 * every error other than a cancellation is then raised together in an `ExceptionGroup`.
 * @see Python `asyncio.TaskGroup`
 * Differences:
 * - Used through `asyncWith(new TaskGroup(), function* (tg) { ... })`.
 * - A `FatalError` (Python's `KeyboardInterrupt`/`SystemExit`) propagates bare; any other thrown
 *   value, even a non-Error, is grouped (JS has no `BaseException`, hence no `BaseExceptionGroup`).
 * - Cancel accounting follows Python 3.13 (gh-116720): the parent is uncancelled only after the
 *   children are done, and when an `ExceptionGroup` is raised while the parent is being cancelled
 *   from outside, the parent is cancelled again so that cancellation is not lost.
 * - `createTask` on an inactive group closes the coroutine (Python 3.13). A child that finishes
 *   eagerly is still reported through a scheduled callback (gh-128550).
 * @example
 * yield* asyncWith(new TaskGroup(), function* (tg) {
 *   tg.createTask(sayAfter(1, 'hello'));
 *   tg.createTask(sayAfter(2, 'world'));
 * });
 * // both tasks are done here
 */
export class TaskGroup implements AsyncContextManager<TaskGroup, void> {
  #entered = false;
  #exiting = false;
  #aborting = false;
  #loop: AbstractEventLoop | null = null;
  #parentTask: Task<unknown> | null = null;
  #parentCancelRequested = false;
  /** @internal The task that runs `async with` (lib/graph.ts: a child is awaited by it, as in 3.14). */
  get _parent(): Task<unknown> | null {
    return this.#parentTask;
  }

  /** @internal The children not yet done (Python `_tasks`). */
  readonly _tasks = new Set<Task<unknown>>();
  #errors: Error[] = [];
  #baseError: Error | null = null;
  #onCompletedFut: Future<boolean> | null = null;
  readonly #watcher = new GroupWatcher(this);

  /** `<TaskGroup tasks=N errors=N cancelling>`, as Python's repr. */
  toString(): string {
    const info = [''];
    if (this._tasks.size > 0) info.push(`tasks=${this._tasks.size}`);
    if (this.#errors.length > 0) info.push(`errors=${this.#errors.length}`);
    if (this.#aborting) info.push('cancelling');
    else if (this.#entered) info.push('entered');
    return `<TaskGroup${info.join(' ')}>`;
  }

  /**
   * Enters the group: the running task becomes its parent.
   * @throws {RuntimeError} "has already been entered"; "cannot determine the parent task" outside a task
   */
  *aenter(): Coroutine<this> {
    if (this.#entered) throw new RuntimeError(`TaskGroup ${this.toString()} has already been entered`);
    this.#loop ??= getRunningLoop();
    this.#parentTask = currentTask(this.#loop);
    if (this.#parentTask === null) throw new RuntimeError(`TaskGroup ${this.toString()} cannot determine the parent task`);
    this.#entered = true;
    return this;
  }

  /**
   * Leaves the group: waits for every child, then raises what the group collected: a
   * `FatalError` as is, the errors in an `ExceptionGroup`, or the parent's own `CancelledError`.
   * @throws {ExceptionGroup} "unhandled errors in a TaskGroup"
   */
  *aexit(error: Error | null): Coroutine {
    try {
      yield* this.#aexit(error);
    } finally {
      // Python 3.13: drop the references (errors hold tracebacks, the parent holds everything).
      this.#parentTask = null;
      this.#errors = [];
      this.#baseError = null;
    }
  }

  *#aexit(error: Error | null): Coroutine {
    this.#exiting = true;
    const loop = this.#loop as AbstractEventLoop;
    const parent = this.#parentTask as Task<unknown>;

    if (error instanceof FatalError && this.#baseError === null) this.#baseError = error;

    let propagateCancellationError: CancelledError | null = error instanceof CancelledError ? error : null;

    if (error !== null && !this.#aborting) {
      // Our parent task is being cancelled:
      //
      //    async with TaskGroup() as g:
      //        g.create_task(...)
      //        await ...  # <- CancelledError
      //
      // or there's an exception in "async with":
      //
      //    async with TaskGroup() as g:
      //        g.create_task(...)
      //        1 / 0
      this.#abort();
    }

    // A while loop because `#onCompletedFut` can be cancelled several times if our parent task
    // is being cancelled repeatedly (or even once, when our own cancellation is in progress).
    while (this._tasks.size > 0) {
      if (this.#onCompletedFut === null) {
        this.#onCompletedFut = loop.createFuture<boolean>();
        this.#onCompletedFut._loop._instruments?._setFutureLabel(this.#onCompletedFut, 'TaskGroup'); // names it in traces (lib/instruments.ts); one field test without
      }
      try {
        yield* this.#onCompletedFut;
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        if (!this.#aborting) {
          // Our parent task is being cancelled while the children still run:
          //
          //    async def wrapper():
          //        async with TaskGroup() as g:
          //            g.create_task(foo)
          propagateCancellationError = e;
          this.#abort();
        }
      }
      this.#onCompletedFut = null;
    }

    if (this.#baseError !== null) {
      // The fatal error discards the others: report them rather than lose them (gh-135736).
      for (const suppressed of this.#errors) {
        if (suppressed === this.#baseError) continue;
        loop.callExceptionHandler({
          message: 'TaskGroup task exception was not propagated because the TaskGroup body is being closed with a FatalError',
          exception: suppressed,
          task_group: this,
        });
      }
      throw this.#baseError;
    }

    // Only now that the children are done (3.13): take back our own cancel() of the parent.
    if (this.#parentCancelRequested && parent.uncancel() === 0) {
      // No cancellation left that is not ours: do not propagate CancelledError.
      propagateCancellationError = null;
    }

    // Propagate CancelledError if there is one, unless there are other errors: they win.
    if (propagateCancellationError !== null && this.#errors.length === 0) throw propagateCancellationError;

    if (error !== null && !(error instanceof CancelledError)) this.#errors.push(error);

    if (this.#errors.length > 0) {
      // The parent is being cancelled from outside and we raise the errors instead of its
      // CancelledError: un-cancel and re-cancel it so the request is delivered at its next await
      // and the count stays the same (gh-116720).
      if (parent.cancelling() > 0) {
        parent.uncancel();
        parent.cancel();
      }
      throw new ExceptionGroup('unhandled errors in a TaskGroup', this.#errors);
    }
  }

  /**
   * Creates a task in this group (as `createTask`) and returns it.
   * @throws {RuntimeError} "has not been entered", "is finished" or "is shutting down"; the
   *   coroutine is then closed, so it never runs
   */
  createTask<T>(coro: Coroutine<T>, opts?: TaskOptions): Task<T> {
    if (!this.#entered) {
      closeUnowned(coro);
      throw new RuntimeError(`TaskGroup ${this.toString()} has not been entered`);
    }
    if (this.#exiting && this._tasks.size === 0) {
      closeUnowned(coro);
      throw new RuntimeError(`TaskGroup ${this.toString()} is finished`);
    }
    if (this.#aborting) {
      closeUnowned(coro);
      throw new RuntimeError(`TaskGroup ${this.toString()} is shutting down`);
    }
    const task = (this.#loop as AbstractEventLoop).createTask(coro, opts);
    // Even a task that finished eagerly is reported through a scheduled callback: reporting its
    // error now would cancel the parent too early (gh-128550).
    this._tasks.add(task);
    task._watch(this.#watcher);
    return task;
  }

  #abort(): void {
    this.#aborting = true;
    for (const t of this._tasks) if (!t.done()) t.cancel();
  }

  /** @internal Python `_on_task_done`: run on the loop when a child is done. */
  _onTaskDone(task: Task<unknown>): void {
    this._tasks.delete(task);

    if (this.#onCompletedFut !== null && this._tasks.size === 0 && !this.#onCompletedFut.done()) {
      this.#onCompletedFut.setResult(true);
    }

    if (task.cancelled()) return;
    const exc = task.exception();
    if (exc === null) return;

    this.#errors.push(exc);
    if (exc instanceof FatalError && this.#baseError === null) this.#baseError = exc;

    const parent = this.#parentTask as Task<unknown>;
    if (parent.done()) {
      // Not sure if this case is possible, but we want to handle it anyways.
      (this.#loop as AbstractEventLoop).callExceptionHandler({
        message: `Task ${task.toString()} has errored out but its parent task ${parent.toString()} is already completed`,
        exception: exc,
        task,
      });
      return;
    }

    if (!this.#aborting && !this.#parentCancelRequested) {
      // The parent is not being cancelled: cancel it ourselves to abort whatever the body is
      // awaiting, and take that cancel back in aexit, so code after the group still runs:
      //
      //    async def foo():
      //        try:
      //            async with TaskGroup() as g:
      //                g.create_task(crash_soon())
      //                await something  # <- this needs to be cancelled by the TaskGroup
      //        except Exception:
      //            pass                 # ignore any errors raised in the TaskGroup
      //        await something_else     # this line has to be called after the group is done
      this.#abort();
      this.#parentCancelRequested = true;
      parent.cancel();
    }
  }
}
