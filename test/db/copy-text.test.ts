import { describe, expect, it } from 'vitest';
import { copyLine, copyValue } from '../../adapters/db/copy-text.js';

describe('COPY text encoding', () => {
  it('writes null as \\N and escapes the characters that delimit rows and columns', () => {
    expect(copyValue(null)).toBe('\\N');
    expect(copyValue(undefined)).toBe('\\N');
    expect(copyValue('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    // A literal "\N" written by someone is text, not null.
    expect(copyValue('\\N')).toBe('\\\\N');
    expect(copyValue('plain é 🚇')).toBe('plain é 🚇');
  });

  it('writes numbers, dates and JSON values in the forms Postgres reads back', () => {
    expect(copyValue(42)).toBe('42');
    expect(copyValue(new Date('2026-11-28T08:00:00Z'))).toBe('2026-11-28T08:00:00.000Z');
    expect(copyValue({ name: 'tab\there', n: 1 })).toBe('{"name":"tab\\\\there","n":1}');
    expect(copyValue([])).toBe('[]');
    // JSON's own escapes are backslashes, which COPY escapes in turn.
    expect(copyValue({ q: 'say "hi"' })).toBe('{"q":"say \\\\"hi\\\\""}');
  });

  it('writes a NUL, which Postgres cannot store, as U+FFFD in text and in JSON', () => {
    expect(copyValue('a\u0000b\tc')).toBe('a\uFFFDb\\tc');
    expect(copyValue({ s: 'a\u0000b' })).toBe('{"s":"a\uFFFDb"}');
  });

  it('joins columns with tabs and ends every row with a newline', () => {
    expect(copyLine(['a', null, 1]) + copyLine(['b\nc', 'd', 2])).toBe('a\t\\N\t1\nb\\nc\td\t2\n');
  });
});
