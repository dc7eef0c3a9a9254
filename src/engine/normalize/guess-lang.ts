import { displayForm, matchKey } from './fold.js';

/**
 * A light French / English guess for mentions that arrive without `lang`: counts frequent function
 * words of each language. Good enough to pick a lexicon and a rule filter; not a classifier.
 */
const FR = keySet(
  'le la les des une un est et au aux du pour pas sur dans ce ca cette qui que je il elle on nous vous ils avec mais plus tres c j l d qu n m s t y en sont suis ai avons depuis encore toujours rien personne chez'.split(
    ' ',
  ),
);
const EN = keySet(
  'the is are and to of in at for with this that it my i you not was were have has no be been from they we your our why what there just still again been any at an by'.split(
    ' ',
  ),
);

function keySet(words: string[]): Set<string> {
  return new Set(words.map((w) => matchKey(displayForm(w))));
}

/** Guesses from match keys (see fold.ts). */
export function guessLang(keys: readonly string[]): 'fr' | 'en' | 'und' {
  let fr = 0;
  let en = 0;
  for (const k of keys) {
    if (FR.has(k)) fr++;
    if (EN.has(k)) en++;
  }
  if (fr === 0 && en === 0) return 'und';
  return fr >= en ? 'fr' : 'en';
}
