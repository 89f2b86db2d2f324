// The error classes of exceptions.ts (Python asyncio/exceptions.py, ExceptionGroup and the OS
// errors), toError() and isCancelledError().
import {
  BlockingIOError, BrokenBarrierError, BrokenPipeError, CancelledError, ConnectionAbortedError,
  ConnectionError, ConnectionRefusedError, ConnectionResetError, DeadlockError, ExceptionGroup,
  FatalError, KeyboardInterrupt, IncompleteReadError, InvalidStateError, LimitOverrunError, OSError, QueueEmpty,
  QueueFull, QueueShutDown, RuntimeError, TimeoutError, isCancelledError, toError,
} from '../lib';

describe('error classes', () => {
  test.each<[string, new (msg: string) => Error, (abstract new (...a: never[]) => Error)[]]>([
    ['RuntimeError', RuntimeError, []],
    ['TimeoutError', TimeoutError, []],
    ['InvalidStateError', InvalidStateError, []],
    ['QueueEmpty', QueueEmpty, []],
    ['QueueFull', QueueFull, []],
    ['QueueShutDown', QueueShutDown, []],
    ['BrokenBarrierError', BrokenBarrierError, [RuntimeError]],
    ['DeadlockError', DeadlockError, [RuntimeError]],
    ['FatalError', FatalError, []],
    ['KeyboardInterrupt', KeyboardInterrupt, [FatalError]],
    ['OSError', OSError, []],
    ['BlockingIOError', BlockingIOError, [OSError]],
    ['ConnectionError', ConnectionError, [OSError]],
    ['ConnectionResetError', ConnectionResetError, [ConnectionError, OSError]],
    ['ConnectionRefusedError', ConnectionRefusedError, [ConnectionError, OSError]],
    ['ConnectionAbortedError', ConnectionAbortedError, [ConnectionError, OSError]],
    ['BrokenPipeError', BrokenPipeError, [ConnectionError, OSError]],
  ])('%s: is an Error with its Python name, its message and its base classes', (name, Cls, bases) => {
    const e = new Cls('something went wrong');
    expect(e).toBeInstanceOf(Error);
    expect(e).toBeInstanceOf(Cls);
    for (const b of bases) expect(e).toBeInstanceOf(b);
    expect(e.name).toBe(name);
    expect(e.message).toBe('something went wrong');
    expect(String(e)).toBe(`${name}: something went wrong`);
    expect(e.stack).toContain(name);
    expect(isCancelledError(e)).toBe(false);
  });

  test('TimeoutError and CancelledError are unrelated: catching one never catches the other', () => {
    const e = new TimeoutError('late');
    expect(e).toBeInstanceOf(TimeoutError);
    expect(e).not.toBeInstanceOf(CancelledError);
    expect(new CancelledError()).not.toBeInstanceOf(TimeoutError);
  });

  test('CancelledError: args is [msg] with a message and [] without (None too); non-strings round-trip', () => {
    const none = new CancelledError();
    expect(none.name).toBe('CancelledError');
    expect(none.args).toEqual([]);
    expect(none.message).toBe('');
    expect(new CancelledError(null).args).toEqual([]);
    const m = new CancelledError('my message');
    expect(m.args).toEqual(['my message']);
    expect(m.message).toBe('my message');
    const five = new CancelledError(5);
    expect(five.args).toEqual([5]);
    expect(five.message).toBe('5');
    const obj = { why: 'x' };
    const o = new CancelledError(obj);
    expect(o.args[0]).toBe(obj);
    expect(o.message).toBe('{"why":"x"}');
    expect(m).toBeInstanceOf(Error);
  });

  test('IncompleteReadError: partial, expected and the message "3 bytes read on a total of 10 expected bytes"', () => {
    const partial = Buffer.from('abc');
    const e = new IncompleteReadError(partial, 10);
    expect(e.name).toBe('IncompleteReadError');
    expect(e.partial).toBe(partial);
    expect(e.expected).toBe(10);
    expect(e.message).toBe('3 bytes read on a total of 10 expected bytes');
    const u = new IncompleteReadError(Buffer.from('abc'), null);
    expect(u.expected).toBeNull();
    expect(u.message).toBe('3 bytes read on a total of undefined expected bytes');
  });

  test('LimitOverrunError: keeps its message and consumed', () => {
    const e = new LimitOverrunError('Separator is not found, and chunk exceed the limit', 70000);
    expect(e.name).toBe('LimitOverrunError');
    expect(e.message).toBe('Separator is not found, and chunk exceed the limit');
    expect(e.consumed).toBe(70000);
  });

  test("OSError: Python's positive errno and Node's code", () => {
    const e = new ConnectionResetError('Connection reset by peer', 104, 'ECONNRESET');
    expect(e.errno).toBe(104);
    expect(e.code).toBe('ECONNRESET');
    expect(e.message).toBe('Connection reset by peer');
    const bare = new OSError('x');
    expect(bare.errno).toBeUndefined();
    expect(bare.code).toBeUndefined();
  });
});

