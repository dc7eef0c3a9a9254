import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explainQuery } from '../../src/engine/explain.js';
import { type CompiledRule, CompiledPack } from '../../src/engine/match/compile-pack.js';
import { type DocFields, MatchDoc } from '../../src/engine/match/doc.js';
import { parseTextModel, textModelSchema } from '../../src/engine/model/text-model.js';
import { normalizeText } from '../../src/engine/normalize/normalize-text.js';
import { byWeight } from '../../src/engine/risk/score.js';
import { parseRulePack, validateRulePack } from '../../src/engine/rule-pack.js';
import { seededRandom } from '../support/seeded-random.js';
import { referenceNormalize, trickyText } from './normalize-reference.js';

// The engine's fast paths, each checked against the slow, obvious computation it stands for.

describe('normalizeText against the reference normaliser', () => {
  it('gives the same words, keys, text, URLs, handles and hashtags on generated tricky texts', () => {
    const rand = seededRandom(20261203);
    for (let t = 0; t < 20_000; t++) {
      const text = trickyText(rand, 1 + Math.floor(rand() * 14));
      expect(normalizeText(text), JSON.stringify(text)).toEqual(referenceNormalize(text));
    }
  });

  it('gives the same on every labelled mention', () => {
    const dir = new URL('./fixtures/', import.meta.url);
    for (const file of ['labelled.jsonl', 'labelled-2.jsonl', 'labelled-3.jsonl']) {
      for (const line of readFileSync(new URL(file, dir), 'utf8').split('\n').filter(Boolean)) {
        const { text } = JSON.parse(line) as { text: string };
        expect(normalizeText(text), text).toEqual(referenceNormalize(text));
      }
    }
  });

  it('skips NFKC only where it changes nothing', () => {
    for (const text of ['déjà vu à l’aéroport « ok » – 💣🔥', 'Ĳssel ŀa ŉ', 'ﬁn ² Ｍ 𝐀', 'e\u0301', '\u00a0x', '…', '\ud83d', 'Ä\u0304', '\u{1F100}']) {
      expect(normalizeText(text), text).toEqual(referenceNormalize(text));
    }
  });
});

describe('large ORs read through the mention’s hits', () => {
  const fields: DocFields = { account: null, authorHandle: 'u', authorId: '1', lang: 'fr', source: 'twitter' };
  const vocabulary = ['gare', 'quai', 'metro', 'bus', 'tram', 'rer', 'train', 'bombe', 'colis', 'le', 'la', 'de', 'sac', 'fumee', 'panne', 'retard', 'ligne', 'station', 'terminal', 'vol'];

  /** Whether a term (`word`, `prefix*` or `"a b"`) occurs in the keys, computed directly. */
  function occurs(term: string, keys: readonly string[]): boolean {
    const words = normalizeText(term).keys;
    if (term.endsWith('*')) return keys.some((k) => k.startsWith(words[0]!));
    return keys.some((_, i) => words.every((w, k) => keys[i + k] === w));
  }

  it('matches exactly when one of its terms occurs, short texts or long', () => {
    const rand = seededRandom(7);
    const pick = () => vocabulary[Math.floor(rand() * vocabulary.length)]!;
    for (let p = 0; p < 30; p++) {
      // Between a few terms (read one by one) and many (read through the hits).
      const size = 2 + Math.floor(rand() * 30);
      const term = () => {
        const r = rand();
        if (r < 0.15) return `${pick().slice(0, 3)}*`;
        if (r < 0.3) return `"${pick()} ${pick()}"`;
        if (r < 0.4) return `"${pick()} ${pick()} ${pick()}"`;
        return pick();
      };
      const terms = [...new Set(Array.from({ length: size }, term))];
      const pack = new CompiledPack(validateRulePack({ rules: [{ id: 'or', category: 'security', weight: 50, query: `(${terms.join(' OR ')}) NOT zzz` }] }));
      for (let t = 0; t < 60; t++) {
        const text = Array.from({ length: 1 + Math.floor(rand() * 40) }, () => (rand() < 0.5 ? pick() : `x${Math.floor(rand() * 50)}`)).join(' ');
        const keys = normalizeText(text).keys;
        const expected = terms.some((term) => occurs(term, keys));
        expect(pack.match(keys, fields).length === 1, `${terms.join(' OR ')} in "${text}"`).toBe(expected);
      }
    }
  });
});

