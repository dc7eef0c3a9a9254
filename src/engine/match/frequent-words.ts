import { normalizeText } from '../normalize/normalize-text.js';

/**
 * Words found in a large share of the mentions of a public service, French and English, as match
 * keys: function words, pronouns, the commonest verbs, and the network's own everyday words. A rule
 * is evaluated when one of its trigger words is in a mention (compile-query.ts); among the parts of
 * a rule that would do, one made of these words would wake it up for nearly every mention.
 */
const WORDS =
  'le la les l de des du d un une et a à au aux en dans sur pour par pas ne n plus ce c ça ca cette ces qui que qu je j tu il elle on nous vous ils elles y est sont suis ai as avons ont était été fait ma mon mes ta ton tes sa son ses m t s se avec mais ou où donc car très tout tous toute toujours encore rien là ' +
  'the a an and or of to in on at for with from by is are was were be been am it its i you he she we they my your our their this that these those not no just so but if as s t m all what ' +
  'ligne lignes line metro rer tram bus train trains rame gare station quai aeroport airport terminal vol flight mairie ville city min minutes heure heures hour hours';

const FREQUENT: ReadonlySet<string> = new Set(WORDS.split(' ').flatMap((w) => normalizeText(w).keys));

export function isFrequentWord(key: string): boolean {
  return FREQUENT.has(key);
}
