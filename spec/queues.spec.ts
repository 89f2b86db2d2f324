// Ports CPython 3.11 test_asyncio/test_queues.py (QueueBasicTests, QueueGetTests, QueuePutTests,
// LifoQueueTests, PriorityQueueTests, the join mixin for all three classes) and 3.13's
// _QueueShutdownTestMixin, plus PriorityQueue ordering, the subclass seams and wrong use.
import {
  CancelledError, LifoQueue, PriorityQueue, Queue, QueueEmpty, QueueFull, QueueShutDown, TaskGroup,
  TimeoutError, Event, asyncWith, createTask, gather, getRunningLoop, iscoroutine, sleep, waitFor,
  type Future,
  type Coroutine, type Task,
} from '../lib';
import { caught, caughtIn } from './helpers/caught';
import { arun, runVirtual } from './helpers/virtual';

const sleep0 = (): Coroutine => sleep(0);

describe('QueueBasicTests', () => {
  test('test_repr / test_str: <Queue maxsize=0>, _getters[1], _putters[1], _queue=[1]', () => {
    arun(function* () {
      let q = new Queue<number>();
      expect(String(q)).toBe('<Queue maxsize=0>');
      // getters
      q = new Queue<number>();
      let getter: Task<number> | null = null;
      yield* asyncWith(new TaskGroup(), function* (tg) {
        // Start a task that waits to get, and let it start waiting.
        getter = tg.createTask(q.get());
        yield* sleep0();
        expect(String(q)).toContain('_getters[1]');
        q.putNowait(0);
      });
      expect(yield* getter as unknown as Task<number>).toBe(0);
      // putters
      q = new Queue<number>(1);
      let putter: Task<void> | null = null;
      yield* asyncWith(new TaskGroup(), function* (tg) {
        q.putNowait(1);
        putter = tg.createTask(q.put(2));
        yield* sleep0();
        expect(String(q)).toBe('<Queue maxsize=1 _queue=[1] _putters[1] tasks=1>');
        q.getNowait();
      });
      expect((putter as unknown as Task<void>).done()).toBe(true);
      q = new Queue<number>();
      q.putNowait(1);
      expect(String(q)).toContain('_queue=[1]');
      const s = new Queue<unknown>();
      s.putNowait('x');
      s.putNowait(1);
      expect(String(s)).toBe("<Queue maxsize=0 _queue=['x', 1] tasks=2>"); // as CPython prints it
    });
  });

  test('test_empty', () => {
    arun(function* () {
      const q = new Queue<number>();
      expect(q.empty()).toBe(true);
      yield* q.put(1);
      expect(q.empty()).toBe(false);
      expect(yield* q.get()).toBe(1);
      expect(q.empty()).toBe(true);
    });
  });

  test('test_full', () => {
    arun(function* () {
      expect(new Queue().full()).toBe(false);
      const q = new Queue<number>(1);
      yield* q.put(1);
      expect(q.full()).toBe(true);
    });
  });

  test('test_order: FIFO [1, 3, 2]', () => {
    expect(arun(function* () {
      const q = new Queue<number>();
      for (const i of [1, 3, 2]) yield* q.put(i);
      const items: number[] = [];
      for (let i = 0; i < 3; i++) items.push(yield* q.get());
      return items;
    })).toEqual([1, 3, 2]);
  });

  test('test_maxsize: the putter blocks after 2 items and resumes after one get plus one iteration', () => {
    arun(function* () {
      const q = new Queue<number>(2);
      expect(q.maxsize).toBe(2);
      const haveBeenPut: number[] = [];
      function* putter(): Coroutine<boolean> {
        for (let i = 0; i < 3; i++) {
          yield* q.put(i);
          haveBeenPut.push(i);
        }
        return true;
      }
      const t = createTask(putter());
      for (let i = 0; i < 2; i++) yield* sleep0();
      // The putter is blocked after putting two items.
      expect(haveBeenPut).toEqual([0, 1]);
      expect(yield* q.get()).toBe(0);
      // Let the putter resume and put the last item.
      yield* sleep0();
      expect(haveBeenPut).toEqual([0, 1, 2]);
      expect(yield* q.get()).toBe(1);
      expect(yield* q.get()).toBe(2);
      expect(t.done()).toBe(true);
      expect(t.result()).toBe(true);
    });
  });

  test('maxsize must be a number: Queue(NaN) is a RangeError, Queue("2") a TypeError; 0 or less means no limit', () => {
    expect(() => new Queue(NaN)).toThrow(RangeError);
    expect(() => new Queue(NaN)).toThrow('maxsize must be a number, got NaN');
    expect(() => new Queue('2' as unknown as number)).toThrow('maxsize must be a number, got string');
    expect(() => new PriorityQueue(NaN)).toThrow(RangeError);
    const q = new Queue<number>(-1);
    for (let i = 0; i < 100; i++) q.putNowait(i);
    expect(q.full()).toBe(false);
    expect(q.qsize()).toBe(100);
  });
});