describe('phrase atoms', () => {
  const fields: DocFields = { account: null, authorHandle: 'u', authorId: '1', lang: 'fr', source: 'twitter' };

  it('match exactly where their words stand in a row, repeated words included', () => {
    const rand = seededRandom(11);
    // Few words, so phrases share words and anchors, and texts hold them often.
    const vocabulary = ['le', 'quai', 'gare', 'bus', 'sac', 'metro'];
    const pick = () => vocabulary[Math.floor(rand() * vocabulary.length)]!;
    const phrases = [...new Set(Array.from({ length: 40 }, () => Array.from({ length: 2 + Math.floor(rand() * 3) }, pick).join(' ')))];
    const pack = new CompiledPack(validateRulePack({ rules: phrases.map((p, i) => ({ id: `p${i}`, category: 'security', weight: 50, query: `"${p}"` })) }));
    for (let t = 0; t < 2_000; t++) {
      const keys = normalizeText(Array.from({ length: 1 + Math.floor(rand() * 12) }, pick).join(' ')).keys;
      const expected = phrases.flatMap((p, i) => {
        const words = normalizeText(p).keys;
        return keys.some((_, at) => words.every((w, k) => keys[at + k] === w)) ? [`p${i}`] : [];
      });
      expect(pack.match(keys, fields).map((r) => r.def.id), keys.join(' ')).toEqual(expected);
    }
  });
});

describe('phrases beside the same words standing alone', () => {
  const fields: DocFields = { account: null, authorHandle: 'u', authorId: '1', lang: 'fr', source: 'twitter' };

  it('match where their words stand in a row, when a word stands alone in one rule and inside phrases of others', () => {
    const rand = seededRandom(23);
    // Frequent words beside rarer ones and prefixes, so phrases share words, anchors and prefixes.
    const vocabulary = ['le', 'the', 'est', 'de', 'sac', 'sacs', 'quai', 'bombe', 'gare'];
    const pick = () => vocabulary[Math.floor(rand() * vocabulary.length)]!;
    const word = () => (rand() < 0.2 ? `${pick().slice(0, 3)}*` : pick());
    const terms = [...new Set(Array.from({ length: 60 }, () => Array.from({ length: 1 + Math.floor(rand() * 3) }, word).join(' ')))];
    const termWords = (t: string) => t.split(' ').map((w) => ({ key: normalizeText(w).keys[0]!, prefix: w.endsWith('*') }));
    const pack = new CompiledPack(validateRulePack({ rules: terms.map((t, i) => ({ id: `t${i}`, category: 'security', weight: 50, query: t.includes(' ') ? `"${t}"` : t })) }));
    for (let n = 0; n < 2_000; n++) {
      const keys = normalizeText(Array.from({ length: 1 + Math.floor(rand() * 12) }, pick).join(' ')).keys;
      const expected = terms.flatMap((t, i) => {
        const words = termWords(t);
        const found = keys.some((_, at) => at + words.length <= keys.length && words.every((w, k) => (w.prefix ? keys[at + k]!.startsWith(w.key) : keys[at + k] === w.key)));
        return found ? [`t${i}`] : [];
      });
      expect(pack.match(keys, fields).map((r) => r.def.id), keys.join(' ')).toEqual(expected);
    }
  });

  it('are shown by explain with the words they matched', () => {
    const e = explainQuery('"at the pub" OR "sac de" NEAR/2 quai', 'Sac de sport sur le quai, at the pub');
    expect(e.matched).toBe(true);
    expect(e.lines.flatMap((l) => l.found)).toEqual(expect.arrayContaining(['at the pub', 'sac de']));
  });
});

describe('text model weights checked by hand', () => {
  const model = (weights: unknown) => ({ version: 1, kind: 'vigie-text-model', stem: 5, bias: [0, 1, 2], weights });

  it('gives what zod gives for plainly valid weights', () => {
    const data = model({ 'w:bombe': [1, -2.5, 0], 's:evacu': [0.25, 0, -0], '123': [3, 2, 1], 'b:pas_de': [1e-9, 1e9, 5] });
    const parsed = parseTextModel(data);
    expect(parsed).toEqual(textModelSchema.parse(data));
    expect(Object.keys(parsed)).toEqual(Object.keys(textModelSchema.parse(data)));
    expect(Object.keys(parsed.weights)).toEqual(Object.keys(textModelSchema.parse(data).weights));
  });

  it('leaves everything else to zod: same data or same error', () => {
    const proto = JSON.parse('{"__proto__": [1, 2, 3], "w:ok": [1, 2, 3]}') as unknown;
    const cases: unknown[] = [
      model({ ab: [1, 2, 3] }),
      model({ 'w:x': [1, 2] }),
      model({ 'w:x': [1, 2, 3, 4] }),
      model({ 'w:x': [1, '2', 3] }),
      model({ 'w:x': [1, Number.NaN, 3] }),
      model({ 'w:x': [1, Number.POSITIVE_INFINITY, 3] }),
      model({ 'w:x': { 0: 1, 1: 2, 2: 3, length: 3 } }),
      model([[1, 2, 3]]),
      model(null),
      model(proto),
      model(Object.assign(Object.create(null), { 'w:x': [1, 2, 3] })),
      { ...model({ 'w:x': [1, 2, 3] }), extra: 1 },
      { ...model({ 'w:x': [1, 2, 3] }), bias: [0, 0] },
      null,
      'model',
    ];
    for (const input of cases) {
      const zod = textModelSchema.safeParse(input);
      if (zod.success) expect(parseTextModel(input)).toEqual(zod.data);
      else expect(() => parseTextModel(input, 'm.json')).toThrow(/m\.json: invalid text model/);
    }
  });
});

