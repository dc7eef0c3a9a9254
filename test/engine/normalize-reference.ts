import { displayForm, foldAccents, matchKey } from '../../src/engine/normalize/fold.js';
import type { NormalizedText } from '../../src/engine/normalize/normalize-text.js';

/**
 * The normaliser written the slow, obvious way: NFKC always, a Unicode-property RegExp per
 * character, fold.ts for every word, no cache, `words.join(' ')` for the text. `normalizeText` must
 * give exactly this on any input; its fast paths (NFKC skipped, char-code tables, the word cache,
 * the display text cut from the lowercased text) are checked against it on generated strings.
 */
const WORD_CHAR = /^[\p{L}\p{N}\p{M}]$/u;
const PICTO = /^\p{Extended_Pictographic}$/u;
/** A URL as a whole: its scheme or `www.`, then everything up to a space, a bracket or a quote. */
const URL_RUN = /(?:https?:\/\/|www\.)[^\s<>"'«»]*/y;
const TRAILING_PUNCT = /[.,;:!?)\]}'"»]+$/;
const HASHTAG_PART = /\p{Lu}+(?!\p{Ll})|\p{Lu}?[\p{Ll}\p{M}]+|\p{N}+|[\p{L}\p{M}]+/gu;

type Kind = 'word' | 'emoji' | 'other';

function kind(codePoint: number): Kind {
  const ch = String.fromCodePoint(codePoint);
  return WORD_CHAR.test(ch) ? 'word' : PICTO.test(ch) ? 'emoji' : 'other';
}

function addWord(out: NormalizedText, lower: string): void {
  if (foldAccents(lower) === '') return;
  const display = displayForm(lower);
  out.words.push(display);
  out.keys.push(matchKey(display));
}

export function referenceNormalize(input: string): NormalizedText {
  const text = input.normalize('NFKC');
  const out: NormalizedText = { words: [], keys: [], text: '', urls: [], handles: [], hashtags: [] };
  // The whole text is lowercased at once (Greek final sigma depends on the neighbours), unless that
  // changes its length (İ): then each word is lowercased alone.
  const lowered = text.toLowerCase();
  const lower = lowered.length === text.length ? lowered : null;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const code = text.codePointAt(i)!;
    const width = code > 0xffff ? 2 : 1;
    // URLs, handles and hashtags start after a non-word UTF-16 unit.
    const afterBreak = i === 0 || kind(text.charCodeAt(i - 1)) !== 'word';
    URL_RUN.lastIndex = i;
    const run = afterBreak ? URL_RUN.exec(text)?.[0] : undefined;
    if (run !== undefined) {
      const url = run.replace(TRAILING_PUNCT, '');
      out.urls.push(url.startsWith('www.') ? `https://${url}` : url);
      i += run.length;
      continue;
    }
    if (afterBreak && (code === 64 || code === 35)) {
      let j = i + 1;
      while (j < n && (text.charCodeAt(j) === 95 || kind(text.charCodeAt(j)) === 'word')) j++;
      if (j > i + 1) {
        const name = text.slice(i + 1, j);
        if (code === 64) out.handles.push(name);
        else {
          out.hashtags.push(name);
          for (const part of name.split('_')) for (const m of part.matchAll(HASHTAG_PART)) addWord(out, m[0].toLowerCase());
        }
        i = j;
        continue;
      }
    }
    const k = kind(code);
    if (k === 'word') {
      const src = lower ?? text;
      let j = i;
      while (j < n) {
        const cp = src.codePointAt(j)!;
        if (kind(cp) !== 'word') break;
        j += cp > 0xffff ? 2 : 1;
      }
      addWord(out, lower ? lower.slice(i, j) : text.slice(i, j).toLowerCase());
      i = j;
      continue;
    }
    if (k === 'emoji') {
      out.words.push(text.slice(i, i + width));
      out.keys.push(text.slice(i, i + width));
    }
    i += width;
  }
  out.text = out.words.join(' ');
  return out;
}

/**
 * Pieces that make normalisation hard, for generated texts: accents precomposed and combining,
 * ligatures, full-width and styled letters, emoji (with skin tones, ZWJ, variation selectors),
 * Turkish dotted and dotless i, Greek sigma, other scripts, typographic punctuation, no-break
 * spaces, elongations, doubled letters and digits, hashtags, handles and URLs.
 */
export const TRICKY_PIECES = [
  'a', 'E', 'z', 'Q', '0', '7', ' ', ' ', ' ', '  ', '\n', '\t', '.', ',', '!', '?', "'", '"', '-', '_', '(', ')', ':', ';', '/',
  'é', 'É', 'è', 'ê', 'à', 'ç', 'Ç', 'ô', 'ü', 'ÿ', 'Ÿ', 'ñ', 'ø', 'Ø', 'å', 'æ', 'Æ', 'œ', 'Œ', 'ß', 'ẞ', 'ð', 'þ', 'đ', 'ł', 'Ł',
  'ĳ', 'Ĳ', 'ŀ', 'Ŀ', 'ŉ', 'ſ', 'ı', 'İ', 'Ω', 'Σ', 'σ', 'ς', 'ΟΔΟΣ', 'Москва', 'ПРИВЕТ', 'مرحبا', '東京', 'ｶﾀｶﾅ', 'ǅ', 'ǆ',
  'e\u0301', 'E\u0301', 'a\u0300', '\u0301', '\u0308', 'Ä\u0304', 'n\u0303', 'ﬁ', 'ﬂ', 'ﬀ', '²', '½', 'ª', 'º', '™', '℃', 'Ⅻ', '①', 'Ⓐ',
  'Ｍ', 'ｅ', '０', '９', '！', '＃', '＠', '𝐀', '𝐛', '𝟏', '𝔄', 'ℌ', '\u00a0', '\u202f', '\u200b', '\u200d', '\ufeff', '’', '‘', '“', '”',
  '«', '»', '–', '—', '…', '·', '•', '€', '£', '©', '°', '×', '÷', '💣', '🔥', '😡', '👍', '👍🏽', '❤️', '❤', '☕', '✈️', '🇫🇷',
  '👨‍👩‍👧', '🤬', '\ud83d', '\ude00', '\u{1F1E6}', '\u{1F100}', 'retaaaard', 'cooool', 'arrêt', 'arrrrêt', 'aa', 'ooo', 'LLL', '2000',
  '1111', 'greve', 'grève', 'GRÈVE', 'bombe', 'Bombe', 'BOMBE', 'ratp', 'RATP', 'métro', 'Métro', 'Roissy', 'hello', 'TERMINAL',
  '#AlerteBombe', '#greve_RATP', '#Ligne13', '#RATP', '#métro', '#ÉVACUATION', '#a', '#', '#_', '#2E', '@ParisAeroport', '@ratp_fr',
  '@', '@_x', 'x@y', 'a#b', 'https://x.com/a/status/1?s=20.', 'http://ex.org/«q»', 'www.ratp.fr,', 'www.', 'https://', 'xhttps://a',
  'hhttp://b', 'wwww.c', 'https://t.co/Ab)', 'HTTPS://X.COM',
];

/** A generated text of `pieces` tricky pieces. */
export function trickyText(rand: () => number, pieces: number): string {
  let text = '';
  for (let k = 0; k < pieces; k++) text += TRICKY_PIECES[Math.floor(rand() * TRICKY_PIECES.length)]!;
  return text;
}
