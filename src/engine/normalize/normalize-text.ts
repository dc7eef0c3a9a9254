import { displayForm, matchKey } from './fold.js';

/**
 * A text made ready for matching. `keys[i]` is the match key of word `i` (what the automaton reads),
 * `words[i]` its display form; positions are word indexes, which is what NEAR/n counts.
 */
export interface NormalizedText {
  words: string[];
  keys: string[];
  /** Display words joined by single spaces: lowercase, no accents, no punctuation, emoji kept. */
  text: string;
  urls: string[];
  /** Handles without `@`, as written. */
  handles: string[];
  hashtags: string[];
}

// One pass over the text: URLs, then @handles / #hashtags, then words, then pictographic emoji.
const TOKEN =
  /(https?:\/\/[^\s<>"'«»]+|www\.[^\s<>"'«»]+)|([@#])([\p{L}\p{N}\p{M}_]+)|([\p{L}\p{N}\p{M}]+)|(\p{Extended_Pictographic})/gu;
const NON_ASCII = /[^\x00-\x7f]/;
const TRAILING_PUNCT = /[.,;:!?)\]}'"»]+$/;
// Hashtag words: an uppercase run not followed by lowercase (`RATP`), a capitalised or lowercase
// word (`Alerte`, `bombe`), or digits.
const HASHTAG_PART = /\p{Lu}+(?!\p{Ll})|\p{Lu}?[\p{Ll}\p{M}]+|\p{N}+|[\p{L}\p{M}]+/gu;

function pushWord(out: NormalizedText, raw: string): void {
  const display = displayForm(raw.toLowerCase());
  if (display === '') return;
  out.words.push(display);
  out.keys.push(matchKey(display));
}

/** Normalises a text: NFKC, case and accent folding, hashtags as words, elongations folded. */
export function normalizeText(input: string): NormalizedText {
  const text = NON_ASCII.test(input) ? input.normalize('NFKC') : input;
  const out: NormalizedText = { words: [], keys: [], text: '', urls: [], handles: [], hashtags: [] };
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m !== null; m = TOKEN.exec(text)) {
    if (m[1] !== undefined) {
      const url = m[1].replace(TRAILING_PUNCT, '');
      out.urls.push(url.startsWith('www.') ? `https://${url}` : url);
    } else if (m[2] === '@') {
      out.handles.push(m[3]!);
    } else if (m[2] === '#') {
      const tag = m[3]!;
      out.hashtags.push(tag);
      for (const part of tag.split('_')) {
        HASHTAG_PART.lastIndex = 0;
        for (let p = HASHTAG_PART.exec(part); p !== null; p = HASHTAG_PART.exec(part)) pushWord(out, p[0]);
      }
    } else if (m[4] !== undefined) {
      pushWord(out, m[4]);
    } else if (m[5] !== undefined) {
      out.words.push(m[5]);
      out.keys.push(m[5]);
    }
  }
  out.text = out.words.join(' ');
  return out;
}
