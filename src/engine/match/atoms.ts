import type { TermWord } from '../query/ast.js';
import type { MatchDoc } from './doc.js';
import { WordFilter } from './word-filter.js';

const ASCII = 128;

/**
 * The multi-pattern automaton over word keys: exact words in a hash table, suffix-wildcard prefixes
 * in a character trie walked once per word. Trie nodes live in one flat Int32Array (ASCII children
 * by index, the rare other characters in a per-node map), so the walk costs a few array reads.
 * Phrases are sequences of atoms checked by position, so a mention is scanned once whatever the
 * number of rules.
 */
export class AtomTable {
  readonly exact = new Map<string, number>();
  readonly prefixes = new Map<string, number>();
  count = 0;
  /** Node n's ASCII children at [n * 128 + code] (0 = none; node 0 is the root). */
  private next = new Int32Array(ASCII * 16);
  /** Prefix atom ending at node n, or -1. */
  private atomAt = new Int32Array(16).fill(-1);
  private wide = new Map<number, Map<number, number>>();
  private nodes = 1;
  /** Rules out most words of a mention before the exact-word lookup (see word-filter.ts). */
  private readonly exactFilter = new WordFilter();

  intern(word: TermWord): number {
    const table = word.prefix ? this.prefixes : this.exact;
    const known = table.get(word.key);
    if (known !== undefined) return known;
    const id = this.count++;
    table.set(word.key, id);
    if (!word.prefix) this.exactFilter.add(word.key);
    if (word.prefix) {
      let node = 0;
      for (let i = 0; i < word.key.length; i++) node = this.child(node, word.key.charCodeAt(i), true);
      this.atomAt[node] = id;
    }
    return id;
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

  /** Records in `doc`, at `position`, every atom matching `key`: its exact entry and each prefix of it. */
  scan(key: string, doc: MatchDoc, position: number): void {
    if (this.exactFilter.mayHave(key)) {
      const exact = this.exact.get(key);
      if (exact !== undefined) doc.add(exact, position);
    }
    if (this.prefixes.size === 0) return;
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
