import { normalizeText } from '../engine/normalize/normalize-text.js';

/**
 * Which stories belong to a crisis: those whose text carries one of the crisis terms, on the
 * crisis site. Terms are matched on the engine's match keys (case, accents and elongations folded),
 * as whole words or phrases; a trailing `*` matches a prefix (`évacu*`).
 */

export interface CrisisScope {
  terms: readonly string[];
  /** Null: the whole organisation. */
  site: string | null;
}

export interface StoryForCrisis {
  /** The story's text, raw or already normalised (normalising again is harmless). */
  normalizedText: string;
  /** Site of the account the story is on (config accounts' `site`), null when unknown. */
  site: string | null;
  category: string | null;
}

/** Praise is never part of a crisis: a thank-you must not be raised to critical. */
const NEVER_ATTACHED = new Set(['praise']);

interface CompiledTerm {
  term: string;
  keys: string[];
  prefix: boolean;
}

function compile(term: string): CompiledTerm | null {
  const prefix = term.trim().endsWith('*');
  const keys = normalizeText(term.replace(/\*+\s*$/, '')).keys;
  return keys.length === 0 ? null : { term, keys, prefix };
}

function phraseAt(words: readonly string[], at: number, t: CompiledTerm): boolean {
  for (let k = 0; k < t.keys.length; k++) {
    const word = words[at + k];
    if (word === undefined) return false;
    const last = k === t.keys.length - 1;
    if (last && t.prefix ? !word.startsWith(t.keys[k]!) : word !== t.keys[k]) return false;
  }
  return true;
}

/** The first crisis term found in the story, or null when the story is not part of the crisis. */
export function crisisMatches(crisis: CrisisScope, story: StoryForCrisis): { term: string } | null {
  if (story.category !== null && NEVER_ATTACHED.has(story.category)) return null;
  // A story on another site is another incident; one whose site is unknown may still be ours.
  if (crisis.site !== null && story.site !== null && story.site !== crisis.site) return null;
  const words = normalizeText(story.normalizedText).keys;
  for (const raw of crisis.terms) {
    const t = compile(raw);
    if (!t) continue;
    for (let i = 0; i < words.length; i++) if (phraseAt(words, i, t)) return { term: raw };
  }
  return null;
}

const STOPWORDS = new Set(
  'alerte alert crise crisis incident sur the and des les une pour dans avec from with at au aux du de la le en et a of on in to'.split(' '),
);

/** Terms derived from a crisis title when none were given: its significant words. */
export function defaultCrisisTerms(title: string): string[] {
  const words = normalizeText(title).words.filter((w) => (w.length >= 4 || /\d/.test(w)) && !STOPWORDS.has(w));
  return [...new Set(words)];
}
