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
  positions: number[][];
  /** Atoms hit in the current mention, in first-hit order. */
  hit: number[] = [];
  fields: DocFields = { account: null, authorHandle: '', authorId: '', lang: '', source: '' };

  constructor(atomCount: number) {
    this.stamp = new Int32Array(atomCount);
    this.positions = Array.from({ length: atomCount }, () => []);
  }

  reset(fields: DocFields): void {
    this.gen++;
    this.hit.length = 0;
    this.fields = fields;
  }

  add(atom: number, position: number): void {
    if (this.stamp[atom] !== this.gen) {
      this.stamp[atom] = this.gen;
      // A fresh one-element array is cheaper than truncating the old one.
      this.positions[atom] = [position];
      this.hit.push(atom);
    } else this.positions[atom]!.push(position);
  }

  has(atom: number): boolean {
    return this.stamp[atom] === this.gen;
  }

  at(atom: number): readonly number[] {
    return this.stamp[atom] === this.gen ? this.positions[atom]! : EMPTY;
  }
}

const EMPTY: readonly number[] = [];