describe('ExceptionGroup', () => {
  function sample(): { eg: ExceptionGroup; a: TypeError; b: RangeError; c: TypeError; d: RangeError; inner: ExceptionGroup } {
    const a = new TypeError('a');
    const b = new RangeError('b');
    const c = new TypeError('c');
    const d = new RangeError('d');
    const inner = new ExceptionGroup('inner', [c, d]);
    const eg = new ExceptionGroup('msg', [a, b, inner]);
    return { eg, a, b, c, d, inner };
  }

  /** A group as a plain tree (message and leaves), for comparison. */
  function shape(e: Error | null): unknown {
    if (e === null) return null;
    if (e instanceof ExceptionGroup) return [e.message, e.exceptions.map(shape)];
    return e.message;
  }

  test('is an AggregateError named ExceptionGroup; exceptions is errors', () => {
    const { eg, a, b, inner } = sample();
    expect(eg).toBeInstanceOf(AggregateError);
    expect(eg).toBeInstanceOf(Error);
    expect(eg.name).toBe('ExceptionGroup');
    expect(eg.message).toBe('msg');
    expect(eg.exceptions).toEqual([a, b, inner]);
    expect(eg.exceptions[0]).toBe(a);
    expect(eg.errors).toBe(eg.exceptions);
  });

  test('an empty list of exceptions is refused (Python ValueError)', () => {
    expect(() => new ExceptionGroup('x', [])).toThrow('second argument (exceptions) must be a non-empty sequence');
  });

  test('split(Class) keeps the nesting on both sides (as Python)', () => {
    const { eg, a, c } = sample();
    const [match, rest] = eg.split(TypeError);
    expect(shape(match)).toEqual(['msg', ['a', ['inner', ['c']]]]);
    expect(shape(rest)).toEqual(['msg', ['b', ['inner', ['d']]]]);
    expect(match?.exceptions[0]).toBe(a);
    expect((match?.exceptions[1] as ExceptionGroup).exceptions[0]).toBe(c);
    expect(match).toBeInstanceOf(ExceptionGroup);
  });

  test('split(predicate) tests groups too: a matching nested group moves as a whole', () => {
    const { eg, inner } = sample();
    const [match, rest] = eg.split((e) => e instanceof ExceptionGroup && e.message === 'inner');
    expect(shape(match)).toEqual(['msg', [['inner', ['c', 'd']]]]);
    expect(match?.exceptions[0]).toBe(inner);
    expect(shape(rest)).toEqual(['msg', ['a', 'b']]);
  });

  test('split() matching the whole group returns [group, null]; matching nothing returns [null, group-like]', () => {
    const { eg } = sample();
    const [all, none] = eg.split(Error);
    expect(all).toBe(eg);
    expect(none).toBeNull();
    const [m, r] = eg.split(SyntaxError);
    expect(m).toBeNull();
    expect(shape(r)).toEqual(shape(eg));
  });

  test('subgroup() is the matching side of split(), or null', () => {
    const { eg } = sample();
    expect(eg.subgroup(SyntaxError)).toBeNull();
    expect(eg.subgroup(Error)).toBe(eg);
    expect(shape(eg.subgroup((e) => e.message === 'd'))).toEqual(['msg', [['inner', ['d']]]]);
    expect(shape(eg.subgroup(RangeError))).toEqual(['msg', ['b', ['inner', ['d']]]]);
  });
});

describe('toError / isCancelledError', () => {
  test('toError: an Error passes through unchanged, whatever its class', () => {
    const e = new RangeError('r');
    expect(toError(e)).toBe(e);
    const c = new CancelledError('x');
    expect(toError(c)).toBe(c);
  });

  test('toError: a string becomes the message; other values are described; the value is kept as cause', () => {
    const s = toError('boom');
    expect(s).toBeInstanceOf(Error);
    expect(s.message).toBe('boom');
    expect(s.cause).toBe('boom');
    const n = toError(42);
    expect(n.message).toBe('non-Error value thrown: 42');
    expect(n.cause).toBe(42);
    const u = toError(undefined);
    expect(u.message).toBe('non-Error value thrown: undefined');
    expect('cause' in u).toBe(true);
    expect(u.cause).toBeUndefined();
    const obj = { code: 1 };
    const o = toError(obj);
    expect(o.message).toBe('non-Error value thrown: <Object object>');
    expect(o.cause).toBe(obj);
  });

  test('isCancelledError: true only for CancelledError (and subclasses)', () => {
    class MyCancel extends CancelledError {}
    expect(isCancelledError(new CancelledError())).toBe(true);
    expect(isCancelledError(new MyCancel('m'))).toBe(true);
    expect(isCancelledError(new Error('CancelledError'))).toBe(false);
    expect(isCancelledError(new TimeoutError())).toBe(false);
    expect(isCancelledError({ name: 'CancelledError' })).toBe(false);
    expect(isCancelledError(null)).toBe(false);
  });
});

describe('ExceptionGroup arguments (issue 11 item 8; Python: BaseExceptionGroup.__new__)', () => {
  test('test_exception_group_types: the message must be a string and the errors an array of Errors', () => {
    expect(() => new ExceptionGroup(1 as unknown as string, [new Error('x')])).toThrow(new TypeError('ExceptionGroup() argument 1 must be str, got 1'));
    expect(() => new ExceptionGroup('m', 'abc' as never)).toThrow(new TypeError("second argument (exceptions) must be a sequence (an array), got 'abc'"));
    expect(() => new ExceptionGroup('m', [new Error('a'), 1] as never)).toThrow(new TypeError('Item 1 of second argument (exceptions) is not an exception: 1'));
    expect(() => new ExceptionGroup('m', [])).toThrow('second argument (exceptions) must be a non-empty sequence');
    expect(new ExceptionGroup('m', [new Error('a')]).exceptions).toHaveLength(1);
  });

  test('split(123) is a TypeError (Python: "expected a function, exception type or tuple of exception types")', () => {
    const eg = new ExceptionGroup('m', [new Error('a')]);
    expect(() => eg.split(123 as never)).toThrow(new TypeError('expected a function or an Error class, got 123'));
    expect(() => eg.subgroup('x' as never)).toThrow(TypeError);
  });
});
