/**
 * Folding of one word for matching. Two forms:
 * - the display form: lowercase, accents removed, elongations of three or more letters squeezed to one
 *   (`retaaaard` → `retard`), what `normalizedText` shows;
 * - the match key: the display form with every run of a repeated letter squeezed to one, applied to
 *   text and queries alike, so `cooool`, `cool` and `col` meet, and `arrêt` matches `arrrêt`.
 * Done with a code-point table rather than `normalize('NFD')` per word: it is the hot path.
 */

const LATIN_END = 0x250;
const TABLE: string[] = buildTable();

function buildTable(): string[] {
  const table: string[] = [];
  for (let code = 0; code < LATIN_END; code++) {
    const ch = String.fromCharCode(code);
    table.push(ch.normalize('NFD').replace(/\p{M}+/gu, ''));
  }
  // Letters NFD does not decompose but people type as two letters.
  const extra: Record<string, string> = { œ: 'oe', æ: 'ae', ß: 'ss', ø: 'o', đ: 'd', ł: 'l', ŀ: 'l', ı: 'i', ĳ: 'ij', ð: 'd', þ: 'th' };
  for (const [from, to] of Object.entries(extra)) table[from.charCodeAt(0)] = to;
  return table;
}

const MARK = /\p{M}/u;

/** Accent folding of an already lowercased word. */
export function foldAccents(word: string): string {
  let ascii = true;
  for (let i = 0; i < word.length; i++) {
    if (word.charCodeAt(i) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return word;
  let out = '';
  for (let i = 0; i < word.length; i++) {
    const code = word.charCodeAt(i);
    if (code < LATIN_END) out += TABLE[code];
    else if (code >= 0x300 && code < 0x370) continue; // combining marks left by odd input
    else {
      const ch = word[i]!;
      if (!MARK.test(ch)) out += ch;
    }
  }
  return out;
}

function isLetterCode(code: number): boolean {
  // Digits are never squeezed: "2000" is not "20".
  return !(code >= 48 && code <= 57);
}

/** Squeezes runs of `min` or more identical letters to one letter. */
export function squeeze(word: string, min: number): string {
  let found = false;
  let run = 1;
  for (let i = 1; i < word.length; i++) {
    if (word.charCodeAt(i) === word.charCodeAt(i - 1)) {
      run++;
      if (run >= min && isLetterCode(word.charCodeAt(i))) {
        found = true;
        break;
      }
    } else run = 1;
  }
  if (!found) return word;
  let out = word[0] ?? '';
  run = 1;
  let start = 0;
  for (let i = 1; i <= word.length; i++) {
    if (i < word.length && word.charCodeAt(i) === word.charCodeAt(i - 1)) {
      run++;
      continue;
    }
    // flush the run [start, i)
    const code = word.charCodeAt(start);
    const keep = run >= min && isLetterCode(code) ? 1 : run;
    out += word.slice(start + 1, start + keep);
    if (i < word.length) out += word[i];
    start = i;
    run = 1;
  }
  return out;
}

/** Display form of a lowercased word: accents folded, elongations (3+ letters) squeezed. */
export function displayForm(lowerWord: string): string {
  return squeeze(foldAccents(lowerWord), 3);
}

/** Match key of a display form: every repeated letter squeezed. */
export function matchKey(display: string): string {
  return squeeze(display, 2);
}
