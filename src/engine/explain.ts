import { AtomTable } from './match/atoms.js';
import { compileQuery } from './match/compile-query.js';
import { type DocFields, MatchDoc } from './match/doc.js';
import { normalizeText } from './normalize/normalize-text.js';
import { printQuery, type QueryNode } from './query/ast.js';
import { parseQuery } from './query/parser.js';
import type { ListLookup } from './query/pack-lists.js';

export interface ExplainLine {
  depth: number;
  matched: boolean;
  /** The part of the query, as the engine understood it. */
  part: string;
  /** For words and phrases: the words of the text they matched. */
  found: string[];
}

export interface Explanation {
  matched: boolean;
  normalizedText: string;
  lines: ExplainLine[];
}

/** Evaluates a query against a text and says, part by part, what matched: `vigie rules explain`. */
export function explainQuery(
  query: string,
  text: string,
  options: { fields?: Partial<DocFields> | undefined; lists?: ListLookup | undefined } = {},
): Explanation {
  const root = parseQuery(query, { lists: options.lists });
  const atoms = new AtomTable();
  compileQuery(root, atoms);
  const norm = normalizeText(text);
  const doc = new MatchDoc(atoms.count);
  doc.reset({ account: null, authorHandle: '', authorId: '', lang: 'und', source: '', ...options.fields });
  atoms.scanAll(norm.keys, doc);

  const lines: ExplainLine[] = [];
  const walk = (node: QueryNode, depth: number): void => {
    const matched = compileQuery(node, atoms).test(doc);
    const found: string[] = [];
    if (node.type === 'term') {
      const ids = node.words.map((w) => atoms.intern(w));
      for (const p of doc.at(ids[0]!)) {
        if (ids.every((id, k) => doc.at(id).includes(p + k))) found.push(norm.words.slice(p, p + ids.length).join(' '));
      }
    }
    lines.push({ depth, matched, part: printQuery(node), found });
    if (node.type === 'and' || node.type === 'or') for (const c of node.children) walk(c, depth + 1);
    else if (node.type === 'not') walk(node.child, depth + 1);
    else if (node.type === 'near') {
      walk(node.left, depth + 1);
      walk(node.right, depth + 1);
    }
  };
  walk(root, 0);
  return { matched: lines[0]!.matched, normalizedText: norm.text, lines };
}