describe('QueueGetTests', () => {
  test('test_blocking_get', () => {
    arun(function* () {
      const q = new Queue<number>();
      q.putNowait(1);
      expect(yield* q.get()).toBe(1);
    });
  });

  test('test_get_with_putters: get() wakes the waiting putter', () => {
    arun(function* () {
      const q = new Queue<number>(1);
      yield* q.put(1);
      const waiter = getRunningLoop().createFuture<void>();
      q._putters.push(waiter);
      expect(yield* q.get()).toBe(1);
      expect(waiter.done()).toBe(true);
      expect(waiter.result()).toBeUndefined();
    });
  });

  test('test_blocking_get_wait: a getter waits until callLater(0.01) puts an item', () => {
    const { result, elapsed } = runVirtual((function* () {
      const q = new Queue<number>();
      const started = new Event();
      let finished = false;
      function* queueGet(): Coroutine<number> {
        started.set();
        const res = yield* q.get();
        finished = true;
        return res;
      }
      const queueGetTask = createTask(queueGet());
      yield* started.wait();
      expect(finished).toBe(false);
      getRunningLoop().callLater(0.01, () => q.putNowait(1));
      const res = yield* queueGetTask;
      expect(finished).toBe(true);
      return res;
    })());
    expect(result).toBe(1);
    expect(elapsed).toBe(0.01);
  });

  test('test_nonblocking_get', () => {
    const q = new Queue<number>();
    q.putNowait(1);
    expect(q.getNowait()).toBe(1);
  });

  test('test_nonblocking_get_exception: QueueEmpty', () => {
    const q = new Queue();
    const err = caught(() => q.getNowait());
    expect(err).toBeInstanceOf(QueueEmpty);
    expect((err as Error).message).toBe('queue is empty');
  });

  test('test_get_cancelled_race: the second getter gets the item after the first was cancelled', () => {
    arun(function* () {
      const q = new Queue<string>();
      const t1 = createTask(q.get());
      const t2 = createTask(q.get());
      yield* sleep0();
      t1.cancel();
      yield* sleep0();
      expect(t1.done()).toBe(true);
      yield* q.put('a');
      yield* sleep0();
      expect(yield* t2).toBe('a');
    });
  });

  test('test_get_with_waiting_putters', () => {
    arun(function* () {
      const q = new Queue<string>(1);
      createTask(q.put('a'));
      createTask(q.put('b'));
      expect(yield* q.get()).toBe('a');
      expect(yield* q.get()).toBe('b');
    });
  });

  test('test_why_are_getters_waiting: one producer, one consumer, maxsize 1, no deadlock', () => {
    const { elapsed } = runVirtual((function* () {
      function* consumer(queue: Queue<number>, numExpected: number): Coroutine {
        for (let i = 0; i < numExpected; i++) yield* queue.get();
      }
      function* producer(queue: Queue<number>, numItems: number): Coroutine {
        for (let i = 0; i < numItems; i++) yield* queue.put(i);
      }
      const producerNumItems = 5;
      const q = new Queue<number>(1);
      yield* asyncWith(new TaskGroup(), function* (tg) {
        tg.createTask(producer(q, producerNumItems));
        tg.createTask(consumer(q, producerNumItems));
      });
      expect(q.qsize()).toBe(0);
    })());
    expect(elapsed).toBe(0);
  });

  test('test_cancelled_getters_not_being_held_in_self_getters: a timed-out get() leaves no getter behind', () => {
    const { elapsed } = runVirtual((function* () {
      const queue = new Queue<number>(5);
      expect(yield* caughtIn(waitFor(queue.get(), 0.1))).toBeInstanceOf(TimeoutError);
      expect(queue._getters.length).toBe(0);
    })());
    expect(elapsed).toBe(0.1);
  });

  test('Queue.get does not swallow CancelledError, and the item put later stays in the queue', () => {
    arun(function* () {
      const q = new Queue<number>();
      const t = createTask(q.get());
      yield* sleep0();
      t.cancel('stop');
      const err = yield* caughtIn(t);
      expect((err as CancelledError).args).toEqual(['stop']);
      expect(t.cancelled()).toBe(true);
      expect(q._getters.length).toBe(0);
      q.putNowait(7);
      expect(q.qsize()).toBe(1);
    });
  });
});

