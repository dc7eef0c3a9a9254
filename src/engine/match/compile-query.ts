import type { QueryNode } from '../query/ast.js';
import type { AtomTable } from './atoms.js';
import type { MatchDoc } from './doc.js';

export type Predicate = (doc: MatchDoc) => boolean;
/** Matched spans as flat pairs `[start0, end0, start1, end1, …]` of word positions. */
type Spans = (doc: MatchDoc, out: number[]) => void;

export interface CompiledQuery {
  test: Predicate;
  /** First atom of each term that can make the query true: scanning them is what triggers evaluation. */
  triggers: number[];
  /** True when the query can hold with none of its words present (then it is evaluated for every mention). */
  unconditional: boolean;
}

/** Compiles a parsed query into closures over a MatchDoc, interning its words in `atoms`. */
export function compileQuery(root: QueryNode, atoms: AtomTable): CompiledQuery {
  const triggers = new Set<number>();

  function termAtoms(node: Extract<QueryNode, { type: 'term' }>): number[] {
    return node.words.map((w) => atoms.intern(w));
  }

  // Spans are computed only once the cheap boolean test said both sides of the NEAR are present.
  function spans(node: QueryNode): Spans {
    switch (node.type) {
      case 'term': {
        const ids = termAtoms(node);
        if (ids.length === 1) {
          const a = ids[0]!;
          return (d, out) => {
            for (let k = 0, n = d.count(a); k < n; k++) {
              const p = d.position(a, k);
              out.push(p, p);
            }
          };
        }
        const last = ids.length - 1;
        return (d, out) => {
          if (!allPresent(d, ids)) return;
          const a = ids[0]!;
          for (let k = 0, n = d.count(a); k < n; k++) {
            const p = d.position(a, k);
            if (phraseAt(d, ids, p)) out.push(p, p + last);
          }
        };
      }
      case 'or': {
        const parts = node.children.map((c) => ({ present: compileBare(c), spans: spans(c) }));
        return (d, out) => {
          for (const part of parts) if (part.present(d)) part.spans(d, out);
        };
      }
      case 'near': {
        const left = spans(node.left);
        const right = spans(node.right);
        const n = node.distance;
        return (d, out) => {
          const a: number[] = [];
          left(d, a);
          if (a.length === 0) return;
          const b: number[] = [];
          right(d, b);
          for (let i = 0; i < a.length; i += 2) {
            for (let j = 0; j < b.length; j += 2) {
              const gap = b[j]! > a[i + 1]! ? b[j]! - a[i + 1]! : a[i]! - b[j + 1]!;
              if (gap <= n) out.push(Math.min(a[i]!, b[j]!), Math.max(a[i + 1]!, b[j + 1]!));
            }
          }
        };
      }
      default:
        // The parser only lets terms, ORs and NEARs inside a NEAR.
        throw new Error(`not positional: ${node.type}`);
    }
  }

  /** Boolean test without registering triggers (for the inside of NEAR). */
  function compileBare(node: QueryNode): Predicate {
    return compileNode(node, false, false);
  }

  function compile(node: QueryNode, positive: boolean): Predicate {
    return compileNode(node, positive, true);
  }

  function compileNode(node: QueryNode, positive: boolean, trigger: boolean): Predicate {
    const compile = (n: QueryNode, p: boolean) => compileNode(n, p, trigger);
    switch (node.type) {
      case 'term': {
        const ids = termAtoms(node);
        if (positive && trigger) triggers.add(rarest(node, ids));
        if (ids.length === 1) {
          const a = ids[0]!;
          return (d) => d.has(a);
        }
        return (d) => hasPhrase(d, ids);
      }
      case 'field':
        return fieldPredicate(node);
      case 'and': {
        const parts = node.children.map((c) => compile(c, positive));
        return (d) => {
          for (const p of parts) if (!p(d)) return false;
          return true;
        };
      }
      case 'or': {
        // Single words (most of a list like $fiction) are tested as a flat array of atom ids: a stamp
        // comparison each, no closure call.
        const words: number[] = [];
        const others: Predicate[] = [];
        for (const c of node.children) {
          if (c.type === 'term' && c.words.length === 1) {
            const id = termAtoms(c)[0]!;
            if (positive && trigger) triggers.add(id);
            words.push(id);
          } else others.push(compile(c, positive));
        }
        const ids = Int32Array.from(words);
        return (d) => {
          const stamp = d.stamp;
          const gen = d.gen;
          for (let i = 0; i < ids.length; i++) if (stamp[ids[i]!] === gen) return true;
          for (const p of others) if (p(d)) return true;
          return false;
        };
      }
      case 'not': {
        const inner = compile(node.child, !positive);
        return (d) => !inner(d);
      }
      case 'near': {
        if (trigger) collectTriggers(node, positive);
        const left = compileBare(node.left);
        const right = compileBare(node.right);
        const s = spans(node);
        return (d) => {
          if (!left(d) || !right(d)) return false;
          const out: number[] = [];
          s(d, out);
          return out.length > 0;
        };
      }
    }
  }

  function collectTriggers(node: QueryNode, positive: boolean): void {
    if (!positive) return;
    if (node.type === 'term') triggers.add(rarest(node, termAtoms(node)));
    else if (node.type === 'or') {
      for (const c of node.children) collectTriggers(c, positive);
    } else if (node.type === 'near') collectTriggers(node.left, positive);
  }

  const test = compile(root, true);
  return { test, triggers: [...triggers], unconditional: holdsWithoutWords(root) };
}

