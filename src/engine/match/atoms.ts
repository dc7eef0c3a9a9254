import type { TermWord } from '../query/ast.js';
import type { MatchDoc } from './doc.js';
import { PrefixFilter, WordFilter } from './word-filter.js';

const ASCII = 128;

/** A phrase atom: its word atoms in order, and the one whose hits wake it up. */
interface Phrase {
  id: number;
  words: readonly number[];
  /** Index in `words` of the anchor (the rarest word, see `internPhrase`). */
  anchor: number;
}

/**
 * The multi-pattern automaton over word keys: exact words in a hash table, suffix-wildcard prefixes
 * in a character trie walked once per word. Trie nodes live in one flat Int32Array (ASCII children
 * by index, the rare other characters in a per-node map), so the walk costs a few array reads.
 * Phrases are atoms too, resolved once per mention after the words (`scanAll`): a list phrase that
 * thirty rules use is looked for once, not thirty times, and a query reads it as one stamp.
 */
export class AtomTable {
  readonly exact = new Map<string, number>();
  readonly prefixes = new Map<string, number>();
  count = 0;
  /** Phrase atoms by their word atoms (`1,5,9`), in the order they were made. */
  private readonly phrases = new Map<string, Phrase>();
  /** The phrases in flat arrays for the scan; made again when a phrase is added. */
  private phraseIndex: PhraseIndex | null = null;
  /** Node n's ASCII children at [n * 128 + code] (0 = none; node 0 is the root). */
  private next = new Int32Array(ASCII * 16);
  /** Prefix atom ending at node n, or -1. */
  private atomAt = new Int32Array(16).fill(-1);
  private wide = new Map<number, Map<number, number>>();
  private nodes = 1;
  /** Rules out most words of a mention before the exact-word lookup (see word-filter.ts). */
  private readonly exactFilter = new WordFilter();
  private readonly prefixFilter = new PrefixFilter();

  intern(word: TermWord): number {
    const table = word.prefix ? this.prefixes : this.exact;
    const known = table.get(word.key);
    if (known !== undefined) return known;
    const id = this.count++;
    table.set(word.key, id);
    if (!word.prefix) this.exactFilter.add(word.key);
    if (word.prefix) {
      this.prefixFilter.add(word.key);
      let node = 0;
      for (let i = 0; i < word.key.length; i++) node = this.child(node, word.key.charCodeAt(i), true);
      this.atomAt[node] = id;
    }
    return id;
  }

  /**
   * The atom of a phrase of word atoms (two or more), whose positions are where it starts. `anchor`
   * is the index of the word to wake it up with: the rarest, so `"le maire"` is not looked for on
   * every `le`.
   */
  internPhrase(words: readonly number[], anchor: number): number {
    const key = words.join(',');
    const known = this.phrases.get(key);
    if (known !== undefined) return known.id;
    const phrase: Phrase = { id: this.count++, words: [...words], anchor };
    this.phrases.set(key, phrase);
    this.phraseIndex = null;
    return phrase.id;
  }

  private child(node: number, code: number, create: boolean): number {
    if (code < ASCII) {
      const existing = this.next[node * ASCII + code]!;
      if (existing !== 0 || !create) return existing;
      const created = this.newNode();
      this.next[node * ASCII + code] = created;
      return created;
    }
    let map = this.wide.get(node);
    const existing = map?.get(code) ?? 0;
    if (existing !== 0 || !create) return existing;
    const created = this.newNode();
    if (!map) {
      map = new Map();
      this.wide.set(node, map);
    }
    map.set(code, created);
    return created;
  }

  private newNode(): number {
    const id = this.nodes++;
    if (id * ASCII >= this.next.length) {
      const grown = new Int32Array(this.next.length * 2);
      grown.set(this.next);
      this.next = grown;
      const atoms = new Int32Array(this.atomAt.length * 2).fill(-1);
      atoms.set(this.atomAt);
      this.atomAt = atoms;
    }
    return id;
  }

