import { describe, expect, it } from 'vitest';
import { BandIndex } from '../../src/engine/cluster/band-index.js';
import { FilteredWordSet, WordFilter } from '../../src/engine/match/word-filter.js';
import { seededRandom } from '../support/seeded-random.js';

describe('BandIndex (open addressing, backward-shift deletion)', () => {
  it('answers like a Map through random sets, replacements, deletions and growth', () => {
    const next = seededRandom(7);
    // A small start and a narrow hash range: long probe runs, many collisions, several growths.
    const index = new BandIndex(16);
    const model = new Map<string, number>();
    const key = () => [Math.floor(next() * 10), Math.floor(next() * 600) - 300] as const;
    for (let step = 0; step < 40_000; step++) {
      const [band, hash] = key();
      const r = next();
      if (r < 0.5) {
        index.set(band, hash, step);
        model.set(`${band}|${hash}`, step);
      } else if (r < 0.8) {
        index.delete(band, hash);
        model.delete(`${band}|${hash}`);
      } else {
        expect(index.get(band, hash)).toBe(model.get(`${band}|${hash}`) ?? -1);
      }
      expect(index.size).toBe(model.size);
    }
    for (let band = 0; band < 10; band++) {
      for (let hash = -300; hash < 300; hash++) expect(index.get(band, hash)).toBe(model.get(`${band}|${hash}`) ?? -1);
    }
  });
});

describe('WordFilter', () => {
  it('never rules out a word it holds, and rules out most others', () => {
    const next = seededRandom(11);
    const word = () => Array.from({ length: 1 + Math.floor(next() * 12) }, () => String.fromCharCode(97 + Math.floor(next() * 26))).join('');
    const held = Array.from({ length: 2_000 }, word);
    const filter = new WordFilter();
    for (const w of held) filter.add(w);
    for (const w of held) expect(filter.mayHave(w)).toBe(true);
    const others = Array.from({ length: 5_000 }, word).filter((w) => !held.includes(w));
    const passed = others.filter((w) => filter.mayHave(w)).length;
    expect(passed / others.length).toBeLessThan(0.2);
  });

  it('FilteredWordSet.hasWord agrees with has, including words added by the constructor', () => {
    const set = new FilteredWordSet(['retard', 'grève', 'é']);
    set.add('panne');
    for (const w of ['retard', 'grève', 'é', 'panne']) expect(set.hasWord(w)).toBe(true);
    for (const w of ['retards', 'greve', 'e', '', 'pannes']) expect(set.hasWord(w)).toBe(false);
  });
});
