import type { QueryNode } from '../query/ast.js';
import type { AtomTable } from './atoms.js';
import type { MatchDoc } from './doc.js';
import { isFrequentWord } from './frequent-words.js';

export type Predicate = (doc: MatchDoc) => boolean;
/** Matched spans as flat pairs `[start0, end0, start1, end1, …]` of word positions. */
type Spans = (doc: MatchDoc, out: number[]) => void;
type Term = Extract<QueryNode, { type: 'term' }>;

export interface CompiledQuery {
  test: Predicate;
  /** Atoms one of which a mention must hold for the query to be true: scanning one is what triggers evaluation. */
  triggers: number[];
  /** True when the query can hold with none of its words present (then it is evaluated for every mention). */
  unconditional: boolean;
}

/**
 * Compiles parsed queries into closures over a MatchDoc, interning their words and phrases in
 * `atoms`: a term, word or phrase, is one atom, so testing it is one stamp comparison. One compiler
 * serves a whole pack: a part that several rules share (a `$list` is one node wherever it is used)
 * is compiled once and evaluated at most once per mention, its result kept in the doc's memo.
 */
export class QueryCompiler {
  /** Memo slots handed out: the MatchDoc the predicates read needs this many. */
  memoCount = 0;
  private readonly seen = new Set<QueryNode>();
  private readonly shared = new Set<QueryNode>();
  private readonly compiled = new Map<QueryNode, Predicate>();

  /** `roots`: every query that will be compiled, to find the parts they share. */
  constructor(
    private readonly atoms: AtomTable,
    roots: readonly QueryNode[] = [],
  ) {
    for (const root of roots) this.countUses(root);
  }

  compile(root: QueryNode): CompiledQuery {
    const triggers = this.triggerSet(root);
    return { test: this.predicate(root), triggers: triggers === null ? [] : [...new Set(triggers.atoms)], unconditional: triggers === null };
  }

  private countUses(node: QueryNode): void {
    if (this.seen.has(node)) {
      this.shared.add(node);
      return;
    }
    this.seen.add(node);
    for (const child of children(node)) this.countUses(child);
  }

  /** The atom of a word, or of a phrase anchored on its rarest word. */
  private termAtom(node: Term): number {
    const ids = node.words.map((w) => this.atoms.intern(w));
    return ids.length === 1 ? ids[0]! : this.atoms.internPhrase(ids, rarest(node));
  }

  private predicate(node: QueryNode): Predicate {
    let test = this.compiled.get(node);
    if (test === undefined) {
      test = this.build(node);
      if (this.shared.has(node) && node.type !== 'term' && node.type !== 'field') test = memoised(test, this.memoCount++);
      this.compiled.set(node, test);
    }
    return test;
  }

  private build(node: QueryNode): Predicate {
    switch (node.type) {
      case 'term': {
        const a = this.termAtom(node);
        return (d) => d.stamp[a] === d.gen;
      }
      case 'field':
        return fieldPredicate(node);
      case 'and': {
        const parts = node.children.map((c) => this.predicate(c));
        if (parts.length === 2) {
          const [first, second] = parts as [Predicate, Predicate];
          return (d) => first(d) && second(d);
        }
        return (d) => {
          for (let i = 0; i < parts.length; i++) if (!parts[i]!(d)) return false;
          return true;
        };
      }
      case 'or': {
        // Terms (most of a list like $place) are a flat array of atoms: a stamp comparison each.
        const atoms: number[] = [];
        const others: Predicate[] = [];
        for (const c of node.children) {
          if (c.type === 'term') atoms.push(this.termAtom(c));
          else others.push(this.predicate(c));
        }
        const ids = Int32Array.from(atoms);
        const members = membership(ids);
        return (d) => {
          if (anyAtomHit(ids, members, d)) return true;
          for (let i = 0; i < others.length; i++) if (others[i]!(d)) return true;
          return false;
        };
      }
      case 'not': {
        const inner = this.predicate(node.child);
        return (d) => !inner(d);
      }
      case 'near': {
        const left = this.predicate(node.left);
        const right = this.predicate(node.right);
        const leftSpans = this.spans(node.left);
        const rightSpans = this.spans(node.right);
        const n = node.distance;
        const within = node.ordered ? before : gap;
        // Spans are computed only once the cheap boolean tests said both sides are present.
        return (d) => {
          if (!left(d) || !right(d)) return false;
          const a = scratchA;
          const b = scratchB;
          a.length = 0;
          b.length = 0;
          leftSpans(d, a);
          rightSpans(d, b);
          for (let i = 0; i < a.length; i += 2) {
            for (let j = 0; j < b.length; j += 2) if (within(a, i, b, j) <= n) return true;
          }
          return false;
        };
      }
    }
  }

  private spans(node: QueryNode): Spans {
    switch (node.type) {
      case 'term': {
        const a = this.termAtom(node);
        const last = node.words.length - 1;
        return (d, out) => {
          for (let k = 0, n = d.count(a); k < n; k++) {
            const p = d.position(a, k);
            out.push(p, p + last);
          }
        };
      }
      case 'or': {
        // A part that is absent has no spans: no need to test it first.
        const parts = node.children.map((c) => this.spans(c));
        return (d, out) => {
          for (let i = 0; i < parts.length; i++) parts[i]!(d, out);
        };
      }
      case 'near': {
        const left = this.spans(node.left);
        const right = this.spans(node.right);
        const n = node.distance;
        const within = node.ordered ? before : gap;
        return (d, out) => {
          const a: number[] = [];
          left(d, a);
          if (a.length === 0) return;
          const b: number[] = [];
          right(d, b);
          for (let i = 0; i < a.length; i += 2) {
            for (let j = 0; j < b.length; j += 2) {
              if (within(a, i, b, j) <= n) out.push(Math.min(a[i]!, b[j]!), Math.max(a[i + 1]!, b[j + 1]!));
            }
          }
        };
      }
      default:
        // The parser only lets terms, ORs and NEARs inside a NEAR.
        throw new Error(`not positional: ${node.type}`);
    }
  }

