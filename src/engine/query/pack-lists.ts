import type { QueryNode } from './ast.js';
import { parseQuery } from './parser.js';
import type { QueryOrigin } from './syntax-error.js';

/** How a query finds its `$name` lists; `whyMissing` lets the parser say more than "unknown". */
export interface ListLookup {
  get(name: string): QueryNode | undefined;
  whyMissing?(name: string): string | undefined;
}

const OPERATORS = /["“«()$]|\b(AND|OR|NOT|NEAR\/\d+)\b|^\w+:/;

/**
 * A list item with no operator, quote, parenthesis or `$list` is one phrase (`hôtel de ville`), which
 * is what a person writing a list of words means; an item with operators is a query of its own.
 */
export function listItemQuery(item: string): string {
  return OPERATORS.test(item) ? item : `"${item}"`;
}

export interface PackListsSource {
  lists?: Record<string, string[]> | undefined;
  origin?: { file?: string | undefined; lines: Record<string, number> } | undefined;
}

/**
 * A pack's `$name` lists, parsed: each an OR of its items. An item may name another list
 * (`- $bag_debunk`), resolved whatever the order in the file; a list that reaches itself is an error
 * naming the loop. With `problems`, every error is collected instead of the first one thrown.
 */
export function packLists(pack: PackListsSource, problems?: string[]): ListLookup {
  const defs = pack.lists ?? {};
  const resolved = new Map<string, QueryNode>();
  const failed = new Set<string>();
  const active: string[] = [];

  const lookup: ListLookup = {
    get: resolve,
    whyMissing(name) {
      const at = active.indexOf(name);
      if (at !== -1) return `list "$${name}" refers to itself (${[...active.slice(at), name].map((n) => `$${n}`).join(' → ')})`;
      if (failed.has(name)) return `list "$${name}" has errors of its own`;
      return undefined;
    },
  };

  function resolve(name: string): QueryNode | undefined {
    const done = resolved.get(name);
    if (done) return done;
    if (!Object.hasOwn(defs, name) || failed.has(name) || active.includes(name)) return undefined;
    const origin: QueryOrigin = { file: pack.origin?.file, ruleId: `$${name}`, line: pack.origin?.lines[`$${name}`] };
    active.push(name);
    const nodes: QueryNode[] = [];
    let broken = false;
    try {
      for (const item of defs[name]!) {
        try {
          nodes.push(parseQuery(listItemQuery(item), { origin, lists: lookup }));
        } catch (err) {
          if (!problems) throw err;
          problems.push(err instanceof Error ? err.message : String(err));
          broken = true;
        }
      }
    } finally {
      active.pop();
    }
    if (broken || nodes.length === 0) {
      failed.add(name);
      return undefined;
    }
    const node: QueryNode = nodes.length === 1 ? nodes[0]! : { type: 'or', children: nodes };
    resolved.set(name, node);
    return node;
  }

  for (const name of Object.keys(defs)) resolve(name);
  return lookup;
}
