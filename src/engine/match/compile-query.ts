import type { QueryNode } from '../query/ast.js';
import type { AtomTable } from './atoms.js';
import type { MatchDoc } from './doc.js';

export type Predicate = (doc: MatchDoc) => boolean;
/** Matched spans as flat pairs `[start0, end0, start1, end1, …]` of word positions. */
type Spans = (doc: MatchDoc) => number[];

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

  function spans(node: QueryNode): Spans {
    switch (node.type) {
      case 'term': {
        const ids = termAtoms(node);
        if (ids.length === 1) {
          const a = ids[0]!;
          return (d) => {
            const out: number[] = [];
            for (const p of d.at(a)) out.push(p, p);
            return out;
          };
        }
        return (d) => {
          const out: number[] = [];
          for (const p of phraseStarts(d, ids)) out.push(p, p + ids.length - 1);
          return out;
        };
      }
      case 'or': {
        const parts = node.children.map(spans);
        return (d) => parts.flatMap((s) => s(d));
      }
      case 'near': {
        const left = spans(node.left);
        const right = spans(node.right);
        const n = node.distance;
        return (d) => {
          const a = left(d);
          if (a.length === 0) return a;
          const b = right(d);
          const out: number[] = [];
          for (let i = 0; i < a.length; i += 2) {
            for (let j = 0; j < b.length; j += 2) {
              const gap = b[j]! > a[i + 1]! ? b[j]! - a[i + 1]! : a[i]! - b[j + 1]!;
              if (gap <= n) out.push(Math.min(a[i]!, b[j]!), Math.max(a[i + 1]!, b[j + 1]!));
            }
          }
          return out;
        };
      }
      default:
        // The parser only lets terms, ORs and NEARs inside a NEAR.
        throw new Error(`not positional: ${node.type}`);
    }
  }

  function compile(node: QueryNode, positive: boolean): Predicate {
    switch (node.type) {
      case 'term': {
        const ids = termAtoms(node);
        if (positive) triggers.add(ids[0]!);
        if (ids.length === 1) {
          const a = ids[0]!;
          return (d) => d.has(a);
        }
        return (d) => phraseStarts(d, ids).length > 0;
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
        const parts = node.children.map((c) => compile(c, positive));
        return (d) => {
          for (const p of parts) if (p(d)) return true;
          return false;
        };
      }
      case 'not': {
        const inner = compile(node.child, !positive);
        return (d) => !inner(d);
      }
      case 'near': {
        collectTriggers(node, positive);
        const s = spans(node);
        return (d) => s(d).length > 0;
      }
    }
  }

  function collectTriggers(node: QueryNode, positive: boolean): void {
    if (!positive) return;
    if (node.type === 'term') triggers.add(atoms.intern(node.words[0]!));
    else if (node.type === 'or') node.children.forEach((c) => collectTriggers(c, positive));
    else if (node.type === 'near') collectTriggers(node.left, positive);
  }

  const test = compile(root, true);
  return { test, triggers: [...triggers], unconditional: holdsWithoutWords(root) };
}

function phraseStarts(d: MatchDoc, ids: readonly number[]): number[] {
  const out: number[] = [];
  for (const id of ids) if (!d.has(id)) return out;
  outer: for (const p of d.at(ids[0]!)) {
    for (let k = 1; k < ids.length; k++) if (!d.at(ids[k]!).includes(p + k)) continue outer;
    out.push(p);
  }
  return out;
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
