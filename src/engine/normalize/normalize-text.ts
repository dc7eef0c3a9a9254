import { foldAccents } from './fold.js';

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

// This is the hot path of the engine (every mention of the firehose goes through it), so it is a
// hand-written scanner over char codes with cached classification of non-ASCII characters: a single
// Unicode-property RegExp did the same job about ten times slower.

const Kind = { Other: 0, Word: 1, Emoji: 2 } as const;
type Kind = (typeof Kind)[keyof typeof Kind];

const ASCII_KIND = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  ASCII_KIND[c] = /[A-Za-z0-9]/.test(ch) ? Kind.Word : Kind.Other;
}
/** Kind + 1 of each BMP character classified so far (0: not yet): one array read per character. */
const BMP_KIND = new Uint8Array(0x10000);
const ASTRAL_KIND = new Map<number, Kind>();
const WORD_CHAR = /^[\p{L}\p{N}\p{M}]$/u;
const PICTO = /^\p{Extended_Pictographic}$/u;

function classify(code: number): Kind {
  const ch = String.fromCodePoint(code);
  return WORD_CHAR.test(ch) ? Kind.Word : PICTO.test(ch) ? Kind.Emoji : Kind.Other;
}

function kindOf(code: number): Kind {
  if (code < 128) return ASCII_KIND[code]! as Kind;
  if (code < 0x10000) {
    const known = BMP_KIND[code]!;
    if (known !== 0) return (known - 1) as Kind;
    const kind = classify(code);
    BMP_KIND[code] = kind + 1;
    return kind;
  }
  let kind = ASTRAL_KIND.get(code);
  if (kind === undefined) {
    kind = classify(code);
    if (ASTRAL_KIND.size < 100_000) ASTRAL_KIND.set(code, kind);
  }
  return kind;
}

/**
 * Whether NFKC can change the text. Precomposed Latin letters (most French text) are already NFKC,
 * so the costly normalisation runs only for the rest: compatibility forms (ﬁ, ², fullwidth, styled
 * 𝐌𝐚𝐭𝐡 letters), combining accents, other scripts, emoji. One native RegExp scan finds the first
 * character that may need it (about twice as quick as a loop over char codes after the first
 * non-ASCII one).
 */
function needsNfkc(text: string): boolean {
  return NFKC_UNSTABLE.test(text);
}

/**
 * Any character but those NFKC leaves alone and that compose with nothing: ASCII; the precomposed
 * Latin letters U+00C0–U+017E but for Ĳ ĳ, Ŀ ŀ and ŉ (which NFKC decomposes); punctuation of
 * everyday French and English typing (‘ ’ “ ” – — « »: the typographic apostrophe alone sent one
 * French mention in ten through the costly path; not `…`, which NFKC turns into three dots, nor the
 * no-break space); the zero-width joiner of emoji sequences; pictographs U+1F300–U+1FAFF (most
 * emoji), which have no decomposition. A lone surrogate is outside the class, so it needs NFKC.
 */
// biome-ignore lint/suspicious/noMisleadingCharacterClass: a class of single code points, the joiner among them: nothing is joined.
const NFKC_UNSTABLE = /[^\0-\x7f\xc0-\u0131\u0134-\u013e\u0141-\u0148\u014a-\u017e\u2018\u2019\u201c\u201d\u2013\u2014\xab\xbb\u200d\u{1f300}-\u{1faff}]/u;
const URL_END = /[\s<>"'«»]/;
const TRAILING_PUNCT = /[.,;:!?)\]}'"»]+$/;
// Hashtag words: an uppercase run not followed by lowercase (`RATP`), a capitalised or lowercase
// word (`Alerte`, `bombe`), or digits. Hashtags are rare enough for a RegExp.
const HASHTAG_PART = /\p{Lu}+(?!\p{Ll})|\p{Lu}?[\p{Ll}\p{M}]+|\p{N}+|[\p{L}\p{M}]+/gu;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * Display form and match key of the words that need folding (accents, repeated letters), by
 * lowercased word. Building them a character at a time was a third of the normalisation of a
 * French text; the words that need it are few and come back all the time. Bounded: cleared when full.
 */
