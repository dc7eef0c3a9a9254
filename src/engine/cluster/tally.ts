import { insertAt, removeAt } from './array-edit.js';

/**
 * A small count per key (a story's authors, its categories) as one flat array `[key0, n0, key1, n1…]`
 * in first-seen order: it behaves like the `Map<string, number>` it replaces (same order, same
 * entries), but every live story had two of those maps, and with 100,000 stories their allocation
 * and the garbage collector's copying of them were a good part of the cost of a new story.
 * Tallies stay small (at most twenty authors, a few categories), so lookups are linear scans.
 */
export type Tally = (string | number)[];

export function tallySize(t: Tally): number {
  return t.length >> 1;
}

/** Adds one to `key` (appended if new). */
export function tallyAdd(t: Tally, key: string): void {
  for (let i = 0; i < t.length; i += 2) {
    if (t[i] === key) {
      t[i + 1] = (t[i + 1] as number) + 1;
      return;
    }
  }
  t.push(key, 1);
}

/** From stored pairs, as `new Map(pairs)` would: a repeated key keeps its first place and last count. */
export function tallyFrom(pairs: readonly (readonly [string, number])[]): Tally {
  const t: Tally = [];
  outer: for (const [key, n] of pairs) {
    for (let i = 0; i < t.length; i += 2) {
      if (t[i] === key) {
        t[i + 1] = n;
        continue outer;
      }
    }
    t.push(key, n);
  }
  return t;
}

export function tallyEntries(t: Tally): [string, number][] {
  const out: [string, number][] = [];
  for (let i = 0; i < t.length; i += 2) out.push([t[i] as string, t[i + 1] as number]);
  return out;
}

/** The key with the highest count, the first one on a tie; null when empty or all counts are 0 or less. */
export function tallyTop(t: Tally): string | null {
  let best: string | null = null;
  let max = 0;
  for (let i = 0; i < t.length; i += 2) {
    const n = t[i + 1] as number;
    if (n > max) {
      best = t[i] as string;
      max = n;
    }
  }
  return best;
}

/** The `n` keys with the highest counts, highest first, ties in first-seen order (a stable sort's). */
export function tallyTopKeys(t: Tally, n: number): string[] {
  const keys: string[] = [];
  const counts: number[] = [];
  for (let e = 0; e < t.length; e += 2) {
    const v = t[e + 1] as number;
    let i = keys.length;
    while (i > 0 && counts[i - 1]! < v) i--;
    if (i >= n) continue;
    insertAt(keys, i, t[e] as string);
    insertAt(counts, i, v);
    if (keys.length > n) {
      keys.pop();
      counts.pop();
    }
  }
  return keys;
}

/** Removes the key with the lowest count (the first one on a tie). */
export function tallyDropSmallest(t: Tally): void {
  let min = Number.POSITIVE_INFINITY;
  let at = -1;
  for (let i = 0; i < t.length; i += 2) {
    const n = t[i + 1] as number;
    if (n < min) {
      min = n;
      at = i;
    }
  }
  if (at >= 0) removeAt(t, at, 2);
}
