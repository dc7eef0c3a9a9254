/**
 * Postgres COPY text format: one line per row, columns separated by tabs, `\N` for null, and
 * backslash escapes for the backslash, newline, carriage return and tab inside a value
 * (https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.2).
 */

import { storableJson, storableText } from './storable.js';

const ESCAPED = /[\\\n\r\t]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
/** What a text needs done to it: a COPY escape, or a NUL made storable. */
const TEXT_NEEDS_WORK = /[\\\n\r\t\u0000]/;

/** One value: null and undefined as `\N`, objects as JSON (for json/jsonb columns), dates in ISO form. */
export function copyValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'string') return copyText(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  return copyJson(value);
}

/** A text value. Most have nothing to escape or replace: one scan, no copy. */
export function copyText(value: string): string {
  return TEXT_NEEDS_WORK.test(value) ? copyEscaped(storableText(value)) : value;
}

/**
 * A JSON value. JSON writes tabs, newlines and NULs as backslash escapes, so JSON without a
 * backslash has nothing to escape or replace: one scan, no copy.
 */
export function copyJson(value: unknown): string {
  const json = JSON.stringify(value);
  if (!json.includes('\\')) return json;
  return copyEscaped(json.includes('\\u0000') ? storableJson(value) : json);
}

/** The text with COPY's escapes for backslash, newline, carriage return and tab. */
function copyEscaped(text: string): string {
  return text.replace(ESCAPED, (c) => ESCAPES[c]!);
}

/** The COPY line of one row, its values in column order, newline included. */
export function copyLine(row: readonly unknown[]): string {
  let out = copyValue(row[0]);
  for (let i = 1; i < row.length; i++) out += `\t${copyValue(row[i])}`;
  return `${out}\n`;
}

/**
 * COPY lines encoded to UTF-8 as they are added. The COPY goes to the socket as bytes anyway:
 * appending each line to one growing string made a rope that had to be flattened and encoded
 * again at the end, which cost as much as encoding the values.
 */
export class CopyBuffer {
  private buffer = Buffer.allocUnsafe(64 * 1024);
  private used = 0;

  append(line: string): void {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8: room for the worst case, then write.
    const needed = this.used + line.length * 3;
    if (needed > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, needed));
      this.buffer.copy(grown, 0, 0, this.used);
      this.buffer = grown;
    }
    this.used += this.buffer.write(line, this.used);
  }

  /** The lines so far (a view of the buffer, not a copy). */
  bytes(): Buffer {
    return this.buffer.subarray(0, this.used);
  }
}