const FOLDED = new Map<string, readonly [string, string] | null>();
const FOLDED_MAX = 50_000;

/**
 * Appends a word's display form and match key (see fold.ts). `lower` is already lowercased; the
 * scanner says whether it has non-ASCII characters or a repeated letter, so the common word (plain
 * ASCII, no double letter) is pushed as is.
 */
function pushWord(out: NormalizedText, lower: string, wide: boolean, repeat: boolean): void {
  if (!wide && !repeat) {
    out.words.push(lower);
    out.keys.push(lower);
    return;
  }
  let forms = FOLDED.get(lower);
  if (forms === undefined) {
    forms = foldWord(lower);
    if (FOLDED.size >= FOLDED_MAX) FOLDED.clear();
    FOLDED.set(lower, forms);
  }
  if (forms === null) return;
  out.words.push(forms[0]);
  out.keys.push(forms[1]);
}

/** [display form, match key] of a lowercased word, or null when nothing is left of it. */
function foldWord(lower: string): readonly [string, string] | null {
  // foldAccents returns a plain ASCII word unchanged.
  const folded = foldAccents(lower);
  if (folded === '') return null;
  // Runs of a letter: three or more are an elongation (display keeps one); the key keeps one of any run.
  let display = '';
  let key = '';
  let i = 0;
  while (i < folded.length) {
    const c = folded.charCodeAt(i);
    let j = i + 1;
    while (j < folded.length && folded.charCodeAt(j) === c) j++;
    if (j - i === 1) {
      display += folded[i];
      key += folded[i];
    } else {
      const run = folded.slice(i, j);
      const digit = isDigit(c);
      display += digit || run.length < 3 ? run : run[0];
      key += digit ? run : run[0];
    }
    i = j;
  }
  return [display, key];
}

/** A word from a hashtag part (original case, any characters). */
function pushRawWord(out: NormalizedText, raw: string): void {
  const lower = raw.toLowerCase();
  let wide = false;
  let repeat = false;
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    if (c >= 128) wide = true;
    if (i > 0 && c === lower.charCodeAt(i - 1)) repeat = true;
  }
  pushWord(out, lower, wide, repeat);
}

function startsUrl(text: string, i: number): number {
  // Returns the length of the scheme prefix if a URL starts at i, else 0.
  const c = text.charCodeAt(i);
  if (c === 104 /* h */) {
    if (text.startsWith('https://', i)) return 8;
    if (text.startsWith('http://', i)) return 7;
  } else if (c === 119 /* w */ && text.startsWith('www.', i)) return 4;
  return 0;
}