describe('QueuePutTests', () => {
  test('test_blocking_put: without maxsize put() does not block', () => {
    arun(function* () {
      const q = new Queue<number>();
      yield* q.put(1);
      expect(yield* q.get()).toBe(1);
    });
  });

  test('test_blocking_put_wait: the second put waits until callLater(0.01) gets an item', () => {
    const { elapsed } = runVirtual((function* () {
      const q = new Queue<number>(1);
      const started = new Event();
      let finished = false;
      function* queuePut(): Coroutine {
        started.set();
        yield* q.put(1);
        yield* q.put(2);
        finished = true;
      }
      getRunningLoop().callLater(0.01, () => q.getNowait());
      const queuePutTask = createTask(queuePut());
      yield* started.wait();
      expect(finished).toBe(false);
      yield* queuePutTask;
      expect(finished).toBe(true);
    })());
    expect(elapsed).toBe(0.01);
  });

  test('test_nonblocking_put', () => {
    const q = new Queue<number>();
    q.putNowait(1);
    expect(q.getNowait()).toBe(1);
  });

  test('test_get_cancel_drop_one_pending_reader: a woken reader that is cancelled leaves its item: the retry gets 1, not 2', () => {
    arun(function* () {
      const q = new Queue<number>();
      let reader = createTask(q.get());
      yield* sleep0();
      q.putNowait(1);
      q.putNowait(2);
      reader.cancel();
      const err = yield* caughtIn(reader);
      expect(err).toBeInstanceOf(CancelledError);
      expect(q.qsize()).toBe(2); // [exp e3 m8]: the item stays in the queue
      // Try again.
      reader = createTask(q.get());
      yield* reader;
      // If we get 2, it means 1 got dropped!
      expect(reader.result()).toBe(1);
    });
  });

  test('test_get_cancel_drop_many_pending_readers: the two remaining readers get both items', () => {
    arun(function* () {
      const q = new Queue<number>();
      let reader2: Task<number> | null = null;
      let reader3: Task<number> | null = null;
      yield* asyncWith(new TaskGroup(), function* (tg) {
        const reader1 = tg.createTask(q.get());
        reader2 = tg.createTask(q.get());
        reader3 = tg.createTask(q.get());
        yield* sleep0();
        q.putNowait(1);
        q.putNowait(2);
        reader1.cancel();
        expect(yield* caughtIn(reader1)).toBeInstanceOf(CancelledError);
        yield* reader3;
      });
      // The order in which concurrent readers receive results is not defined.
      expect(new Set([(reader2 as unknown as Task<number>).result(), (reader3 as unknown as Task<number>).result()])).toEqual(new Set([1, 2]));
    });
  });

  test('test_put_cancel_drop: a woken writer that is cancelled never puts its item', () => {
    arun(function* () {
      const q = new Queue<number>(1);
      q.putNowait(1);
      // Putting a second item has to block (qsize 1).
      let writer = createTask(q.put(2));
      yield* sleep0();
      expect(q.getNowait()).toBe(1);
      writer.cancel();
      expect(yield* caughtIn(writer)).toBeInstanceOf(CancelledError);
      expect(q.qsize()).toBe(0);
      // Try again.
      writer = createTask(q.put(2));
      yield* writer;
      expect(q.getNowait()).toBe(2);
      expect(q.qsize()).toBe(0);
    });
  });

  test('test_nonblocking_put_exception: QueueFull', () => {
    const q = new Queue<number>(1);
    q.putNowait(1);
    const err = caught(() => q.putNowait(2));
    expect(err).toBeInstanceOf(QueueFull);
    expect((err as Error).message).toBe('queue is full (maxsize=1)');
  });

  test('test_float_maxsize: maxsize 1.3 holds 2 items', () => {
    arun(function* () {
      let q = new Queue<number>(1.3);
      q.putNowait(1);
      q.putNowait(2);
      expect(q.full()).toBe(true);
      expect(() => q.putNowait(3)).toThrow(QueueFull);
      q = new Queue<number>(1.3);
      yield* q.put(1);
      yield* q.put(2);
      expect(q.full()).toBe(true);
    });
  });

  test('test_put_cancelled: a put task finishes once its item is got', () => {
    arun(function* () {
      const q = new Queue<number>();
      function* queuePut(): Coroutine<boolean> {
        yield* q.put(1);
        return true;
      }
      const t = createTask(queuePut());
      expect(yield* q.get()).toBe(1);
      expect(t.done()).toBe(true);
      expect(t.result()).toBe(true);
    });
  });

  test("test_put_cancelled_race: the cancelled putter's 'X' is never enqueued", () => {
    arun(function* () {
      const q = new Queue<string>(1);
      const putA = createTask(q.put('a'));
      const putB = createTask(q.put('b'));
      const putC = createTask(q.put('X'));
      yield* sleep0();
      expect(putA.done()).toBe(true);
      expect(putB.done()).toBe(false);
      putC.cancel();
      yield* sleep0();
      expect(putC.done()).toBe(true);
      expect(q.getNowait()).toBe('a');
      yield* sleep0();
      expect(q.getNowait()).toBe('b');
      yield* putB;
      expect(q.qsize()).toBe(0);
    });
  });

  test('test_put_with_waiting_getters', () => {
    arun(function* () {
      const q = new Queue<string>();
      const t = createTask(q.get());
      yield* sleep0();
      yield* q.put('a');
      expect(yield* t).toBe('a');
    });
  });

  test('test_why_are_putters_waiting: four putters, maxsize 2, one getter draining what is there', () => {
    arun(function* () {
      const queue = new Queue<number>(2);
      function* putter(item: number): Coroutine {
        yield* queue.put(item);
      }
      function* getter(): Coroutine {
        yield* sleep0();
        const num = queue.qsize();
        for (let i = 0; i < num; i++) queue.getNowait();
      }
      yield* asyncWith(new TaskGroup(), function* (tg) {
        tg.createTask(getter());
        for (const i of [0, 1, 2, 3]) tg.createTask(putter(i));
      });
      expect([...queue._queue]).toEqual([2, 3]);
    });
  });

  test('test_cancelled_puts_not_being_held_in_self_putters', () => {
    arun(function* () {
      // A full queue.
      const queue = new Queue<number>(1);
      queue.putNowait(1);
      // A task waiting for space to put an item.
      const putTask = createTask(queue.put(1));
      yield* sleep0();
      // The putter is removed from _putters when the task is cancelled.
      expect(queue._putters.length).toBe(1);
      putTask.cancel();
      expect(yield* caughtIn(putTask)).toBeInstanceOf(CancelledError);
      expect(queue._putters.length).toBe(0);
    });
  });

  test('test_cancelled_put_silence_value_error_exception: a putter already removed by getNowait() is cancelled cleanly', () => {
    arun(function* () {
      const queue = new Queue<number>(1);
      queue.putNowait(1);
      const putTask = createTask(queue.put(1));
      yield* sleep0();
      // getNowait() removes the putter of putTask from _putters.
      queue.getNowait();
      // When cancelled, put() removes its future from _putters, but it is gone already.
      putTask.cancel();
      expect(yield* caughtIn(putTask)).toBeInstanceOf(CancelledError);
    });
  });

  test('Queue.put does not swallow CancelledError', () => {
    arun(function* () {
      const q = new Queue<number>(1);
      q.putNowait(0);
      const t = createTask(q.put(1));
      yield* sleep0();
      t.cancel('stop');
      const err = yield* caughtIn(t);
      expect((err as CancelledError).args).toEqual(['stop']);
      expect(t.cancelled()).toBe(true);
      expect([...q._queue]).toEqual([0]);
      expect(q._putters.length).toBe(0);
    });
  });
});