/**
 * The atom of a term that triggers its rule: any word of a phrase must be present, so take the one
 * least likely to be common, the longest exact word (`"le maire"` should not wake up on every `le`).
 */
function rarest(node: Extract<QueryNode, { type: 'term' }>, ids: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < node.words.length; i++) {
    const a = node.words[i]!;
    const b = node.words[best]!;
    if (Number(b.prefix) - Number(a.prefix) > 0 || (a.prefix === b.prefix && a.key.length > b.key.length)) best = i;
  }
  return ids[best]!;
}

function allPresent(d: MatchDoc, ids: readonly number[]): boolean {
  for (const id of ids) if (!d.has(id)) return false;
  return true;
}

/** Whether the phrase's words follow each other from position `p`. */
function phraseAt(d: MatchDoc, ids: readonly number[], p: number): boolean {
  for (let k = 1; k < ids.length; k++) if (!d.hasAt(ids[k]!, p + k)) return false;
  return true;
}

/** Whether the phrase occurs anywhere (no list of where: this runs for every candidate rule). */
function hasPhrase(d: MatchDoc, ids: readonly number[]): boolean {
  if (!allPresent(d, ids)) return false;
  const a = ids[0]!;
  for (let k = 0, n = d.count(a); k < n; k++) if (phraseAt(d, ids, d.position(a, k))) return true;
  return false;
}

function fieldPredicate(node: Extract<QueryNode, { type: 'field' }>): Predicate {
  const { value, prefix } = node;
  const eq = (actual: string | null) => actual !== null && (prefix ? actual.toLowerCase().startsWith(value) : actual.toLowerCase() === value);
  switch (node.field) {
    case 'account':
      return (d) => eq(d.fields.account);
    case 'author':
      return (d) => eq(d.fields.authorHandle) || eq(d.fields.authorId);
    case 'lang':
      return (d) => eq(d.fields.lang);
    case 'source':
      return (d) => eq(d.fields.source);
  }
}

/** Conservative: may say true for a query that in fact needs words, never the reverse. */
function holdsWithoutWords(node: QueryNode): boolean {
  switch (node.type) {
    case 'term':
    case 'near':
      return false;
    case 'field':
    case 'not':
      return true;
    case 'and':
      return node.children.every(holdsWithoutWords);
    case 'or':
      return node.children.some(holdsWithoutWords);
  }
}
