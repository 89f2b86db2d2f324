// Ordering assertions: a Set in the expected sequence marks a group whose inner order is free.
/** Asserts `log` matches `expected`, where a Set stands for its members in any order. */
export function expectSequence(log: readonly unknown[], expected: readonly unknown[]): void {
  let i = 0;
  const normalised: unknown[] = [];
  for (const item of expected) {
    if (item instanceof Set) {
      const group = log.slice(i, i + item.size);
      expect(new Set(group)).toEqual(item);
      normalised.push(...group);
      i += item.size;
    } else {
      normalised.push(item);
      i++;
    }
  }
  expect(log).toEqual(normalised);
}