describe('LifoQueue / PriorityQueue', () => {
  test('LifoQueueTests.test_order: [2, 3, 1]', () => {
    expect(arun(function* () {
      const q = new LifoQueue<number>();
      for (const i of [1, 3, 2]) yield* q.put(i);
      const items: number[] = [];
      for (let i = 0; i < 3; i++) items.push(yield* q.get());
      return items;
    })).toEqual([2, 3, 1]);
  });

  test('PriorityQueueTests.test_order: [1, 2, 3]', () => {
    expect(arun(function* () {
      const q = new PriorityQueue<number>();
      for (const i of [1, 3, 2]) yield* q.put(i);
      const items: number[] = [];
      for (let i = 0; i < 3; i++) items.push(yield* q.get());
      return items;
    })).toEqual([1, 2, 3]);
  });

  function drain<T>(q: Queue<T>): T[] {
    const out: T[] = [];
    while (!q.empty()) out.push(q.getNowait());
    return out;
  }

  test('PriorityQueue compares arrays element by element like tuples (CPython gives the same order)', () => {
    const q = new PriorityQueue<(number | string)[]>();
    for (const x of [[2, 'b'], [1, 'z'], [1, 'a'], [3], [2]]) q.putNowait(x);
    expect(drain(q)).toEqual([[1, 'a'], [1, 'z'], [2], [2, 'b'], [3]]);
    const s = new PriorityQueue<string>();
    for (const x of ['pear', 'apple', 'fig', 'Banana']) s.putNowait(x);
    expect(drain(s)).toEqual(['Banana', 'apple', 'fig', 'pear']);
  });

  test('PriorityQueue with a compare function keeps heapq\'s order for ties (CPython gives the same list)', () => {
    const q = new PriorityQueue<[number, string]>(0, { compare: (a, b) => a[0] - b[0] });
    const label = ([k, v]: [number, string]): string => `${k}${v}`;
    for (const [k, v] of [[1, 'a'], [0, 'b'], [1, 'c'], [0, 'd'], [1, 'e'], [2, 'f'], [0, 'g'], [1, 'h'], [2, 'i'], [0, 'j']] as const) {
      q.putNowait([k, v]);
    }
    const out = [label(q.getNowait()), label(q.getNowait())];
    q.putNowait([0, 'k']);
    q.putNowait([1, 'l']);
    out.push(...drain(q).map(label));
    // Python: a class whose __lt__ compares keys only, through the same puts and gets.
    expect(out).toEqual(['0b', '0g', '0d', '0j', '0k', '1c', '1e', '1h', '1l', '1a', '2i', '2f']);
  });

  test("PriorityQueue with items Python cannot compare: TypeError \"'<' not supported\", and the queue is unchanged", () => {
    const q = new PriorityQueue<unknown>();
    q.putNowait(1);
    q.putNowait(5);
    const err = caught(() => q.putNowait('a'));
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toMatch(/^'<' not supported between instances of 'string' and 'number'/);
    expect(q.qsize()).toBe(2); // Python keeps the item (and counts it as unfinished); tsyncio does not
    expect(q._unfinishedTasks).toBe(2);
    expect(() => q.putNowait({ a: 1 })).toThrow("'<' not supported between instances of 'Object' and 'number'");
    expect(() => q.putNowait([1])).toThrow(TypeError);
    expect(drain(q)).toEqual([1, 5]);
    // Equal first elements make the second ones decide, as with tuples.
    const t = new PriorityQueue<unknown[]>();
    t.putNowait([1, { job: 'a' }]);
    expect(() => t.putNowait([1, { job: 'b' }])).toThrow(TypeError);
    t.putNowait([0, { job: 'c' }]);
    expect(drain(t)).toEqual([[0, { job: 'c' }], [1, { job: 'a' }]]);
  });

  test('PriorityQueue: a TypeError while popping leaves the heap intact', () => {
    // [0,'a'] at the root with [1, 5] and [1, 'b'] below it: pushes never compare the last two,
    // the pop after taking the root does.
    const q = new PriorityQueue<unknown[]>();
    q.putNowait([0, 'a']);
    q.putNowait([1, 5]);
    q.putNowait([1, 'b']);
    expect(() => q.getNowait()).toThrow(TypeError);
    expect([...q._queue]).toEqual([[0, 'a'], [1, 5], [1, 'b']]);
    expect(q.qsize()).toBe(3);
  });

  test('the _init/_get/_put seams: a subclass changes the order as in Python', () => {
    /** Smallest-last: a LIFO over a sorted array. */
    class SortedStack extends Queue<number> {
      declare _queue: number[];
      override _init(_maxsize: number): void {
        this._queue = [];
      }
      override _put(item: number): void {
        this._queue.push(item);
        this._queue.sort((a, b) => b - a);
      }
      override _get(): number {
        return this._queue.pop() as number;
      }
    }
    const log = arun(function* () {
      const q = new SortedStack();
      const out: number[] = [];
      const consumer = createTask((function* () {
        for (let i = 0; i < 5; i++) out.push(yield* q.get());
      })());
      for (const x of [5, 1, 4, 2, 3]) q.putNowait(x);
      yield* consumer;
      const small = new SortedStack(2);
      small.putNowait(9);
      small.putNowait(8);
      return [out, String(q), q.qsize(), small.full(), String(small)];
    });
    // The consumer, woken by the first put, runs after all five puts.
    expect(log).toEqual([[1, 2, 3, 4, 5], '<SortedStack maxsize=0 tasks=5>', 0, true, '<SortedStack maxsize=2 _queue=[9, 8] tasks=2>']);
  });
});

