import type { QueryNode } from '../query/ast.js';
import { packLists } from '../query/pack-lists.js';
import { parseQuery } from '../query/parser.js';
import type { RuleDef, RulePack } from '../rule-pack.js';
import { AtomTable } from './atoms.js';
import { type Predicate, QueryCompiler } from './compile-query.js';
import { type DocFields, MatchDoc } from './doc.js';

export interface CompiledRule {
  def: RuleDef;
  /** `category/id`, how people and reasons name a rule. */
  name: string;
  query: QueryNode;
  test: Predicate;
  accounts: ReadonlySet<string> | null;
  langs: ReadonlySet<string> | null;
}

const bare = (handle: string) => handle.replace(/^@/, '').toLowerCase();

/**
 * Every rule of a pack compiled into one automaton. `match` scans a mention's word keys once, then
 * evaluates only the rules one of whose words was hit (plus the rare rules that need no word).
 * Immutable once built: swapping packs is replacing one reference, so analysis never stops.
 */
export class CompiledPack {
  readonly rules: CompiledRule[] = [];
  readonly atoms = new AtomTable();
  private triggers: number[][] = [];
  private readonly always: number[] = [];
  private doc: MatchDoc;
  private ruleStamp: Int32Array;
  private gen = 0;
  /** The rules to evaluate for the current mention: scratch, like `doc`. */
  private readonly candidates: number[] = [];

  constructor(readonly pack: RulePack) {
    const file = pack.origin?.file;
    const lists = packLists(pack);
    const triggerSets: Set<number>[] = [];
    const queries = pack.rules.map((def) => parseQuery(def.query, { origin: { file, ruleId: def.id, line: pack.origin?.lines[def.id] }, lists }));
    const compiler = new QueryCompiler(this.atoms, queries);
    for (const [index, def] of pack.rules.entries()) {
      const query = queries[index]!;
      const compiled = compiler.compile(query);
      this.rules.push({
        def,
        name: `${def.category}/${def.id}`,
        query,
        test: compiled.test,
        accounts: def.accounts ? new Set(def.accounts.map(bare)) : null,
        langs: def.langs ? new Set(def.langs.map((l) => l.toLowerCase())) : null,
      });
      if (compiled.unconditional) this.always.push(index);
      for (const atom of compiled.triggers) {
        while (triggerSets.length <= atom) triggerSets.push(new Set());
        triggerSets[atom]!.add(index);
      }
    }
    this.triggers = Array.from({ length: this.atoms.count }, (_, i) => [...(triggerSets[i] ?? [])]);
    this.doc = new MatchDoc(this.atoms.count, compiler.memoCount);
    this.ruleStamp = new Int32Array(this.rules.length);
  }

  /** Rules that hold for these word keys and fields, in pack order. Not re-entrant (shared scratch). */
  match(keys: readonly string[], fields: DocFields): CompiledRule[] {
    const doc = this.doc;
    doc.reset(fields);
    this.atoms.scanAll(keys, doc);
    const gen = ++this.gen;
    const candidates = this.candidates;
    candidates.length = 0;
    for (const atom of doc.hit) {
      for (const r of this.triggers[atom]!) {
        if (this.ruleStamp[r] !== gen) {
          this.ruleStamp[r] = gen;
          candidates.push(r);
        }
      }
    }
    for (const r of this.always) {
      if (this.ruleStamp[r] !== gen) {
        this.ruleStamp[r] = gen;
        candidates.push(r);
      }
    }
    if (candidates.length === 0) return [];
    if (candidates.length > 16) candidates.sort((a, b) => a - b);
    else if (candidates.length > 1) sortSmall(candidates);
    const out: CompiledRule[] = [];
    for (const r of candidates) {
      const rule = this.rules[r]!;
      if (rule.accounts && fields.account !== null && !rule.accounts.has(fields.account)) continue;
      if (rule.langs && fields.lang !== 'und' && !rule.langs.has(fields.lang)) continue;
      if (rule.test(doc)) out.push(rule);
    }
    return out;
  }
}

/** Ascending insertion sort: candidates are mostly a handful, and `sort` with a comparator allocates. */
function sortSmall(list: number[]): void {
  for (let i = 1; i < list.length; i++) {
    const v = list[i]!;
    let j = i;
    for (; j > 0 && list[j - 1]! > v; j--) list[j] = list[j - 1]!;
    list[j] = v;
  }
}

/** Compiles a pack, throwing a RuleSyntaxError naming the first rule that does not parse. */
export function compilePack(pack: RulePack): CompiledPack {
  return new CompiledPack(pack);
}
