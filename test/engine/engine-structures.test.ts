import { describe, expect, it } from 'vitest';
import { insertAt, removeAt } from '../../src/engine/cluster/array-edit.js';
import { BandIndex } from '../../src/engine/cluster/band-index.js';
import { LiveClusters } from '../../src/engine/cluster/live-clusters.js';
import { HASHES, minhashInto } from '../../src/engine/cluster/minhash.js';
import { FilteredWordSet, PrefixFilter, WordFilter } from '../../src/engine/match/word-filter.js';
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
      if (r < 0.4) {
        index.set(band, hash, step);
        model.set(`${band}|${hash}`, step);
      } else if (r < 0.5) {
        // claim registers only a free band, and says who holds a taken one.
        expect(index.claim(band, hash, step)).toBe(model.get(`${band}|${hash}`) ?? -1);
        if (!model.has(`${band}|${hash}`)) model.set(`${band}|${hash}`, step);
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

describe('PrefixFilter', () => {
  it('never rules out a word that starts with one of its prefixes, short ones included', () => {
    const next = seededRandom(13);
    const letters = (n: number) => Array.from({ length: n }, () => String.fromCharCode(97 + Math.floor(next() * 26))).join('');
    const prefixes = [...Array.from({ length: 300 }, () => letters(3 + Math.floor(next() * 6))), 'ab', 'z'];
    const filter = new PrefixFilter();
    for (const p of prefixes) filter.add(p);
    for (const p of prefixes) {
      expect(filter.mayStart(p)).toBe(true);
      expect(filter.mayStart(p + letters(4))).toBe(true);
    }
    const others = Array.from({ length: 5_000 }, () => letters(1 + Math.floor(next() * 10))).filter((w) => !prefixes.some((p) => w.startsWith(p)));
    expect(others.filter((w) => filter.mayStart(w)).length / others.length).toBeLessThan(0.2);
  });
});

describe('insertAt / removeAt', () => {
  it('edit in place as splice does', () => {
    const next = seededRandom(17);
    const a: number[] = [];
    const b: number[] = [];
    for (let step = 0; step < 2_000; step++) {
      if (b.length === 0 || next() < 0.6) {
        const at = Math.floor(next() * (b.length + 1));
        insertAt(a, at, step);
        b.splice(at, 0, step);
      } else {
        const at = Math.floor(next() * b.length);
        const count = Math.min(b.length - at, 1 + Math.floor(next() * 3));
        removeAt(a, at, count);
        b.splice(at, count);
      }
      expect(a).toEqual(b);
    }
  });
});

describe('minhashInto', () => {
  it('gives the signature of the textbook definition: per hash, the least mixed shingle hash', () => {
    const fmix = (x: number) => {
      let h = x;
      h ^= h >>> 16;
      h = Math.imul(h, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
      return h >>> 0;
    };
    const fnv = (s: string) => {
      let h = 0x811c9dc5;
      for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
      return h;
    };
    const seeds = Array.from({ length: HASHES }, (_, i) => fmix(0x9e3779b9 ^ Math.imul(i + 1, 0x85ebca6b)));
    const next = seededRandom(19);
    const sig = new Uint32Array(HASHES);
    for (let n = 4; n < 120; n += 7) {
      const keys = Array.from({ length: n }, () => Math.floor(next() * 50).toString(36));
      expect(minhashInto(keys, sig)).toBe(true);
      const shingles = keys.slice(1).map((k, i) => fnv(`${keys[i]} ${k}`));
      expect([...sig]).toEqual(seeds.map((seed) => Math.min(...shingles.map((s) => fmix(s ^ seed)))));
    }
    expect(minhashInto(['a', 'b', 'c'], sig)).toBe(false);
  });
});

describe('LiveClusters band ownership', () => {
  it('a restored story that takes over a band leaves it out of the former owner’s snapshot and eviction', () => {
    const options = { windowMs: 3_600_000, velocityWindowMs: 600_000, liveSetCap: 11, similarity: 0.5, siteWindowMs: 3_600_000, raiseLevelAt: 20 };
    const sig = new Uint32Array(HASHES);
    minhashInto(['alerte', 'a', 'la', 'bombe', 'a', 'roissy', 'terminal', '2e'], sig);
    const story = (key: string, at: number) => ({ key, at, author: 'u', refs: [], links: [], signature: sig, placeKeys: [], siteKey: null });
    const first = new LiveClusters(options);
    first.assign(story('a', 1_000));
    const a = first.snapshot('a')!;
    const bands = (a.signature as { keys: (string | number)[] }).keys.filter((k) => typeof k === 'number');
    expect(bands).toHaveLength(10);

    const second = new LiveClusters(options);
    second.restore([a, { ...a, id: 'b', lastSeen: new Date(2_000) }]);
    const keysOf = (id: string) => (second.snapshot(id)!.signature as { keys: (string | number)[] }).keys;
    // `b` came back with `a`'s keys (its own id's too), newer evidence wins.
    expect(keysOf('a')).toEqual([]);
    expect(keysOf('b')).toEqual(['r:b', 'r:a', ...bands]);
    // Evicting `a` must not remove the bands that are now `b`'s: a near-duplicate still joins `b`.
    for (let i = 0; i < 10; i++) second.assign({ ...story(`x${i}`, 3_000 + i), signature: null });
    expect(second.snapshot('a')).toBeNull();
    expect(second.assign(story('c', 4_000)).live.id).toBe('b');
  });
});
