// Ports Trio's trio/_tests/test_testing.py Sequencer tests (test_Sequencer, test_Sequencer_cancel)
// to tsyncio/testing's Sequencer, plus its argument checks. All run on the virtual clock.
import { CancelledError, RuntimeError, TaskGroup, asyncWith, createTask, sleep, type Coroutine } from '../../lib';
import { Sequencer, waitAllTasksBlocked } from '../../lib/testing';
import { caught, caughtIn } from '../helpers/caught';
import { arun } from '../helpers/virtual';

describe('Sequencer', () => {
  test('test_Sequencer: blocks run in position order, whatever order the tasks start in', () => {
    const record: string[] = [];
    arun(function* () {
      const seq = new Sequencer();
      function* f1(): Coroutine {
        yield* asyncWith(seq.at(1), function* () { record.push('f1 1'); });
        yield* asyncWith(seq.at(3), function* () { record.push('f1 3'); });
        yield* asyncWith(seq.at(4), function* () { record.push('f1 4'); });
      }
      function* f2(): Coroutine {
        yield* asyncWith(seq.at(0), function* () { record.push('f2 0'); });
        yield* asyncWith(seq.at(2), function* () { record.push('f2 2'); });
      }
      yield* asyncWith(new TaskGroup(), function* (tg) {
        tg.createTask(f1());
        tg.createTask(f2());
        yield* asyncWith(seq.at(5), function* () {
          yield* waitAllTasksBlocked();
        });
        expect(record).toEqual(['f2 0', 'f1 1', 'f2 2', 'f1 3', 'f1 4']);
      });
      // Catches us if we try to re-use a sequence point.
      const again = new Sequencer();
      yield* asyncWith(again.at(0), function* () { /* nothing */ });
      const e = yield* caughtIn(asyncWith(again.at(0), function* () { /* nothing */ }));
      expect(e).toBeInstanceOf(RuntimeError);
      expect((e as Error).message).toBe('Attempted to reuse sequence point 0');
    });
  });

  test('test_Sequencer_cancel: a waiter cancelled while waiting re-throws CancelledError and breaks the sequence', () => {
    const record: string[] = [];
    arun(function* () {
      const seq = new Sequencer();
      function* child(i: number): Coroutine {
        try {
          yield* asyncWith(seq.at(i), function* () { record.push(`seq(${i}) entered`); });
        } catch (e) {
          record.push(`seq(${i}) ${(e as Error).name}${e instanceof RuntimeError ? `: ${e.message}` : ''}`);
          throw e;
        }
      }
      const t1 = createTask(child(1));
      const t2 = createTask(child(2));
      yield* waitAllTasksBlocked();
      t1.cancel();
      yield* waitAllTasksBlocked();
      expect(t1.cancelled()).toBe(true);
      expect(yield* caughtIn(t2)).toBeInstanceOf(RuntimeError);
      // Late arrivals also get errors, and block 0 does not enter either.
      const late = yield* caughtIn(asyncWith(seq.at(3), function* () { record.push('seq(3) entered'); }));
      expect((late as Error).message).toBe('sequence broken!');
      const zero = yield* caughtIn(asyncWith(seq.at(0), function* () { record.push('seq(0) entered'); }));
      expect((zero as Error).message).toBe('sequence broken!');
    });
    expect(record).toEqual(['seq(1) CancelledError', 'seq(2) RuntimeError: sequence broken!']);
  });

  test('block 0 enters without suspending; block N waits for N - 1 to exit, even by an error', () => {
    const log: string[] = [];
    arun(function* () {
      const seq = new Sequencer();
      const waiter = createTask((function* (): Coroutine {
        yield* asyncWith(seq.at(1), function* () { log.push('1 entered'); });
      })());
      yield* sleep(0);
      log.push('before 0');
      createTask((function* (): Coroutine { log.push('other task ran'); })());
      const e = yield* caughtIn(asyncWith(seq.at(0), function* () {
        log.push('0 entered');
        throw new Error('boom');
      }));
      log.push(`0 exited: ${(e as Error).message}`);
      yield* waiter;
      log.push('done');
    });
    expect(log).toEqual(['before 0', '0 entered', '0 exited: boom', 'other task ran', '1 entered', 'done']);
  });

  test('a reused position throws at aenter, even while the first block is inside; the first is unaffected', () => {
    arun(function* () {
      const seq = new Sequencer();
      yield* asyncWith(seq.at(0), function* () {
        const e = yield* caughtIn(asyncWith(seq.at(0), function* () { /* never */ }));
        expect((e as Error).message).toBe('Attempted to reuse sequence point 0');
      });
      yield* asyncWith(seq.at(1), function* () { /* enters: 0 exited */ });
    });
  });

  test('position must be an integer >= 0', () => {
    const seq = new Sequencer();
    expect(caught(() => seq.at(-1))).toBeInstanceOf(RangeError);
    expect(caught(() => seq.at(1.5))).toBeInstanceOf(TypeError);
    expect(caught(() => seq.at('1' as unknown as number))).toBeInstanceOf(TypeError);
    expect(caught(() => seq.at(NaN))).toBeInstanceOf(TypeError);
  });

  test('a cancelled waiter re-throws the CancelledError itself', () => {
    arun(function* () {
      const seq = new Sequencer();
      const t = createTask(asyncWith(seq.at(1), function* () { /* never */ }));
      yield* sleep(0);
      t.cancel('stop');
      const e = yield* caughtIn(t);
      expect(e).toBeInstanceOf(CancelledError);
      expect((e as Error).message).toBe('stop');
    });
  });
});
