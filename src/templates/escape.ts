/**
 * Makes a variable value safe to put into a public reply. Values come from people filling a form,
 * sometimes pasted from the very post we answer, so they must not be able to ping third parties,
 * smuggle invisible or direction-flipping characters, or break the layout of the template.
 * The template body itself is reviewed text and is left alone.
 */

// C0 and C1 controls, DEL, zero-width and BOM, bidi embeddings/overrides/isolates, line/paragraph separators.
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
// `@name` and fullwidth `＠name` both mention on X; a zero-width space after the sign keeps the text
// readable while no network parses it as a mention any more.
const MENTION = /([@＠])(?=[\p{L}\p{N}_])/gu;
const ZERO_WIDTH_SPACE = '\u200b';

export function escapeVariable(value: string): string {
  return value
    .replace(/[\r\n\t]+/g, ' ')
    .replace(INVISIBLE, '')
    .replace(/ {2,}/g, ' ')
    .trim()
    .replace(MENTION, `$1${ZERO_WIDTH_SPACE}`);
}
