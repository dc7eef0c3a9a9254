/**
 * Postgres COPY text format: one line per row, columns separated by tabs, `\N` for null, and
 * backslash escapes for the backslash, newline, carriage return and tab inside a value
 * (https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.2).
 */

import { storableJson, storableText } from './storable.js';

const NEEDS_ESCAPE = /[\\\n\r\t]/;
const ESCAPED = /[\\\n\r\t]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** One value: null and undefined as `\N`, objects as JSON (for json/jsonb columns), dates in ISO form. */
export function copyValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  let text: string;
  if (typeof value === 'string') text = storableText(value);
  else if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  else if (value instanceof Date) return value.toISOString();
  else text = storableJson(value);
  // Most values have nothing to escape: one scan, no copy.
  return NEEDS_ESCAPE.test(text) ? text.replace(ESCAPED, (c) => ESCAPES[c]!) : text;
}

/** The COPY line of one row, its values in column order, newline included. */
export function copyLine(row: readonly unknown[]): string {
  let out = copyValue(row[0]);
  for (let i = 1; i < row.length; i++) out += `\t${copyValue(row[i])}`;
  return `${out}\n`;
}

/** The COPY lines of these rows. */
export function copyLines(rows: ReadonlyArray<readonly unknown[]>): string {
  let out = '';
  for (const row of rows) out += copyLine(row);
  return out;
}