  /**
   * Atoms one of which a mention must hold for `node` to be true, with a guess of how often the
   * set is hit; null when the node can hold with no word at all. An OR needs one of its parts: all
   * their atoms. An AND needs every part, so the atoms of its rarest part are enough (`bombe NOT
   * $fiction` wakes up on `bombe` alone); a NEAR needs both sides, so the rarer side's (`(ligne OR
   * train) NEAR/3 ralenti*` on `ralenti`, not on every `ligne`).
   */
  private triggerSet(node: QueryNode): TriggerSet | null {
    switch (node.type) {
      case 'term':
        return { atoms: [this.termAtom(node)], cost: termCost(node) };
      case 'field':
      case 'not':
        return null;
      case 'or': {
        const atoms: number[] = [];
        let cost = 0;
        for (const c of node.children) {
          const set = this.triggerSet(c);
          if (set === null) return null;
          atoms.push(...set.atoms);
          cost += set.cost;
        }
        return { atoms, cost };
      }
      case 'and': {
        let best: TriggerSet | null = null;
        for (const c of node.children) {
          const set = this.triggerSet(c);
          if (set !== null && (best === null || set.cost < best.cost)) best = set;
        }
        return best;
      }
      case 'near': {
        const left = this.triggerSet(node.left);
        const right = this.triggerSet(node.right);
        if (left === null || right === null) return left ?? right;
        return right.cost < left.cost ? right : left;
      }
    }
  }
}

interface TriggerSet {
  atoms: number[];
  /** About how often the set is hit, in no unit: a frequent word counts for many rare ones. */
  cost: number;
}

/** A guess at how often a term occurs: a frequent word or a short prefix far more often than another word. */
function termCost(node: Term): number {
  const anchor = node.words[rarest(node)]!;
  if (anchor.prefix) return anchor.key.length <= 3 ? 10 : 2;
  return isFrequentWord(anchor.key) ? 30 : 1;
}

/** Compiles one query on its own (no sharing with other queries). */
export function compileQuery(root: QueryNode, atoms: AtomTable): CompiledQuery {
  return new QueryCompiler(atoms).compile(root);
}

// Span buffers of the NEAR being tested: predicates never run inside spans, so one pair serves all.
const scratchA: number[] = [];
const scratchB: number[] = [];

/** Words between span i of `a` and span j of `b` (0 when they touch or overlap). */
function gap(a: readonly number[], i: number, b: readonly number[], j: number): number {
  return b[j]! > a[i + 1]! ? b[j]! - a[i + 1]! : a[i]! - b[j + 1]!;
}

/** As `gap` when span j of `b` starts after span i of `a` ends; otherwise never close enough. */
function before(a: readonly number[], i: number, b: readonly number[], j: number): number {
  return b[j]! > a[i + 1]! ? b[j]! - a[i + 1]! : Number.POSITIVE_INFINITY;
}

/**
 * The atoms of an OR as a table indexed by atom (1: a member), for the large ones only: a list of
 * places or of alarm words has hundreds of terms, a mention hits a dozen atoms.
 */
function membership(ids: Int32Array): Uint8Array | null {
  if (ids.length <= SMALL_OR) return null;
  let max = 0;
  for (let i = 0; i < ids.length; i++) max = Math.max(max, ids[i]!);
  const members = new Uint8Array(max + 1);
  for (let i = 0; i < ids.length; i++) members[ids[i]!] = 1;
  return members;
}

/** An OR of this many atoms or fewer reads their stamps, whatever the mention. */
const SMALL_OR = 8;

/**
 * Whether one of `ids` is hit in the mention. Both ways give the same answer (the doc's hit list
 * holds exactly the atoms stamped this mention); the shorter list is walked: the OR's atoms, or
 * the mention's hits looked up in `members`.
 */
function anyAtomHit(ids: Int32Array, members: Uint8Array | null, d: MatchDoc): boolean {
  const hit = d.hit;
  if (members !== null && hit.length < ids.length) {
    for (let i = 0; i < hit.length; i++) {
      const atom = hit[i]!;
      if (atom < members.length && members[atom] === 1) return true;
    }
    return false;
  }
  const stamp = d.stamp;
  const gen = d.gen;
  for (let i = 0; i < ids.length; i++) if (stamp[ids[i]!] === gen) return true;
  return false;
}

function memoised(test: Predicate, slot: number): Predicate {
  return (d) => {
    if (d.memoStamp[slot] === d.gen) return d.memoValue[slot] === 1;
    const value = test(d);
    d.memoStamp[slot] = d.gen;
    d.memoValue[slot] = value ? 1 : 0;
    return value;
  };
}

function children(node: QueryNode): readonly QueryNode[] {
  switch (node.type) {
    case 'and':
    case 'or':
      return node.children;
    case 'not':
      return [node.child];
    case 'near':
      return [node.left, node.right];
    default:
      return [];
  }
}

/**
 * The index of the word of a term that wakes its phrase up: any word of a phrase must be present, so
 * take the one least likely to be common, the longest exact word (`"le maire"` should not wake up on
 * every `le`).
 */
function rarest(node: Term): number {
  let best = 0;
  for (let i = 1; i < node.words.length; i++) {
    const a = node.words[i]!;
    const b = node.words[best]!;
    if (Number(b.prefix) - Number(a.prefix) > 0 || (a.prefix === b.prefix && a.key.length > b.key.length)) best = i;
  }
  return best;
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

