import { describe, expect, it } from 'vitest';
import { isVigieError } from '../../src/core/errors.js';
import { explainQuery } from '../../src/engine/explain.js';
import { parseQuery } from '../../src/engine/query/parser.js';
import { RuleSyntaxError } from '../../src/engine/query/syntax-error.js';

const matches = (query: string, text: string) => explainQuery(query, text).matched;

describe('query language', () => {
  it('treats a space as AND', () => {
    expect(matches('colis suspect', 'un colis très suspect')).toBe(true);
    expect(matches('colis suspect', 'un colis')).toBe(false);
  });

  it('supports OR, parentheses, and AND binding tighter than OR', () => {
    expect(matches('(bagage OR colis) suspect', 'bagage suspect')).toBe(true);
    expect(matches('bagage OR colis suspect', 'bagage seul')).toBe(true);
    expect(matches('bagage OR colis suspect', 'colis seul')).toBe(false);
  });

  it('ends an expression with exclusions that apply to all of it', () => {
    expect(matches('bombe OR bomb NOT concert', 'the bomb at the concert')).toBe(false);
    expect(matches('bombe OR bomb NOT concert', 'une bombe au terminal')).toBe(true);
    expect(matches('a AND NOT b OR c', 'c b')).toBe(true);
  });

  it('matches quoted phrases word for word', () => {
    expect(matches('"alerte à la bombe"', 'ALERTE A LA BOMBE au T2')).toBe(true);
    expect(matches('"alerte à la bombe"', 'la bombe, alerte')).toBe(false);
  });

  it('ignores accents and case, and folds elongations on both sides', () => {
    expect(matches('abandonné', 'colis ABANDONNE')).toBe(true);
    expect(matches('retard', 'retaaaaard encore')).toBe(true);
  });

  it('supports suffix wildcards', () => {
    expect(matches('grève*', 'les grévistes et les grèves')).toBe(true);
    expect(matches('grève*', 'le greffier')).toBe(false);
    expect(matches('"colis suspect*"', 'colis suspects')).toBe(true);
  });

  it('supports NEAR/n in either order, counting words', () => {
    const q = '(bagage OR colis) NEAR/3 (abandonné OR suspect)';
    expect(matches(q, 'un colis vraiment très suspect')).toBe(true);
    expect(matches(q, 'suspect ce colis')).toBe(true);
    expect(matches(q, 'un colis posé là depuis le matin, suspect')).toBe(false);
    expect(matches('"alerte bombe" NEAR/2 terminal', 'alerte bombe au terminal')).toBe(true);
  });

  it('supports BEFORE/n: the left side first, within n words', () => {
    const denial = '("pas de" OR "pas eu de" OR aucun OR aucune) BEFORE/2 (bousculade OR tirs OR "coup de feu")';
    expect(matches(denial, "il n'y a PAS eu de bousculade grave")).toBe(true);
    expect(matches(denial, 'aucun coup de feu aux Berges')).toBe(true);
    expect(matches(denial, 'pas de vraie bousculade')).toBe(true);
    // The same words the other way round are a report with a reassurance, not a denial.
    expect(matches(denial, 'bousculade à la sortie, pas de blessés')).toBe(false);
    expect(matches(denial, 'pas de métro, grosse bousculade')).toBe(false);
    // Overlapping spans are not "before" either: the left side must end before the right starts.
    expect(matches('"coup de" BEFORE/1 "de feu"', 'coup de feu')).toBe(false);
    expect(matches('colis BEFORE/1 suspect', 'suspect ce colis')).toBe(false);
    expect(matches('colis NEAR/1 suspect', 'suspect colis')).toBe(true);
    expect(matches('(colis BEFORE/2 suspect) BEFORE/3 terminal', 'colis très suspect au terminal')).toBe(true);
    expect(matches('(colis BEFORE/2 suspect) BEFORE/3 terminal', 'terminal : colis très suspect')).toBe(false);
    expect(matches('BEFOREHAND', 'we booked beforehand')).toBe(true);
  });

  it('reads hashtags in a query as words', () => {
    expect(matches('#AlerteBombe', 'alerte bombe à Orly')).toBe(true);
  });

  it('filters on account, author, lang and source', () => {
    const fields = { account: 'metroville', authorHandle: 'jdupont', authorId: '42', lang: 'fr', source: 'twitter' };
    const m = (q: string) => explainQuery(q, 'panne', { fields }).matched;
    expect(m('panne account:@MetroVille')).toBe(true);
    expect(m('panne account:@ParisAeroport')).toBe(false);
    expect(m('panne author:jdupont')).toBe(true);
    expect(m('panne author:42')).toBe(true);
    expect(m('panne lang:en')).toBe(false);
    expect(m('panne source:twit*')).toBe(true);
  });

  it('shows each part of the query with what it matched', () => {
    const e = explainQuery('colis NEAR/3 suspect NOT exercice', 'Colis SUSPECT au quai');
    expect(e.matched).toBe(true);
    expect(e.lines.find((l) => l.part === 'colis')?.found).toEqual(['colis']);
    expect(e.lines.find((l) => l.part === 'NOT exercice')?.matched).toBe(true);
  });
});

describe('query errors', () => {
  const error = (query: string): RuleSyntaxError => {
    try {
      parseQuery(query, { origin: { ruleId: 'bomb-alert', file: 'rules.yaml', line: 12 } });
    } catch (err) {
      if (err instanceof RuleSyntaxError) return err;
      throw err;
    }
    throw new Error(`"${query}" parsed`);
  };

  it('names the rule, the column and shows a caret', () => {
    const e = error('(bombe OR bomb');
    expect(isVigieError(e, 'rule_syntax')).toBe(true);
    expect(e.message).toContain('rules.yaml:12 rule "bomb-alert" column 15');
    expect(e.message.split('\n')).toEqual([expect.any(String), '  (bombe OR bomb', `  ${' '.repeat(14)}^`]);
  });

  it.each([
    ['bombe OR', 'ends where a word was expected'],
    ['"alerte bombe', 'never closed'],
    ['bombe NEAR 3 gare', 'NEAR/3'],
    ['bombe NEAR/3 (gare AND quai)', 'NEAR/3 needs words'],
    ['pas BEFORE bombe', 'BEFORE/3'],
    ['pas BEFORE/0 bombe', 'BEFORE distance must be between 1 and'],
    ['pas BEFORE/2 (bombe AND gare)', 'BEFORE/2 needs words'],
    ['gr*ve', 'only allowed at the end'],
    ['foo:bar', 'unknown field'],
    ['NOT bombe', 'not only NOT'],
    ['bombe NOT concert OR gare', 'exclusions'],
    ['bombe)', 'closes nothing'],
    ['$nope', 'unknown list'],
    ['', 'empty query'],
  ])('rejects %j', (query, reason) => {
    expect(error(query).message).toContain(reason);
  });

  it('gives the line of a multi-line query', () => {
    expect(error('bombe OR\n(gare').message).toContain('query line 2, column 6');
  });
});
