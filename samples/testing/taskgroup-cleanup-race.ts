// Source: tsyncio's bug catalogue (spec/testing/explore-catalogue.spec.ts): a TaskGroup whose
// cleanup races a child.
// Shows: the body of `async with TaskGroup` starts a child, sleep(0)s to "let the child run", then
// closes a resource the child uses. The child usually has run by then, but not always: explore
// finds the order where it runs after the close (an ExceptionGroup of its ReferenceError). The
// fix closes the resource after the group, which waits for its children.
import { TaskGroup, asyncWith, sleep, type Coroutine } from '../../lib';
import { showBug } from './show-bug';

/** The program, buggy or fixed (spec/testing/explore-catalogue.spec.ts checks the same two). */
export function program(fixed: boolean): () => Coroutine {
  return function* cleanup(): Coroutine {
    const resource = { open: true };
    function* child(): Coroutine {
      if (!resource.open) throw new ReferenceError('used after close');
    }
    yield* asyncWith(new TaskGroup(), function* (tg) {
      tg.createTask(child());
      yield* sleep(0); // "let the child run": it usually has
      if (!fixed) resource.open = false;
    });
    resource.open = false;
  };
}

if (require.main === module) showBug('a TaskGroup whose cleanup races a child (fix: clean up after the group)', program(false), program(true));
