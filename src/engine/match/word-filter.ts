/**
 * A one-sided test for "is this word possibly in the set?": one bit per class of (length, first,
 * second and last character). Most words of a mention are in no rule and in no lexicon; this test,
 * a few character reads, spares them a hash-table lookup, and with it the hashing of a string that
 * was just cut from the text. False positives only cost the lookup; there are no false negatives.
 */
const BITS = 1 << 16;

export class WordFilter {
  private readonly bits = new Int32Array(BITS >>> 5);

  add(word: string): void {
    const bit = filterBit(word);
    this.bits[bit >>> 5]! |= 1 << (bit & 31);
  }

  mayHave(word: string): boolean {
    const bit = filterBit(word);
    return (this.bits[bit >>> 5]! & (1 << (bit & 31))) !== 0;
  }
}

/** Characters of a word's head that `PrefixFilter` classes words by. */
const HEAD = 3;

/**
 * The same one-sided test for "may this word start with one of the prefixes?": one bit per class of
 * its first three characters, the few prefixes shorter than that compared as they are. Most words
 * start no wildcard of a pack; this spares them the walk down the prefix trie, whose nodes are
 * spread over a large table (a cache miss a step).
 */
export class PrefixFilter {
  private readonly bits = new Int32Array(BITS >>> 5);
  private readonly short: string[] = [];

  add(prefix: string): void {
    if (prefix.length < HEAD) {
      if (!this.short.includes(prefix)) this.short.push(prefix);
      return;
    }
    const bit = headBit(prefix);
    this.bits[bit >>> 5]! |= 1 << (bit & 31);
  }

  mayStart(word: string): boolean {
    if (word.length >= HEAD) {
      const bit = headBit(word);
      if ((this.bits[bit >>> 5]! & (1 << (bit & 31))) !== 0) return true;
    }
    for (let i = 0; i < this.short.length; i++) if (word.startsWith(this.short[i]!)) return true;
    return false;
  }
}

/**
 * A word set that keeps a WordFilter of its words, for the lexicons read once per word of every
 * mention. A removed word leaves its bit set: the filter then says "maybe", which is still right.
 */
export class FilteredWordSet extends Set<string> {
  // Set's constructor calls `add` before field initialisers would run, so the filter is made lazily.
  declare private filterOf: WordFilter | undefined;

  override add(word: string): this {
    this.filterOf ??= new WordFilter();
    this.filterOf.add(word);
    return super.add(word);
  }

  /** Whether `word` is in the set, without hashing words the filter rules out. */
  hasWord(word: string): boolean {
    return this.filterOf?.mayHave(word) === true && this.has(word);
  }
}

function filterBit(word: string): number {
  const n = word.length;
  if (n === 0) return 0;
  let h = Math.imul(n, 0x9e3779b1) ^ word.charCodeAt(0);
  h = Math.imul(h, 0x85ebca6b) ^ word.charCodeAt(n - 1);
  if (n > 2) h = Math.imul(h, 0xc2b2ae35) ^ word.charCodeAt(1);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  return (h ^ (h >>> 13)) & (BITS - 1);
}

function headBit(word: string): number {
  let h = Math.imul(word.charCodeAt(0), 0x9e3779b1) ^ word.charCodeAt(1);
  h = Math.imul(h, 0x85ebca6b) ^ word.charCodeAt(2);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  return (h ^ (h >>> 13)) & (BITS - 1);
}
