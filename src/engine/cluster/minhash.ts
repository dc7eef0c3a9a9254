/**
 * MinHash over word-bigram shingles of the match keys, with LSH banding: two texts whose shingle sets
 * overlap (Jaccard) at about 0.5 share a band with high probability, so a near-duplicate is found
 * with a few hash-table lookups instead of a comparison with every live cluster.
 */
export const HASHES = 20;
export const ROWS = 2;
export const BANDS = HASHES / ROWS;
/** Below this many words a text is too short to call anything a near-duplicate of it. */
export const MIN_WORDS = 4;

const SEEDS = Uint32Array.from({ length: HASHES }, (_, i) => fmix32(0x9e3779b9 ^ Math.imul(i + 1, 0x85ebca6b)));

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function fnv(s: string, h: number): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h;
}

/** Signature of a text's keys, or null when the text is too short. */
export function minhash(keys: readonly string[]): Uint32Array | null {
  if (keys.length < MIN_WORDS) return null;
  const sig = new Uint32Array(HASHES);
  return minhashInto(keys, sig) ? sig : null;
}

/**
 * `minhash` into a caller's array (HASHES long), false when the text is too short. A new 20-word
 * Uint32Array costs about a microsecond (its buffer lives outside the JS heap), so the engine
 * reuses one and the live set copies only the signatures it keeps.
 */
export function minhashInto(keys: readonly string[], sig: Uint32Array): boolean {
  if (keys.length < MIN_WORDS) return false;
  const count = keys.length - 1;
  if (count > shingles.length) shingles = new Int32Array(Math.max(count, shingles.length * 2));
  for (let i = 0; i < count; i++) shingles[i] = fnv(keys[i + 1]!, fnv(' ', fnv(keys[i]!, 0x811c9dc5)));
  // Hash by hash rather than shingle by shingle: the running minimum stays in a local, and the
  // signature is written once per hash instead of read and written once per shingle and hash.
  for (let k = 0; k < HASHES; k++) {
    const seed = SEEDS[k]!;
    let min = 0xffffffff;
    for (let i = 0; i < count; i++) {
      const v = fmix32(shingles[i]! ^ seed);
      if (v < min) min = v;
    }
    sig[k] = min;
  }
  return true;
}

/** Shingle hashes of the text being signed (scratch: signing is synchronous). */
let shingles = new Int32Array(64);

/** Estimated Jaccard similarity of the two shingle sets. */
export function similarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let same = 0;
  for (let k = 0; k < HASHES; k++) if (a[k] === b[k]) same++;
  return same / HASHES;
}

/** Hash of band `b` of a signature (a uint32). */
export function bandHash(sig: ArrayLike<number>, b: number): number {
  let h = 0x811c9dc5;
  for (let r = 0; r < ROWS; r++) h = fmix32(h ^ sig[b * ROWS + r]!);
  return h;
}

/** Band of a numeric band key, or -1 when the number is not one (a stored key from elsewhere). */
export function bandOfKey(key: number): number {
  const b = Math.floor(key / 0x1_0000_0000);
  return Number.isInteger(key) && b >= 0 && b < BANDS ? b : -1;
}

/** The band key as stored in snapshots: band index in the high part, band hash in the low 32 bits. */
export function bandKey(b: number, hash: number): number {
  return b * 0x1_0000_0000 + hash;
}