describe.each([
  ['QueueJoinTests', (): Queue<number> => new Queue<number>()],
  ['LifoQueueJoinTests', (): Queue<number> => new LifoQueue<number>()],
  ['PriorityQueueJoinTests', (): Queue<number> => new PriorityQueue<number>()],
])('%s', (_name, makeQueue) => {
  test('test_task_done_underflow: RangeError "task_done() called too many times"', () => {
    const q = makeQueue();
    expect(() => q.taskDone()).toThrow(RangeError);
    expect(() => q.taskDone()).toThrow(/^task_done\(\) called too many times$/);
  });

  test('test_task_done: two workers, join() returns after 100 items were marked done', () => {
    arun(function* () {
      const q = makeQueue();
      for (let i = 0; i < 100; i++) q.putNowait(i);
      let accumulator = 0;
      // Two workers get items and call taskDone after each; join the queue.
      let running = true;
      function* worker(): Coroutine {
        while (running) {
          const item = yield* q.get();
          accumulator += item;
          q.taskDone();
        }
      }
      yield* asyncWith(new TaskGroup(), function* (tg) {
        const tasks = [0, 1].map(() => tg.createTask(worker()));
        yield* q.join();
        expect(accumulator).toBe(4950);
        // Close the running workers.
        running = false;
        for (let i = 0; i < tasks.length; i++) q.putNowait(0);
      });
    });
  });

  test('test_join_empty_queue: join() returns at once, twice', () => {
    const { elapsed } = runVirtual((function* () {
      const q = makeQueue();
      yield* q.join();
      yield* q.join();
    })());
    expect(elapsed).toBe(0);
  });

  test('test_format: maxsize=0, then tasks=2', () => {
    const q = makeQueue();
    expect(q._format()).toBe('maxsize=0');
    q._unfinishedTasks = 2;
    expect(q._format()).toBe('maxsize=0 tasks=2');
  });

  test('Queue.join does not swallow CancelledError', () => {
    arun(function* () {
      const q = makeQueue();
      q.putNowait(1);
      const t = createTask(q.join());
      yield* sleep0();
      t.cancel('stop');
      expect(((yield* caughtIn(t)) as CancelledError).args).toEqual(['stop']);
      expect(t.cancelled()).toBe(true);
      q.getNowait();
      q.taskDone();
      yield* q.join();
    });
  });
});

