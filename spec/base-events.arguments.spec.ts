// Issue 11 (bad input is an error at the call): the loop's own entry points. Python passes a
// callback's positional arguments through untouched, checks call_soon's callback at once, rejects
// unknown keyword arguments, and its default handler shows a throwing handler's original context.
import {
  BaseEventLoop, Context, ContextVar, EventLoop, Task, VirtualClock, createTask, getRunningLoop, runSync, sleep, toError,
  type Coroutine, type ExceptionContext,
} from '../lib';
import { caught } from './helpers/caught';
import { virtualLoop } from './helpers/virtual';

function* nothing(): Coroutine<number> {
  yield* sleep(0);
  return 7;
}

describe('callSoon/callLater/callAt: a callback gets every argument (item 3)', () => {
  test.each([
    ['{ context: \'x\' }', { context: 'x' }],
    ['{ context: null }', { context: null }],
    ['{ context: 5, more: 1 }', { context: 5, more: 1 }],
    ['an object with a Context and another key', { context: new Context(), other: true }],
  ])('a trailing %s is an argument, not the options object', (_what, last) => {
    const loop = virtualLoop();
    const got: unknown[][] = [];
    const record = (...args: unknown[]): void => { got.push(args); };
    loop.callSoon(record, 1, last as never);
    loop.callLater(0, record, 2, last as never);
    loop.callAt(loop.time(), record, 3, last as never);
    loop.runUntilCompleteSync(nothing());
    expect(got).toEqual([[1, last], [2, last], [3, last]]);
    loop.close();
  });

  test('only { context: <a Context> } is the option: the callback runs in it and does not receive it', () => {
    const loop = virtualLoop();
    const v = new ContextVar<string>('v', { default: 'outer' });
    const ctx = new Context();
    ctx.run(() => v.set('inner'));
    const got: unknown[][] = [];
    loop.callSoon((...args: unknown[]) => { got.push([...args, v.get()]); }, 'a', { context: ctx });
    loop.runUntilCompleteSync(nothing());
    expect(got).toEqual([['a', 'inner']]);
    loop.close();
  });

  test('a non-function callback is a TypeError at the call (Python: call_soon checks it)', () => {
    const loop = virtualLoop();
    expect(() => loop.callSoon(123 as never)).toThrow(new TypeError('a callable object was expected by callSoon(), got 123'));
    loop.close();
  });
});

describe('loop options (the constructors reject unknown or ill-typed options)', () => {
  test.each([
    ['BaseEventLoop', (o: object) => new BaseEventLoop(o as never)],
    ['EventLoop', (o: object) => new EventLoop(o as never)],
  ])('%s: an unknown key, a clock that is not a Clock, a non-boolean debug', (name, make) => {
    expect(() => make({ clok: new VirtualClock() })).toThrow(new TypeError(`${name}() got an unexpected keyword argument 'clok'`));
    expect(() => make({ clock: 5 })).toThrow(new TypeError(`${name}() argument 'clock' must be a Clock, got 5`));
    expect(() => make({ debug: 'yes' })).toThrow(new TypeError(`${name}() argument 'debug' must be a boolean, got 'yes'`));
    const loop = make({ clock: new VirtualClock(), debug: true });
    expect(loop.getDebug()).toBe(true);
    loop.close();
  });

  test('SelectorEventLoop: selector must be a Selector', () => {
    expect(() => new EventLoop({ selector: {} as never })).toThrow(new TypeError("SelectorEventLoop() argument 'selector' must be a Selector, got <Object object>"));
  });
});