describe('rules ordered by weight', () => {
  it('orders heaviest first and keeps pack order among equals, like a stable sort', () => {
    const rand = seededRandom(7);
    for (let t = 0; t < 2_000; t++) {
      const rules = Array.from({ length: Math.floor(rand() * 12) }, (_, i) => ({ name: `r${i}`, def: { weight: Math.floor(rand() * 5) * 10 - 10 } }) as unknown as CompiledRule);
      const expected = rules
        .map((rule, i) => ({ rule, i }))
        .sort((a, b) => b.rule.def.weight - a.rule.def.weight || a.i - b.i)
        .map((e) => e.rule.name);
      expect(byWeight(rules).map((r) => r.name)).toEqual(expected);
      expect(rules.map((r) => r.name), 'the input is left as it was').toEqual(rules.map((_, i) => `r${i}`));
    }
  });
});

describe('rules evaluated only when one of their trigger words is in the mention', () => {
  const fields: DocFields = { account: null, authorHandle: 'u', authorId: '1', lang: 'fr', source: 'twitter' };

  /** Every rule of the pack evaluated on the mention, none skipped: what the triggers must not change. */
  function everyRule(pack: CompiledPack, keys: readonly string[]): string[] {
    const doc = new MatchDoc(pack.atoms.count, 10_000);
    doc.reset(fields);
    pack.atoms.scanAll(keys, doc);
    return pack.rules.filter((r) => r.test(doc)).map((r) => r.def.id);
  }

  it('match what evaluating every rule of the default pack matches, on every labelled mention', () => {
    const pack = new CompiledPack(parseRulePack(readFileSync(new URL('../../rules/default.yaml', import.meta.url), 'utf8'), 'default.yaml'));
    const dir = new URL('./fixtures/', import.meta.url);
    let matched = 0;
    for (const file of ['labelled.jsonl', 'labelled-2.jsonl', 'labelled-3.jsonl', 'labelled-19.jsonl', 'labelled-46.jsonl']) {
      for (const line of readFileSync(new URL(file, dir), 'utf8').split('\n').filter(Boolean)) {
        const keys = normalizeText((JSON.parse(line) as { text: string }).text).keys;
        const expected = everyRule(pack, keys);
        matched += expected.length;
        expect(pack.match(keys, fields).map((r) => r.def.id), keys.join(' ')).toEqual(expected);
      }
    }
    expect(matched, 'the mentions match rules: the comparison is not between two empty lists').toBeGreaterThan(500);
  });

  it('match what evaluating every rule matches, for generated ANDs, ORs, NOTs, NEARs and BEFOREs', () => {
    const rand = seededRandom(31);
    const vocabulary = ['le', 'la', 'ligne', 'train', 'bombe', 'sac', 'quai', 'panne', 'retard', 'fumee'];
    const pick = () => vocabulary[Math.floor(rand() * vocabulary.length)]!;
    const term = () => (rand() < 0.15 ? `${pick().slice(0, 3)}*` : rand() < 0.15 ? `"${pick()} ${pick()}"` : pick());
    const query = (depth: number): string => {
      const r = rand();
      if (depth === 0 || r < 0.3) return term();
      if (r < 0.5) return `(${query(depth - 1)} OR ${query(depth - 1)})`;
      if (r < 0.7) return `(${query(depth - 1)} ${query(depth - 1)})`;
      if (r < 0.85) return `(${query(depth - 1)} NOT ${query(depth - 1)})`;
      return `((${term()} OR ${term()}) ${rand() < 0.5 ? 'NEAR' : 'BEFORE'}/${1 + Math.floor(rand() * 3)} (${term()} OR ${term()}))`;
    };
    const pack = new CompiledPack(validateRulePack({ rules: Array.from({ length: 200 }, (_, i) => ({ id: `q${i}`, category: 'security', weight: 50, query: query(3) })) }));
    let matched = 0;
    for (let n = 0; n < 3_000; n++) {
      const keys = normalizeText(Array.from({ length: 1 + Math.floor(rand() * 10) }, pick).join(' ')).keys;
      const expected = everyRule(pack, keys);
      matched += expected.length;
      expect(pack.match(keys, fields).map((r) => r.def.id), keys.join(' ')).toEqual(expected);
    }
    expect(matched).toBeGreaterThan(3_000);
  });
});
