/**
 * In-place insertion and removal in plain arrays. `splice` allocates the array of removed elements
 * even when nobody reads it; these run for every mention (a story's times, its top authors), where
 * that garbage was a good part of what the collector had to sweep.
 */

/** Inserts `value` at index `at` (0 ≤ at ≤ length), moving the rest up. */
export function insertAt<T>(list: T[], at: number, value: T): void {
  let i = list.length;
  list.push(value);
  for (; i > at; i--) list[i] = list[i - 1]!;
  list[at] = value;
}

/** Removes `count` elements from index `at` (at + count ≤ length), moving the rest down. */
export function removeAt<T>(list: T[], at: number, count: number): void {
  const end = list.length - count;
  for (let i = at; i < end; i++) list[i] = list[i + count]!;
  list.length = end;
}
