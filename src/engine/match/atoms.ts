import type { TermWord } from '../query/ast.js';
import type { MatchDoc } from './doc.js';

interface TrieNode {
  children: Map<number, TrieNode>;
  /** Prefix atoms ending at this node. */
  atom: number;
}

/**
 * The multi-pattern automaton over word keys: exact words in a hash table, suffix-wildcard prefixes
 * in a character trie walked once per word. Phrases are sequences of atoms checked by position, so
 * a mention is scanned once whatever the number of rules.
 */
export class AtomTable {
  readonly exact = new Map<string, number>();
  readonly prefixes = new Map<string, number>();
  private readonly root: TrieNode = { children: new Map(), atom: -1 };
  count = 0;

  intern(word: TermWord): number {
    const table = word.prefix ? this.prefixes : this.exact;
    const known = table.get(word.key);
    if (known !== undefined) return known;
    const id = this.count++;
    table.set(word.key, id);
    if (word.prefix) {
      let node = this.root;
      for (let i = 0; i < word.key.length; i++) {
        const c = word.key.charCodeAt(i);
        let next = node.children.get(c);
        if (!next) {
          next = { children: new Map(), atom: -1 };
          node.children.set(c, next);
        }
        node = next;
      }
      node.atom = id;
    }
    return id;
  }

  /** Records in `doc`, at `position`, every atom matching `key`: its exact entry and each prefix of it. */
  scan(key: string, doc: MatchDoc, position: number): void {
    const exact = this.exact.get(key);
    if (exact !== undefined) doc.add(exact, position);
    if (this.prefixes.size === 0) return;
    let node: TrieNode | undefined = this.root;
    for (let i = 0; i < key.length && node; i++) {
      node = node.children.get(key.charCodeAt(i));
      if (node && node.atom !== -1) doc.add(node.atom, position);
    }
  }
}
