/** The parsed form of a watch-rule query. Offsets are 0-based positions in the query text. */

/** One word of a term, as a match key; `prefix` for a suffix wildcard (`grève*`). */
export interface TermWord {
  key: string;
  prefix: boolean;
}

export const FIELDS = ['account', 'author', 'lang', 'source'] as const;
export type FieldName = (typeof FIELDS)[number];

export type QueryNode =
  /** A word or a quoted phrase: one or more words that must follow each other. */
  | { type: 'term'; words: TermWord[]; raw: string; at: number }
  | { type: 'field'; field: FieldName; value: string; prefix: boolean; at: number }
  | { type: 'and'; children: QueryNode[] }
  | { type: 'or'; children: QueryNode[] }
  | { type: 'not'; child: QueryNode }
  /** `ordered`: BEFORE/n, the left side must come first. */
  | { type: 'near'; left: QueryNode; right: QueryNode; distance: number; ordered: boolean; at: number };

/** Renders a node back to a query, for `rules explain`. */
export function printQuery(node: QueryNode): string {
  switch (node.type) {
    case 'term':
      return /\s/.test(node.raw.trim()) ? `"${node.raw.trim()}"` : node.raw;
    case 'field':
      return `${node.field}:${node.value}${node.prefix ? '*' : ''}`;
    case 'and':
      return `(${node.children.map(printQuery).join(' AND ')})`;
    case 'or':
      return `(${node.children.map(printQuery).join(' OR ')})`;
    case 'not':
      return `NOT ${printQuery(node.child)}`;
    case 'near':
      return `(${printQuery(node.left)} ${node.ordered ? 'BEFORE' : 'NEAR'}/${node.distance} ${printQuery(node.right)})`;
  }
}
