import { FilteredWordSet } from '../match/word-filter.js';
import { normalizeText } from '../normalize/normalize-text.js';

/**
 * Negative-tone words, French and English, as match keys. Tone only nudges a score (a few points):
 * what a mention is about is the rules' job. Words that are also plain vocabulary of our domains
 * ("retard", "panne") are left out so tone does not count the subject twice.
 */
const FR =
  'nul nulle nuls nulles honte honteux honteuse scandale scandaleux scandaleuse inadmissible inacceptable lamentable pathetique minable deplorable catastrophe catastrophique insupportable intolerable incompetent incompetents incompetente incompetence colere furieux furieuse enerve enervee degoute degoutee degueulasse degoutant arnaque arnaqueurs mepris cauchemar enfer galere marre rasleboll foutage foutent merde bordel putain abuse abusé horrible affreux pire indigne indecent ridicule irrespectueux mensonge menteurs vergogne ecoeure ecoeurant';
const EN =
  'worst terrible awful horrible disgusting disgrace disgraceful shame shameful unacceptable ridiculous pathetic useless incompetent incompetence nightmare furious angry outraged outrageous appalling scam rip-off hell fuck fucking shit crap joke lies liars rude unbelievable insane absurd dreadful abysmal';

export function lexiconKeys(words: readonly string[]): FilteredWordSet {
  const keys = new FilteredWordSet();
  for (const w of words) {
    const k = normalizeText(w).keys;
    if (k.length === 1) keys.add(k[0]!);
  }
  return keys;
}

export const NEGATIVE_WORDS: ReadonlySet<string> = lexiconKeys(`${FR} ${EN}`.split(/\s+/));

/** Distinct negative words of a mention, in order of appearance (match keys). */
export function negativeWords(keys: readonly string[], lexicon: ReadonlySet<string>): string[] {
  const found: string[] = [];
  if (lexicon instanceof FilteredWordSet) {
    for (const k of keys) if (lexicon.hasWord(k) && !found.includes(k)) found.push(k);
  } else for (const k of keys) if (lexicon.has(k) && !found.includes(k)) found.push(k);
  return found;
}