/** Normalises a text: NFKC, case and accent folding, hashtags as words, elongations folded. */
export function normalizeText(input: string): NormalizedText {
  const text = needsNfkc(input) ? input.normalize('NFKC') : input;
  const out: NormalizedText = { words: [], keys: [], text: '', urls: [], handles: [], hashtags: [] };
  const n = text.length;
  // Lowercase once for the whole text (native and fast); hashtags read the original case for their
  // word breaks. A lowercasing that changes the length (rare: İ) falls back to per-word lowercasing.
  const lowered = text.toLowerCase();
  const lower = lowered.length === n ? lowered : null;
  let spans = 0;
  let i = 0;
  while (i < n) {
    const unit = text.charCodeAt(i);
    const code = unit >= 0xd800 && unit <= 0xdbff ? text.codePointAt(i)! : unit;
    const width = code > 0xffff ? 2 : 1;
    // URLs, handles and hashtags only start after a non-word character; checked only for h, w, @, #.
    if ((code === 104 || code === 119 || code === 64 || code === 35) && (i === 0 || kindOf(text.charCodeAt(i - 1)) !== Kind.Word)) {
      if (code === 104 || code === 119) {
        if (startsUrl(text, i) > 0) {
          let j = i;
          while (j < n && !URL_END.test(text[j]!)) j++;
          const url = text.slice(i, j).replace(TRAILING_PUNCT, '');
          out.urls.push(url.startsWith('www.') ? `https://${url}` : url);
          i = j;
          continue;
        }
      } else {
        let j = i + 1;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === 95 /* _ */ || kindOf(c) === Kind.Word) j++;
          else break;
        }
        if (j > i + 1) {
          const name = text.slice(i + 1, j);
          if (code === 64) out.handles.push(name);
          else {
            out.hashtags.push(name);
            for (const part of name.split('_')) {
              HASHTAG_PART.lastIndex = 0;
              for (let p = HASHTAG_PART.exec(part); p !== null; p = HASHTAG_PART.exec(part)) pushRawWord(out, p[0]);
            }
          }
          i = j;
          continue;
        }
      }
    }
    const kind = code < 128 ? (ASCII_KIND[code]! as Kind) : kindOf(code);
    if (kind === Kind.Word) {
      const src = lower ?? text;
      let j = i;
      let wide = false;
      let repeat = false;
      let prev = -1;
      while (j < n) {
        const c = src.charCodeAt(j);
        if (c < 128) {
          if (ASCII_KIND[c] !== Kind.Word) break;
          if (c === prev) repeat = true;
          prev = c;
          j++;
        } else {
          const cp = c >= 0xd800 && c <= 0xdbff ? src.codePointAt(j)! : c;
          if (kindOf(cp) !== Kind.Word) break;
          wide = true;
          prev = c;
          j += cp > 0xffff ? 2 : 1;
        }
      }
      if (lower) {
        const w = out.words.length;
        let verbatim: boolean;
        if (!wide && !repeat) {
          // The common word is its own display form and key: pushed as is.
          const word = lower.slice(i, j);
          out.words.push(word);
          out.keys.push(word);
          verbatim = true;
        } else {
          pushWord(out, lower.slice(i, j), wide, repeat);
          // An ASCII word with a doubled letter (no elongation to squeeze) is its own display form too.
          verbatim = !wide && out.words.length > w && out.words[w]!.length === j - i;
        }
        if (verbatim) {
          // Remembered as a span of `lower`, so the display text can be cut from it rather than
          // joined word by word.
          if (w >= spanStart.length) growSpans();
          while (spans < w) spanStart[spans++] = -1;
          spanStart[w] = i;
          spanEnd[w] = j;
          spans = w + 1;
        }
      } else pushRawWord(out, text.slice(i, j));
      i = j;
      continue;
    }
    if (kind === Kind.Emoji) {
      const emoji = text.slice(i, i + width);
      out.words.push(emoji);
      out.keys.push(emoji);
    }
    i += width;
  }
  out.text = spans === 0 || lower === null ? out.words.join(' ') : joinWords(out.words, lower, spans);
  return out;
}

// Where each plain word of the text being normalised lies in its lowercased text (-1: a word that
// is not a plain slice of it). Shared scratch: normalisation is synchronous and not re-entrant.
let spanStart = new Int32Array(256);
let spanEnd = new Int32Array(256);

function growSpans(): void {
  const start = new Int32Array(spanStart.length * 2);
  const end = new Int32Array(spanEnd.length * 2);
  start.set(spanStart);
  end.set(spanEnd);
  spanStart = start;
  spanEnd = end;
}

/**
 * `words.join(' ')`, but consecutive plain words that stand one space apart in `lower` come out as
 * one slice of it: a tweet is then a handful of pieces rather than a dozen words to copy one by one.
 * Only the first `spans` entries of the span tables are about this text.
 */
function joinWords(words: readonly string[], lower: string, spans: number): string {
  let text = '';
  for (let w = 0; w < words.length; ) {
    let piece = words[w]!;
    let v = w + 1;
    if (w < spans && spanStart[w]! >= 0) {
      let end = spanEnd[w]!;
      while (v < spans && spanStart[v] === end + 1 && lower.charCodeAt(end) === 32) end = spanEnd[v++]!;
      if (v > w + 1) piece = lower.slice(spanStart[w]!, end);
    }
    text = w === 0 ? piece : `${text} ${piece}`;
    w = v;
  }
  return text;
}
