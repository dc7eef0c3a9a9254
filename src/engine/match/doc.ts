/**
 * What a compiled query is evaluated against: for each atom (a word key or a prefix) hit by the
 * current mention, the word positions where it occurs. Arrays are reused across mentions and
 * invalidated with a generation stamp, so scanning a mention allocates almost nothing.
 */
export interface DocFields {
  /** Account handle, lowercase without `@`, or null. */
  account: string | null;
  authorHandle: string;
  authorId: string;
  lang: string;
  source: string;
}

export class MatchDoc {
  gen = 0;
  stamp: Int32Array;
  /** First position of each atom hit (valid when its stamp is `gen`). */
  first: Int32Array;
  /** Positions of each atom hit, this mention. */
  counts: Int32Array;
  /**
   * Positions after the first, for the atoms hit more than once. Most atoms are hit once, so they
   * need no array at all; the arrays of the others are kept and truncated from one mention to the next.
   */
  private more: (number[] | undefined)[];
  /** Atoms hit in the current mention, in first-hit order. */
  hit: number[] = [];
  fields: DocFields = { account: null, authorHandle: '', authorId: '', lang: '', source: '' };
  /** Results of the query parts several rules share (lists), this mention: valid when stamped `gen`. */
  memoStamp: Int32Array;
  memoValue: Uint8Array;

  constructor(atomCount: number, memoCount = 0) {
    this.memoStamp = new Int32Array(memoCount);
    this.memoValue = new Uint8Array(memoCount);
    this.stamp = new Int32Array(atomCount);
    this.first = new Int32Array(atomCount);
    this.counts = new Int32Array(atomCount);
    this.more = new Array(atomCount);
  }

  reset(fields: DocFields): void {
    this.gen++;
    this.hit.length = 0;
    this.fields = fields;
  }

  add(atom: number, position: number): void {
    if (this.stamp[atom] !== this.gen) {
      this.stamp[atom] = this.gen;
      this.first[atom] = position;
      this.counts[atom] = 1;
      this.hit.push(atom);
      return;
    }
    let more = this.more[atom];
    if (this.counts[atom]!++ === 1) {
      if (more) more.length = 0;
      else this.more[atom] = more = [];
    }
    more!.push(position);
  }

  has(atom: number): boolean {
    return this.stamp[atom] === this.gen;
  }

  /** How many times the atom occurs in the mention. */
  count(atom: number): number {
    return this.stamp[atom] === this.gen ? this.counts[atom]! : 0;
  }

  /** Its `k`-th position (k < count), in increasing order. */
  position(atom: number, k: number): number {
    return k === 0 ? this.first[atom]! : this.more[atom]![k - 1]!;
  }

  /** Whether the atom occurs at word position `p`. */
  hasAt(atom: number, p: number): boolean {
    if (this.stamp[atom] !== this.gen) return false;
    if (this.first[atom] === p) return true;
    return this.counts[atom]! > 1 && this.more[atom]!.includes(p);
  }

  /** All its positions, as a new array (for explanations; the matcher reads them one by one). */
  at(atom: number): readonly number[] {
    const out: number[] = [];
    for (let k = 0, n = this.count(atom); k < n; k++) out.push(this.position(atom, k));
    return out;
  }
}