describe.each([
  ['QueueShutdownTests', (maxsize?: number): Queue<string> => new Queue<string>(maxsize)],
  ['LifoQueueShutdownTests', (maxsize?: number): Queue<string> => new LifoQueue<string>(maxsize)],
  ['PriorityQueueShutdownTests', (maxsize?: number): Queue<string> => new PriorityQueue<string>(maxsize)],
])('%s (3.13)', (_name, makeQueue) => {
  /** assertRaisesShutdown for each of put, putNowait, get, getNowait. */
  function* expectAllShutDown(q: Queue<string>): Coroutine {
    expect(yield* caughtIn(q.put('data'))).toBeInstanceOf(QueueShutDown);
    expect(caught(() => q.putNowait('data'))).toBeInstanceOf(QueueShutDown);
    expect(yield* caughtIn(q.get())).toBeInstanceOf(QueueShutDown);
    expect(caught(() => q.getNowait())).toBeInstanceOf(QueueShutDown);
  }

  test('test_format: maxsize=0 shutdown', () => {
    const q = makeQueue();
    q.shutdown();
    expect(q._format()).toBe('maxsize=0 shutdown');
  });

  test('test_shutdown_empty: a pending get() raises QueueShutDown; join() returns', () => {
    arun(function* () {
      const q = makeQueue();
      const getTask = createTask(q.get());
      yield* sleep0(); // the get task is pending before the shutdown
      q.shutdown(false); // unfinished tasks: 0 -> 0
      expect(q.qsize()).toBe(0);
      yield* q.join();
      yield* sleep0();
      expect(getTask.done()).toBe(true);
      expect(yield* caughtIn(getTask)).toBeInstanceOf(QueueShutDown);
      yield* expectAllShutDown(q);
    });
  });

  test('test_shutdown_nonempty: the blocked put() raises; the item left can still be got; join() waits for taskDone()', () => {
    arun(function* () {
      const q = makeQueue(1);
      q.putNowait('data');
      const joinTask = createTask(q.join());
      const putTask = createTask(q.put('data2'));
      yield* sleep0();
      expect(putTask.done()).toBe(false);
      q.shutdown(false); // unfinished tasks: 1 -> 1
      expect(q.qsize()).toBe(1);
      yield* sleep0();
      expect(putTask.done()).toBe(true);
      expect(yield* caughtIn(putTask)).toBeInstanceOf(QueueShutDown);
      // The item enqueued can still be got.
      expect(yield* q.get()).toBe('data');
      yield* sleep0();
      expect(joinTask.done()).toBe(false);
      yield* expectAllShutDown(q);
      // One unfinished task is left; join() then returns.
      q.taskDone();
      yield* sleep0();
      expect(joinTask.done()).toBe(true);
      yield* joinTask;
      expect(() => q.taskDone()).toThrow(RangeError);
    });
  });

  test('test_shutdown_immediate: the items are dropped and count as done; join() returns', () => {
    arun(function* () {
      const q = makeQueue();
      q.putNowait('data');
      const joinTask = createTask(q.join());
      q.shutdown(true); // unfinished tasks: 1 -> 0
      expect(q.qsize()).toBe(0);
      yield* sleep0();
      expect(joinTask.done()).toBe(true);
      yield* joinTask;
      yield* expectAllShutDown(q);
      expect(() => q.taskDone()).toThrow(RangeError);
    });
  });

  test('test_shutdown_immediate_with_unfinished: an item got but not done keeps join() waiting', () => {
    arun(function* () {
      const q = makeQueue();
      q.putNowait('data');
      q.putNowait('data');
      const joinTask = createTask(q.join());
      expect(yield* q.get()).toBe('data');
      q.shutdown(true); // unfinished tasks: 2 -> 1
      expect(q.qsize()).toBe(0);
      yield* sleep0();
      expect(joinTask.done()).toBe(false);
      yield* expectAllShutDown(q);
      q.taskDone();
      expect(() => q.taskDone()).toThrow(RangeError);
      yield* sleep0();
      expect(joinTask.done()).toBe(true);
      yield* joinTask;
    });
  });

  test('shutdown(immediate) wakes every blocked getter with QueueShutDown, in FIFO order', () => {
    const log: string[] = [];
    arun(function* () {
      const q = makeQueue();
      function* getter(name: string): Coroutine {
        try {
          yield* q.get();
          log.push(`${name} got`);
        } catch (e) {
          log.push(`${name} ${(e as Error).name}`);
        }
      }
      const ts = ['g1', 'g2', 'g3'].map((n) => createTask(getter(n)));
      yield* sleep0();
      q.shutdown(true);
      yield* gather(...ts);
      expect(q._getters.length).toBe(0);
    });
    expect(log).toEqual(['g1 QueueShutDown', 'g2 QueueShutDown', 'g3 QueueShutDown']);
  });
});

