// The ring-buffer Deque behind the loop's ready queue (Python collections.deque, as asyncio uses it).
import { Deque } from '../../lib/internal/deque';

describe('Deque', () => {
  test('push/popLeft is first in, first out', () => {
    const d = new Deque<number>();
    for (let i = 0; i < 5; i++) d.push(i);
    expect(d.length).toBe(5);
    const out: (number | undefined)[] = [];
    while (d.length > 0) out.push(d.popLeft());
    expect(out).toEqual([0, 1, 2, 3, 4]);
  });

  test('popLeft() and pop() on an empty deque return undefined and leave it empty', () => {
    const d = new Deque<string>();
    expect(d.popLeft()).toBeUndefined();
    expect(d.pop()).toBeUndefined();
    expect(d.peekLeft()).toBeUndefined();
    expect(d.length).toBe(0);
    d.push('a');
    expect(d.popLeft()).toBe('a');
    expect(d.popLeft()).toBeUndefined();
    expect(d.length).toBe(0);
  });

  test('growth while the ring has wrapped keeps the order', () => {
    const d = new Deque<number>(16);
    // Move the head to the middle of the buffer, then wrap around the end of it.
    for (let i = 0; i < 10; i++) d.push(-1);
    for (let i = 0; i < 10; i++) d.popLeft();
    for (let i = 0; i < 16; i++) d.push(i); // fills the 16 slots, wrapping past the end
    expect([...d]).toEqual(Array.from({ length: 16 }, (_, i) => i));
    for (let i = 16; i < 100; i++) d.push(i); // grows (several times) from the wrapped state
    expect(d.length).toBe(100);
    expect([...d]).toEqual(Array.from({ length: 100 }, (_, i) => i));
    const out: number[] = [];
    for (let v = d.popLeft(); v !== undefined; v = d.popLeft()) out.push(v);
    expect(out).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  test('interleaved push/popLeft across many wraps matches an array model', () => {
    const d = new Deque<number>();
    const model: number[] = [];
    let next = 0;
    for (let round = 0; round < 200; round++) {
      const pushes = (round * 7) % 13;
      const pops = (round * 5) % 11;
      for (let i = 0; i < pushes; i++) {
        d.push(next);
        model.push(next++);
      }
      for (let i = 0; i < pops; i++) expect(d.popLeft()).toBe(model.shift());
      expect(d.length).toBe(model.length);
    }
    expect([...d]).toEqual(model);
  });

  test('pushLeft, pop, peekLeft and at() work from both ends', () => {
    const d = new Deque<string>();
    d.push('b');
    d.push('c');
    d.pushLeft('a');
    expect([...d]).toEqual(['a', 'b', 'c']);
    expect(d.peekLeft()).toBe('a');
    expect(d.at(0)).toBe('a');
    expect(d.at(2)).toBe('c');
    expect(d.at(3)).toBeUndefined();
    expect(d.at(-1)).toBeUndefined();
    expect(d.pop()).toBe('c');
    expect([...d]).toEqual(['a', 'b']);
  });

  test('remove() deletes the first equal element only and reports whether it found one', () => {
    const d = new Deque<number>();
    for (const x of [1, 2, 3, 2, 4]) d.push(x);
    expect(d.remove(2)).toBe(true);
    expect([...d]).toEqual([1, 3, 2, 4]);
    expect(d.remove(9)).toBe(false);
    expect([...d]).toEqual([1, 3, 2, 4]);
    expect(d.remove(1)).toBe(true);
    expect(d.remove(4)).toBe(true);
    expect([...d]).toEqual([3, 2]);
    expect(d.length).toBe(2);
  });

  test('remove() works when the contents wrap around the end of the buffer', () => {
    const d = new Deque<number>(16);
    for (let i = 0; i < 12; i++) d.push(-1);
    for (let i = 0; i < 12; i++) d.popLeft();
    for (let i = 0; i < 10; i++) d.push(i); // occupies slots 12..15 and 0..5
    expect(d.remove(3)).toBe(true); // before the wrap point
    expect(d.remove(6)).toBe(true); // after it
    expect([...d]).toEqual([0, 1, 2, 4, 5, 7, 8, 9]);
    d.push(10);
    expect([...d]).toEqual([0, 1, 2, 4, 5, 7, 8, 9, 10]);
  });

  test('indexOf() finds the first occurrence, indexNear() the one nearest an end; removeAt() keeps the order', () => {
    const d = new Deque<number>(16);
    for (let i = 0; i < 13; i++) d.push(-1);
    for (let i = 0; i < 13; i++) d.popLeft(); // the contents below wrap around the buffer's end
    for (const x of [5, 1, 2, 1, 3, 5, 4]) d.push(x);
    expect(d.indexOf(5)).toBe(0);
    expect(d.indexOf(1)).toBe(1);
    expect(d.indexOf(3)).toBe(4);
    expect(d.indexOf(4)).toBe(6);
    expect(d.indexOf(9)).toBe(-1);
    expect(d.indexNear(4)).toBe(6);
    expect(d.indexNear(3)).toBe(4);
    expect(d.indexNear(2)).toBe(2);
    expect([1, 3]).toContain(d.indexNear(1));
    expect(d.indexNear(9)).toBe(-1);
    d.removeAt(1); // nearer the head: the head side moves
    expect([...d]).toEqual([5, 2, 1, 3, 5, 4]);
    d.removeAt(4); // nearer the tail: the tail side moves
    expect([...d]).toEqual([5, 2, 1, 3, 4]);
    d.removeAt(0);
    d.removeAt(3);
    expect([...d]).toEqual([2, 1, 3]);
    d.pushLeft(0);
    d.push(9);
    expect([...d]).toEqual([0, 2, 1, 3, 9]);
    expect(d.discard(9)).toBe(true);
    expect(d.discard(0)).toBe(true);
    expect(d.discard(7)).toBe(false);
    expect([...d]).toEqual([2, 1, 3]);
  });

  test('discard() of distinct elements in any order matches an array model', () => {
    for (const order of ['head', 'tail', 'alternate', 'middle']) {
      const d = new Deque<number>(16);
      for (let i = 0; i < 5; i++) {
        d.push(0);
        d.popLeft();
      }
      const model = Array.from({ length: 37 }, (_, i) => i);
      for (const x of model) d.push(x);
      for (let k = 0; model.length > 0; k++) {
        const at = order === 'head' ? 0 : order === 'tail' ? model.length - 1
          : order === 'alternate' ? (k % 2 === 0 ? 0 : model.length - 1) : model.length >> 1;
        expect(d.indexNear(model[at])).toBe(at);
        expect(d.discard(model[at])).toBe(true);
        model.splice(at, 1);
        expect([...d]).toEqual(model);
      }
    }
  });

  test('remove() at random positions, with duplicates, matches an array model', () => {
    let seed = 12345;
    const rnd = (k: number): number => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed % k;
    };
    for (let round = 0; round < 50; round++) {
      const d = new Deque<number>(16);
      const model: number[] = [];
      for (let i = 0; i < rnd(7); i++) {
        d.push(0);
        d.popLeft(); // start the ring at another offset each round
      }
      for (let i = 0; i < 40; i++) {
        const x = rnd(15);
        if (rnd(3) === 0) {
          d.pushLeft(x);
          model.unshift(x);
        } else {
          d.push(x);
          model.push(x);
        }
      }
      while (model.length > 0) {
        const x = rnd(16);
        expect(d.indexOf(x)).toBe(model.indexOf(x));
        const at = model.indexOf(x);
        expect(d.remove(x)).toBe(at >= 0);
        if (at >= 0) model.splice(at, 1);
        else {
          d.removeAt(0);
          model.shift();
        }
        expect([...d]).toEqual(model);
      }
    }
  });

  test('clear() empties the deque and it stays usable', () => {
    const d = new Deque<number>();
    for (let i = 0; i < 40; i++) d.push(i);
    d.clear();
    expect(d.length).toBe(0);
    expect([...d]).toEqual([]);
    d.push(1);
    expect(d.popLeft()).toBe(1);
  });
});