  /** Records in `doc` every atom of a mention's word keys: words, prefixes, then phrases. */
  scanAll(keys: readonly string[], doc: MatchDoc): void {
    for (let i = 0; i < keys.length; i++) this.scan(keys[i]!, doc, i);
    if (this.phrases.size === 0) return;
    this.phraseIndex ??= indexPhrases(this.phrases.values());
    const index = this.phraseIndex;
    // Only word atoms are in `hit` so far; phrase atoms found are appended behind them.
    for (let h = 0, words = doc.hit.length; h < words; h++) {
      const atom = doc.hit[h]!;
      // A word interned after the index was made anchors no phrase (a phrase would have reset it).
      if (atom >= index.anchors) continue;
      for (let e = index.first[atom]!, end = index.first[atom + 1]!; e < end; e++) findPhrase(index, index.byAnchor[e]!, doc);
    }
  }

  /** Records in `doc`, at `position`, every atom matching `key`: its exact entry and each prefix of it. */
  scan(key: string, doc: MatchDoc, position: number): void {
    if (this.exactFilter.mayHave(key)) {
      const exact = this.exact.get(key);
      if (exact !== undefined) doc.add(exact, position);
    }
    if (this.prefixes.size === 0 || !this.prefixFilter.mayStart(key)) return;
    let node = 0;
    for (let i = 0; i < key.length; i++) {
      const code = key.charCodeAt(i);
      node = code < ASCII ? this.next[node * ASCII + code]! : this.child(node, code, false);
      if (node === 0) return;
      const atom = this.atomAt[node]!;
      if (atom !== -1) doc.add(atom, position);
    }
  }
}

/**
 * The phrases in flat typed arrays, which the scan reads for every word of a mention that anchors
 * some: no object or array per phrase to reach, and the word check of a phrase is a run of reads
 * in one array. Phrase `p` (its number in making order) is atom `atom[p]`, its words are
 * `words[start[p]]` to `words[start[p + 1] - 1]`, the one at `anchor[p]` among them its anchor.
 * The phrases anchored on word atom `a` are `byAnchor[first[a]]` to `byAnchor[first[a + 1] - 1]`,
 * in making order.
 */
interface PhraseIndex {
  atom: Int32Array;
  anchor: Int32Array;
  start: Int32Array;
  words: Int32Array;
  /** Word atoms below this one may anchor phrases (`first` has anchors + 1 entries). */
  anchors: number;
  first: Int32Array;
  byAnchor: Int32Array;
}

function indexPhrases(made: Iterable<Phrase>): PhraseIndex {
  const phrases = [...made];
  const atom = new Int32Array(phrases.length);
  const anchor = new Int32Array(phrases.length);
  const start = new Int32Array(phrases.length + 1);
  let anchors = 0;
  phrases.forEach((phrase, p) => {
    atom[p] = phrase.id;
    anchor[p] = phrase.anchor;
    start[p + 1] = start[p]! + phrase.words.length;
    anchors = Math.max(anchors, phrase.words[phrase.anchor]! + 1);
  });
  const words = new Int32Array(start[phrases.length]!);
  phrases.forEach((phrase, p) => {
    words.set(phrase.words, start[p]!);
  });
  // Counting sort by anchor atom: stable, so each anchor's phrases stay in making order.
  const first = new Int32Array(anchors + 1);
  for (const phrase of phrases) first[phrase.words[phrase.anchor]! + 1]!++;
  for (let a = 0; a < anchors; a++) first[a + 1]! += first[a]!;
  const next = first.slice(0, anchors);
  const byAnchor = new Int32Array(phrases.length);
  phrases.forEach((phrase, p) => {
    byAnchor[next[phrase.words[phrase.anchor]!]!++] = p;
  });
  return { atom, anchor, start, words, anchors, first, byAnchor };
}

/** Records each start of phrase `p` in `doc`, in increasing order. */
function findPhrase(index: PhraseIndex, p: number, doc: MatchDoc): void {
  const words = index.words;
  const from = index.start[p]!;
  const to = index.start[p + 1]!;
  for (let k = from; k < to; k++) if (!doc.has(words[k]!)) return;
  const anchor = index.anchor[p]!;
  const a = words[from + anchor]!;
  for (let j = 0, n = doc.count(a); j < n; j++) {
    const at = doc.position(a, j) - anchor;
    if (at < 0) continue;
    let found = true;
    for (let k = from; k < to && found; k++) if (k - from !== anchor && !doc.hasAt(words[k]!, at + k - from)) found = false;
    if (found) doc.add(index.atom[p]!, at);
  }
}