describe('PriorityQueue options (issue 11)', () => {
  test('an unknown option or a compare that is not a function is a TypeError at the call', () => {
    expect(caught(() => new PriorityQueue(0, { cmp: () => 0 } as never))).toEqual(new TypeError("PriorityQueue() got an unexpected keyword argument 'cmp'"));
    expect(caught(() => new PriorityQueue(0, { compare: 5 } as never))).toEqual(new TypeError("PriorityQueue() argument 'compare' must be a function, got 5"));
    expect(caught(() => new PriorityQueue(0, 'x' as never))).toBeInstanceOf(TypeError);
    const q = new PriorityQueue<number>(0, { compare: (a, b) => b - a });
    q.putNowait(1);
    q.putNowait(3);
    expect(q.getNowait()).toBe(3);
  });
});

describe('closing a get() or put() that waits (Python: coro.close() runs the except clause)', () => {
  test('get(): closed while it waits, its getter future is cancelled and leaves _getters', () => {
    arun(function* () {
      const q = new Queue<number>();
      const c = q.get();
      const fut = c.next().value as Future<void>;
      expect([q._getters.length, fut.cancelled()]).toEqual([1, false]);
      expect(c.return(0)).toEqual({ done: true, value: 0 });
      expect([q._getters.length, fut.cancelled()]).toEqual([0, true]);
      expect(c.next()).toEqual({ done: true, value: undefined });
    });
  });

  test('put(): closed while it waits on a full queue, its putter future is cancelled, the item is not put', () => {
    arun(function* () {
      const q = new Queue<number>(1);
      q.putNowait(0);
      const c = q.put(1);
      const fut = c.next().value as Future<void>;
      expect(q._putters.length).toBe(1);
      c.return(undefined);
      expect([q._putters.length, fut.cancelled(), q.qsize()]).toEqual([0, true, 1]);
    });
  });

  test('get() and put() are coroutines named get and put', () => {
    arun(function* () {
      const q = new Queue<number>();
      const t = createTask(q.get());
      expect(iscoroutine(q.put(1))).toBe(true);
      expect(t.toString()).toContain('coro=<get()');
      yield* sleep(0);
      yield* q.put(5);
      expect(yield* t).toBe(5);
    });
  });
});

