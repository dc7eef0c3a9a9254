/**
 * The LSH band index: (band, band hash) → slot of the live cluster that registered it. Every live
 * cluster registers ten bands, so with 100,000 live stories this holds a million entries that are
 * read ten times and written ten times a mention. In a `Map` each key was a boxed double (band in
 * the high part) and each lookup a few dependent cache misses plus garbage; here an entry is three
 * int32 side by side in one typed array (open addressing, linear probing), which the GC never scans.
 */

const STRIDE = 3; // [band + 1 (0 = empty), band hash as int32, slot]
const EMPTY = -1;

export class BandIndex {
  private table: Int32Array;
  private mask: number;
  private used = 0;

  constructor(capacity = 1 << 12) {
    let size = 16;
    while (size < capacity) size *= 2;
    this.table = new Int32Array(size * STRIDE);
    this.mask = size - 1;
  }

  get size(): number {
    return this.used;
  }

  /** Slot registered for this band hash, or -1. */
  get(band: number, hash: number): number {
    const at = this.probe(band + 1, hash | 0);
    return this.table[at] === 0 ? EMPTY : this.table[at + 2]!;
  }

  /** Registers or replaces the slot of this band hash. */
  set(band: number, hash: number, slot: number): void {
    if ((this.used + 1) * 2 > this.mask + 1) this.grow();
    const tag = band + 1;
    const h = hash | 0;
    const at = this.probe(tag, h);
    const t = this.table;
    if (t[at] === 0) {
      t[at] = tag;
      t[at + 1] = h;
      this.used++;
    }
    t[at + 2] = slot;
  }

  /**
   * Registers `slot` for this band hash unless a slot is registered already: returns that slot, or
   * -1 when `slot` was registered. One probe where `get` then `set` took two.
   */
  claim(band: number, hash: number, slot: number): number {
    if ((this.used + 1) * 2 > this.mask + 1) this.grow();
    const tag = band + 1;
    const h = hash | 0;
    const at = this.probe(tag, h);
    const t = this.table;
    if (t[at] !== 0) return t[at + 2]!;
    t[at] = tag;
    t[at + 1] = h;
    t[at + 2] = slot;
    this.used++;
    return EMPTY;
  }

  /** Removes this band hash; entries after it in its probe run move back (no tombstones). */
  delete(band: number, hash: number): void {
    const t = this.table;
    const mask = this.mask;
    const found = this.probe(band + 1, hash | 0);
    if (t[found] === 0) return;
    const i = found / STRIDE;
    // Backward-shift deletion: move up every later entry of the run whose home is not in (i, j].
    let hole = i;
    for (let j = (i + 1) & mask; ; j = (j + 1) & mask) {
      const at = j * STRIDE;
      const entry = t[at]!;
      if (entry === 0) break;
      const k = home(entry, t[at + 1]!, mask);
      const stays = hole <= j ? hole < k && k <= j : hole < k || k <= j;
      if (stays) continue;
      const to = hole * STRIDE;
      t[to] = entry;
      t[to + 1] = t[at + 1]!;
      t[to + 2] = t[at + 2]!;
      hole = j;
    }
    t[hole * STRIDE] = 0;
    this.used--;
  }

  /** Table offset of this entry, or of the empty bucket where it would go. */
  private probe(tag: number, h: number): number {
    const t = this.table;
    for (let i = home(tag, h, this.mask); ; i = (i + 1) & this.mask) {
      const at = i * STRIDE;
      const entry = t[at]!;
      if (entry === 0 || (entry === tag && t[at + 1] === h)) return at;
    }
  }

  private grow(): void {
    const old = this.table;
    const size = (this.mask + 1) * 2;
    this.table = new Int32Array(size * STRIDE);
    this.mask = size - 1;
    this.used = 0;
    for (let at = 0; at < old.length; at += STRIDE) if (old[at] !== 0) this.set(old[at]! - 1, old[at + 1]!, old[at + 2]!);
  }
}

/** Home bucket: the band hash is already a mixed 32-bit hash; the band only needs to move it. */
function home(tag: number, h: number, mask: number): number {
  return (h ^ Math.imul(tag, 0x9e3779b1)) & mask;
}
