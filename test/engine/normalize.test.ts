import { describe, expect, it } from 'vitest';
import { guessLang } from '../../src/engine/normalize/guess-lang.js';
import { normalizeText } from '../../src/engine/normalize/normalize-text.js';

describe('normalizeText', () => {
  it('folds case and accents, and drops punctuation', () => {
    expect(normalizeText('Alerte à la BOMBE à Roissy ?? Évacué !').text).toBe('alerte a la bombe a roissy evacue');
  });

  it('applies NFKC so styled and compatibility letters read as plain ones', () => {
    expect(normalizeText('𝐀𝐋𝐄𝐑𝐓𝐄 ﬁn Ｍétro').text).toBe('alerte fin metro');
  });

  it('folds combining accents typed as separate characters', () => {
    expect(normalizeText('e\u0301vacue\u0301').text).toBe('evacue');
  });

  it('reads hashtags as words, splitting CamelCase, underscores and digits', () => {
    const n = normalizeText('#AlerteBombe #greve_RATP #Ligne13 #RATP');
    expect(n.words).toEqual(['alerte', 'bombe', 'greve', 'ratp', 'ligne', '13', 'ratp']);
    expect(n.hashtags).toEqual(['AlerteBombe', 'greve_RATP', 'Ligne13', 'RATP']);
  });

  it('folds elongations in the display form and repeated letters in the match key', () => {
    const n = normalizeText('retaaaard arrêt cooool 2000');
    expect(n.words).toEqual(['retard', 'arret', 'col', '2000']);
    expect(n.keys).toEqual(['retard', 'aret', 'col', '2000']);
    expect(normalizeText('arrrrêt').keys).toEqual(normalizeText('arrêt').keys);
  });

  it('extracts URLs and handles without making words of them', () => {
    const n = normalizeText('vu sur https://x.com/a/status/1?s=20. et www.ratp.fr, merci @ParisAeroport !');
    expect(n.urls).toEqual(['https://x.com/a/status/1?s=20', 'https://www.ratp.fr']);
    expect(n.handles).toEqual(['ParisAeroport']);
    expect(n.text).toBe('vu sur et merci');
  });

  it('keeps emoji as words', () => {
    expect(normalizeText('bombe 💣 au T2 🔥').words).toEqual(['bombe', '💣', 'au', 't2', '🔥']);
  });

  it('splits on apostrophes and hyphens like the query parser does', () => {
    expect(normalizeText("l'aéroport Saint-Lazare").text).toBe('l aeroport saint lazare');
  });

  it('reads ligatures as two letters', () => {
    expect(normalizeText('cœur Œuvre').text).toBe('coeur oeuvre');
  });
});

describe('guessLang', () => {
  it('tells French from English by function words', () => {
    expect(guessLang(normalizeText("Le métro est encore en retard, c'est pas possible").keys)).toBe('fr');
    expect(guessLang(normalizeText('The train is late again and nobody tells us why').keys)).toBe('en');
  });

  it('says und when there is nothing to go on', () => {
    expect(guessLang(normalizeText('💣💣 #RATP').keys)).toBe('und');
  });
});