describe("the queue's waiter future is reused once its wait is over (no future allocated per switch)", () => {
  test('a get() that was woken up leaves its future, reset to pending, for the next wait', () => {
    arun(function* () {
      const q = new Queue<number>();
      const got: number[] = [];
      const consumer = createTask(
        (function* (): Coroutine {
          for (let i = 0; i < 2; i++) got.push(yield* q.get());
        })(),
      );
      yield* sleep(0);
      const first = q._getters.peekLeft() as Future<void>;
      expect(first.done()).toBe(false);
      q.putNowait(10);
      expect(first.done()).toBe(true); // woken: it left _getters
      yield* sleep(0); // the consumer took 10 and waits again
      const second = q._getters.peekLeft() as Future<void>;
      expect(second).toBe(first);
      const entries = second._doneEntries();
      expect([second.done(), entries.length]).toEqual([false, 1]);
      expect(entries[0]).toBe(consumer); // toBe: toEqual would iterate the task
      q.putNowait(11);
      yield* consumer;
      expect(got).toEqual([10, 11]);
      expect(q._spare).toBe(first);
    });
  });

  test('a cancelled waiter future is not reused: the next get() waits on a new one', () => {
    arun(function* () {
      const q = new Queue<number>();
      const t = createTask(q.get());
      yield* sleep(0);
      const first = q._getters.peekLeft() as Future<void>;
      t.cancel();
      yield* sleep(0);
      expect([t.cancelled(), first.cancelled(), q._getters.length, q._spare]).toEqual([true, true, 0, null]);
      const t2 = createTask(q.get());
      yield* sleep(0);
      const second = q._getters.peekLeft() as Future<void>;
      expect(second).not.toBe(first);
      expect(first.cancelled()).toBe(true);
      q.putNowait(1);
      expect(yield* t2).toBe(1);
    });
  });
});
