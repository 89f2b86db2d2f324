// Names and states of generator objects (for reprs), and describe() for error messages.
import { coroName, coroRepr, describe as describeValue } from '../../lib/internal/introspect';

function* namedCoroutine(): Generator<number, void, unknown> {
  yield 1;
}

describe('introspect', () => {
  test('coroName gives the generator function name', () => {
    expect(coroName(namedCoroutine())).toBe('namedCoroutine');
  });

  test('coroRepr shows the state: suspended has no suffix, running and done are named', () => {
    const g = namedCoroutine();
    expect(coroRepr(g)).toBe('namedCoroutine()');
    let inside = '';
    function* self(): Generator<void, void, unknown> {
      inside = coroRepr(me);
      yield;
    }
    const me = self();
    me.next();
    expect(inside).toBe('self() running');
    g.next();
    g.next();
    expect(coroRepr(g)).toBe('namedCoroutine() done');
  });

  test('describe prints values the way the error messages need them', () => {
    expect(describeValue(123)).toBe('123');
    expect(describeValue('abc')).toBe("'abc'");
    expect(describeValue(null)).toBe('null');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue(function named() {})).toBe('<function named>');
    class Thing {
      readonly kind = 'thing';
    }
    expect(describeValue(new Thing())).toBe('<Thing object>');
    expect(describeValue({ toString: () => 'custom' })).toBe('custom');
  });

  test('describe shows bigints, arrays and bytes for what they are (not as their toString)', () => {
    expect(describeValue(10n)).toBe('10n');
    expect(describeValue([])).toBe('[]');
    expect(describeValue([1, 'a', [2, [3]]])).toBe("[1, 'a', [2, [...]]]");
    expect(describeValue([1, 2, 3, 4, 5, 6])).toBe('[1, 2, 3, 4, 5, ...]');
    expect(describeValue(Buffer.from('ab'))).toBe('<Buffer 61 62>');
    expect(describeValue(new Uint8Array(10))).toBe('<Uint8Array 00 00 00 00 00 00 00 00 ...>');
    expect(describeValue(Buffer.alloc(0))).toBe('<Buffer>');
    expect(describeValue(Symbol('s'))).toBe('Symbol(s)');
  });
});