describe('createTask / new Task options', () => {
  test('loop.createTask: unknown key and a context that is not a Context', () => {
    const loop = virtualLoop();
    const c1 = nothing();
    expect(() => loop.createTask(c1, { nmae: 'x' } as never)).toThrow("createTask() got an unexpected keyword argument 'nmae'");
    expect(() => loop.createTask(c1, { context: 'x' } as never)).toThrow(new TypeError("createTask() argument 'context' must be a Context, got 'x'"));
    expect(loop.runUntilCompleteSync(loop.createTask(c1, { name: 'ok' }))).toBe(7);
    loop.close();
  });

  test('new Task: unknown key, a loop that is not a loop, a non-boolean eagerStart', () => {
    const loop = virtualLoop();
    const c = nothing();
    expect(() => new Task(c, { loop, eager_start: true } as never)).toThrow("Task() got an unexpected keyword argument 'eager_start' (did you mean eagerStart?)");
    expect(() => new Task(c, { loop: 'abc' } as never)).toThrow(new TypeError("Task() argument 'loop' must be an event loop, got 'abc'"));
    expect(() => new Task(c, { loop, eagerStart: 1 } as never)).toThrow(new TypeError("Task() argument 'eagerStart' must be a boolean, got 1"));
    expect(loop.runUntilCompleteSync(new Task(c, { loop, name: 'fine' }))).toBe(7);
    loop.close();
  });

  test('a task factory that returns something other than a Future is a TypeError at createTask', () => {
    const loop = virtualLoop();
    loop.setTaskFactory(() => 5 as never);
    const c = nothing();
    expect(() => loop.createTask(c)).toThrow(new TypeError('the task factory must return a Future or a Task, got 5'));
    loop.setTaskFactory(null);
    expect(loop.runUntilCompleteSync(loop.createTask(c))).toBe(7);
    loop.close();
  });

  test('createTask() inside a running loop goes through the same check', () => {
    const clock = new VirtualClock();
    const e = runSync((function* (): Coroutine<unknown> {
      const c = nothing();
      const err = caught(() => createTask(c, { contxt: null } as never));
      yield* createTask(c);
      return err;
    })(), { clock });
    expect(e).toEqual(new TypeError("createTask() got an unexpected keyword argument 'contxt'"));
  });
});

describe('the exception handler (item 8)', () => {
  let errors: string[];
  let spy: jest.SpyInstance;
  beforeEach(() => {
    errors = [];
    spy = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => { errors.push(a.map(String).join(' ')); });
  });
  afterEach(() => { spy.mockRestore(); });

  test('a throwing custom handler: the report shows the original context, message and error included', () => {
    const loop = virtualLoop();
    loop.setExceptionHandler(() => { throw new Error('handler broke'); });
    loop.callExceptionHandler({ message: 'original problem', exception: new RangeError('the real error') });
    expect(errors).toHaveLength(1);
    const [first, second] = errors[0].split('\n');
    expect(first).toBe('Unhandled error in exception handler');
    expect(second).toBe("context: {'message': 'original problem', 'exception': RangeError: the real error}");
    expect(errors[0]).toContain('Error: handler broke');
    loop.close();
  });

  test('callExceptionHandler/defaultExceptionHandler need an object (Python: a dict)', () => {
    const loop = virtualLoop();
    expect(() => { loop.callExceptionHandler(null as unknown as ExceptionContext); })
      .toThrow(new TypeError("callExceptionHandler() argument 'context' must be an object, got null"));
    expect(() => { loop.defaultExceptionHandler('x' as unknown as ExceptionContext); })
      .toThrow(new TypeError("defaultExceptionHandler() argument 'context' must be an object, got 'x'"));
    expect(errors).toEqual([]);
    loop.close();
  });
});

describe('a non-Error thrown by the main coroutine (item 8: the caller catches what was thrown)', () => {
  function* throws(value: unknown): Coroutine {
    yield* sleep(0);
    throw value;
  }

  test.each([['a string', 'boom'], ['a number', 42], ['an object', { code: 7 }], ['undefined', undefined]])(
    'runSync: %s comes out as itself', (_what, value) => {
      expect(caught(() => runSync(throws(value), { clock: new VirtualClock() }))).toBe(value);
    },
  );

  test('loop.runUntilComplete rejects with the thrown value itself; inside the loop it is an Error with the value as cause', async () => {
    const loop = virtualLoop();
    const value = { code: 7 };
    const t = loop.createTask(throws(value));
    await expect(loop.runUntilComplete(t)).rejects.toBe(value);
    expect(t.exception()).toEqual(toError(value));
    expect(t.exception()?.cause).toBe(value);
    loop.close();
  });

  test('getRunningLoop inside the program is the loop the options made', () => {
    const clock = new VirtualClock(5);
    expect(runSync((function* (): Coroutine<number> { yield* sleep(1); return getRunningLoop().time(); })(), { clock })).toBe(6);
  });
});
