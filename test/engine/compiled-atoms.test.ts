import { describe, expect, it } from 'vitest';
import { CompiledPack } from '../../src/engine/match/compile-pack.js';
import type { DocFields } from '../../src/engine/match/doc.js';
import { normalizeText } from '../../src/engine/normalize/normalize-text.js';
import { validateRulePack } from '../../src/engine/rule-pack.js';

const fields: DocFields = { account: null, authorHandle: 'u', authorId: '1', lang: 'fr', source: 'twitter' };

function compile(rules: { id: string; query: string }[], lists: Record<string, string[]> = {}) {
  return new CompiledPack(validateRulePack({ lists, rules: rules.map((r) => ({ category: 'security', weight: 50, ...r })) }));
}

const ids = (pack: CompiledPack, text: string) => pack.match(normalizeText(text).keys, fields).map((r) => r.def.id);

describe('phrase atoms and shared lists', () => {
  it('finds a phrase by its rarest word, wherever that word is in it, and every time it occurs', () => {
    const pack = compile([
      { id: 'end', query: '"le la colis"' },
      { id: 'twice', query: '"le colis" NEAR/2 bombe' },
    ]);
    expect(ids(pack, 'le la colis')).toEqual(['end']);
    expect(ids(pack, 'la colis le')).toEqual([]);
    expect(ids(pack, 'colis le la colis')).toEqual(['end']);
    expect(ids(pack, 'le colis a b c d e f le colis bombe')).toEqual(['twice']);
    expect(ids(pack, 'le colis a b c d e f le bombe')).toEqual([]);
  });

  it('reads a phrase inside NEAR by where it starts and ends', () => {
    const pack = compile([{ id: 'near', query: '"sac abandonné" NEAR/2 quai' }]);
    expect(ids(pack, 'sac abandonné sur quai')).toEqual(['near']);
    expect(ids(pack, 'quai du sac abandonné')).toEqual(['near']);
    expect(ids(pack, 'sac abandonné sur le quai')).toEqual([]);
  });

  it('evaluates a list shared by several rules once per mention, with a fresh result for the next', () => {
    const lists = { fiction: ['film', 'la série', 'jeu NOT "jeu de piste"'] };
    const pack = compile(
      [
        { id: 'bomb', query: 'bombe NOT $fiction' },
        { id: 'fire', query: 'incendie NOT $fiction' },
        { id: 'fiction', query: '$fiction' },
      ],
      lists,
    );
    expect(ids(pack, 'bombe et incendie')).toEqual(['bomb', 'fire']);
    expect(ids(pack, 'bombe et incendie dans la série')).toEqual(['fiction']);
    expect(ids(pack, 'bombe et incendie au jeu de piste')).toEqual(['bomb', 'fire']);
    expect(ids(pack, 'bombe et incendie au jeu')).toEqual(['fiction']);
    expect(ids(pack, 'bombe et incendie')).toEqual(['bomb', 'fire']);
  });
});
