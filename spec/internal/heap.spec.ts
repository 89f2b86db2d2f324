// The loop's timer heap (Python heapq over TimerHandle): ordered by (when, seq), so equal deadlines are FIFO.
import { TimerHeap, type HeapItem } from '../../lib/internal/heap';
import { mulberry32 as prng } from '../helpers/prng';

interface Item extends HeapItem {
  label: string;
}

let seq = 0;
function item(when: number, label = `t${when}`): Item {
  return { _when: when, _seq: seq++, label };
}

function drain(h: TimerHeap<Item>): string[] {
  const out: string[] = [];
  for (let x = h.pop(); x !== undefined; x = h.pop()) out.push(x.label);
  return out;
}


describe('TimerHeap', () => {
  test('pops in deadline order', () => {
    const h = new TimerHeap<Item>();
    for (const w of [5, 1, 4, 2, 3]) h.push(item(w));
    expect(h.size).toBe(5);
    expect(h.peek()?.label).toBe('t1');
    expect(drain(h)).toEqual(['t1', 't2', 't3', 't4', 't5']);
    expect(h.size).toBe(0);
  });

  test('equal deadlines come out in the order pushed (seq breaks ties)', () => {
    const h = new TimerHeap<Item>();
    const labels = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    h.push(item(2, 'late'));
    for (const l of labels) h.push(item(1, l));
    h.push(item(0, 'early'));
    expect(drain(h)).toEqual(['early', ...labels, 'late']);
  });

  test('pop() and peek() on an empty heap return undefined', () => {
    const h = new TimerHeap<Item>();
    expect(h.peek()).toBeUndefined();
    expect(h.pop()).toBeUndefined();
    h.push(item(1, 'x'));
    expect(h.pop()?.label).toBe('x');
    expect(h.pop()).toBeUndefined();
    expect(h.size).toBe(0);
  });

  test('negative and infinite deadlines are ordered too', () => {
    const h = new TimerHeap<Item>();
    h.push(item(Infinity, 'inf'));
    h.push(item(-1, 'a'));
    h.push(item(-2, 'b'));
    h.push(item(0, 'zero'));
    expect(drain(h)).toEqual(['b', 'a', 'zero', 'inf']);
  });

  test('filter() keeps only the matching items and the (when, seq) order', () => {
    const h = new TimerHeap<Item>();
    const items: Item[] = [];
    for (let i = 0; i < 50; i++) {
      const it = item(i % 7, `i${i}`);
      items.push(it);
      h.push(it);
    }
    h.filter((x) => Number(x.label.slice(1)) % 3 !== 0);
    const expected = items
      .filter((x) => Number(x.label.slice(1)) % 3 !== 0)
      .sort((a, b) => a._when - b._when || a._seq - b._seq)
      .map((x) => x.label);
    expect(h.size).toBe(expected.length);
    expect(drain(h)).toEqual(expected);
  });

  test('toArray() copies the contents and clear() empties the heap', () => {
    const h = new TimerHeap<Item>();
    for (const w of [3, 1, 2]) h.push(item(w));
    const arr = h.toArray();
    expect(arr.map((x) => x._when).sort()).toEqual([1, 2, 3]);
    arr.length = 0;
    expect(h.size).toBe(3);
    h.clear();
    expect(h.size).toBe(0);
    expect(h.peek()).toBeUndefined();
  });

  test('randomized pushes, pops and filters match a sorted array', () => {
    const seed = Number(process.env.HEAP_SEED ?? Date.now() % 1_000_000);
    console.log(`heap randomized test seed=${seed} (rerun with HEAP_SEED=${seed})`);
    const rand = prng(seed);
    const h = new TimerHeap<Item>();
    let model: Item[] = [];
    const byKey = (a: Item, b: Item): number => a._when - b._when || a._seq - b._seq;
    for (let step = 0; step < 5000; step++) {
      const r = rand();
      if (r < 0.55) {
        // Few distinct deadlines, so ties (and the seq tiebreak) are common.
        const it = item(Math.floor(rand() * 20) / 4, `s${step}`);
        h.push(it);
        model.push(it);
        model.sort(byKey);
      } else if (r < 0.97) {
        const got = h.pop();
        const want = model.shift();
        expect(got).toBe(want);
      } else {
        const cut = rand();
        const keep = (x: Item): boolean => (x._seq * 2654435761 % 1000) / 1000 >= cut;
        h.filter(keep);
        model = model.filter(keep);
      }
      expect(h.size).toBe(model.length);
      expect(h.peek()).toBe(model[0]);
    }
    expect(drain(h)).toEqual(model.map((x) => x.label));
  });
});
