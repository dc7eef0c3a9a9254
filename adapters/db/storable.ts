/**
 * Postgres text and jsonb cannot hold U+0000: one NUL in a mention would make its whole batch fail,
 * again at every retry of the sender. Values written in bulk go through these, which replace it,
 * like any character that cannot be stored, with U+FFFD.
 */

const NUL = '\u0000';
const REPLACEMENT = '\uFFFD';

export function storableText(text: string): string {
  return text.includes(NUL) ? text.replaceAll(NUL, REPLACEMENT) : text;
}

/** JSON of a value, its strings made storable. JSON writes a NUL as the escape `\u0000`. */
export function storableJson(value: unknown): string {
  const json = JSON.stringify(value);
  if (!json.includes('\\u0000')) return json;
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? storableText(v) : v));
}
