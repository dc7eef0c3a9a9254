import { describe, expect, it } from 'vitest';
import { CompiledPack } from '../../src/engine/match/compile-pack.js';
import type { DocFields } from '../../src/engine/match/doc.js';
import { normalizeText } from '../../src/engine/normalize/normalize-text.js';
import { validateRulePack } from '../../src/engine/rule-pack.js';

const fields = (over: Partial<DocFields> = {}): DocFields => ({ account: null, authorHandle: 'u', authorId: '1', lang: 'fr', source: 'twitter', ...over });

function compile(rules: { id: string; query: string; accounts?: string[]; langs?: string[] }[]) {
  return new CompiledPack(validateRulePack({ rules: rules.map((r) => ({ category: 'security', weight: 50, ...r })) }));
}

const ids = (pack: CompiledPack, text: string, f = fields()) => pack.match(normalizeText(text).keys, f).map((r) => r.def.id);

describe('compiled pack', () => {
  it('finds every rule that holds, in pack order, from one scan', () => {
    const pack = compile([
      { id: 'strike', query: 'grève*' },
      { id: 'delay', query: 'retard' },
      { id: 'phrase', query: '"trafic interrompu"' },
      { id: 'near', query: 'colis NEAR/2 suspect' },
    ]);
    expect(ids(pack, 'Grèves, retard et trafic interrompu, colis suspect')).toEqual(['strike', 'delay', 'phrase', 'near']);
    expect(ids(pack, 'interrompu le trafic')).toEqual([]);
  });

  it('evaluates the rare rules that need no word (field-only queries) for every mention', () => {
    const pack = compile([{ id: 'vip', query: 'author:maire' }]);
    expect(ids(pack, 'bonjour', fields({ authorHandle: 'maire' }))).toEqual(['vip']);
    expect(ids(pack, 'bonjour')).toEqual([]);
  });

  it('applies account and language restrictions, without excluding mentions that lack them', () => {
    const pack = compile([{ id: 'orly', query: 'panne', accounts: ['@ParisAeroport'], langs: ['fr'] }]);
    expect(ids(pack, 'panne', fields({ account: 'parisaeroport' }))).toEqual(['orly']);
    expect(ids(pack, 'panne', fields({ account: 'metroville' }))).toEqual([]);
    expect(ids(pack, 'panne', fields({ account: null }))).toEqual(['orly']);
    expect(ids(pack, 'panne', fields({ lang: 'en' }))).toEqual([]);
    expect(ids(pack, 'panne', fields({ lang: 'und' }))).toEqual(['orly']);
  });

  it('gives the same answers with a thousand rules as rule by rule', () => {
    const words = Array.from({ length: 300 }, (_, i) => `mot${i}`);
    const rules = Array.from({ length: 1_000 }, (_, i) => ({ id: `r${i}`, query: `${words[i % 300]} NEAR/2 ${words[(i * 7) % 300]} NOT ${words[(i * 13) % 300]}` }));
    const all = compile(rules);
    const texts = Array.from({ length: 50 }, (_, t) => Array.from({ length: 12 }, (_, k) => words[(t * 31 + k * 17) % 300]).join(' '));
    for (const text of texts) {
      const expected = rules.filter((r) => compile([r]).match(normalizeText(text).keys, fields()).length === 1).map((r) => r.id);
      expect(ids(all, text)).toEqual(expected);
    }
  });

  it('wakes a phrase rule on its rarest word, and still needs every word', () => {
    const pack = compile([{ id: 'mayor', query: '"le maire"' }]);
    expect(ids(pack, 'le train est en retard')).toEqual([]);
    expect(ids(pack, 'le maire parle')).toEqual(['mayor']);
    expect(ids(pack, 'maire le')).toEqual([]);
  });
});
