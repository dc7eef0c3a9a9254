import { describe, expect, it } from 'vitest';
import { isVigieError } from '../../src/core/errors.js';
import { CompiledPack } from '../../src/engine/match/compile-pack.js';
import { normalizeText } from '../../src/engine/normalize/normalize-text.js';
import { loadRulePack, parseRulePack, validateRulePack } from '../../src/engine/rule-pack.js';

const defaultPack = new URL('../../rules/default.yaml', import.meta.url);

function problem(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(isVigieError(err, 'rule_syntax')).toBe(true);
    return (err as Error).message;
  }
  throw new Error('no error');
}

/** How many of a pack's rules a French text with no account hits. */
function matcher(pack: ConstructorParameters<typeof CompiledPack>[0]): (text: string) => number {
  const compiled = new CompiledPack(pack);
  return (text) => compiled.match(normalizeText(text).keys, { account: null, authorHandle: '', authorId: '', lang: 'fr', source: 'x' }).length;
}

describe('rule packs', () => {
  it('loads the bundled pack, whose queries all compile', async () => {
    const pack = await loadRulePack(defaultPack);
    expect(pack.rules.length).toBeGreaterThan(30);
    const categories = new Set(pack.rules.map((r) => r.category));
    for (const c of ['security', 'safety', 'disruption', 'accessibility', 'aggression', 'reputation', 'politics', 'press', 'praise']) {
      expect(categories).toContain(c);
    }
    expect(pack.rules.filter((r) => r.category === 'praise').every((r) => r.weight === 0)).toBe(true);
    expect(() => new CompiledPack(pack)).not.toThrow();
  });

  it('reports a query error with the file, the line of the rule and a caret', () => {
    const yaml = ['rules:', '  - id: ok', '    category: security', '    weight: 50', '    query: bombe', '  - id: broken', '    category: security', '    weight: 50', '    query: (bombe OR bomb'].join('\n');
    const message = problem(() => parseRulePack(yaml, 'pack.yaml'));
    expect(message).toContain('pack.yaml:9 rule "broken" column 15');
    expect(message).toContain('^');
  });

  it('reports every broken query, not only the first', () => {
    const yaml = `rules:\n  - {id: a, category: x, weight: 1, query: "a OR"}\n  - {id: b, category: x, weight: 1, query: "(b"}\n`;
    const message = problem(() => parseRulePack(yaml, 'p.yaml'));
    expect(message).toContain('rule "a"');
    expect(message).toContain('rule "b"');
  });

  it('reports schema problems by field and line', () => {
    const yaml = 'rules:\n  - id: Bad Id\n    category: security\n    weight: 500\n    query: x\n';
    const message = problem(() => parseRulePack(yaml, 'p.yaml'));
    expect(message).toMatch(/p\.yaml:2 rules\[0\]\.id/);
    expect(message).toMatch(/p\.yaml:4 rules\[0\]\.weight/);
  });

  it('rejects duplicate rule ids and unknown keys', () => {
    expect(problem(() => validateRulePack({ rules: [{ id: 'a', category: 'x', weight: 1, query: 'a' }, { id: 'a', category: 'x', weight: 1, query: 'b' }] }))).toContain('duplicate rule id "a"');
    expect(problem(() => validateRulePack({ rules: [{ id: 'a', category: 'x', weight: 1, query: 'a', qurey: 'b' }] }))).toContain('qurey');
  });

  it('reports YAML that does not parse', () => {
    expect(problem(() => parseRulePack('rules: [', 'p.yaml'))).toContain('not valid YAML');
  });

  it('expands $lists, plain items being phrases', () => {
    const pack = validateRulePack({
      lists: { place: ['hôtel de ville', 'gare'], quiet: ['"exercice" NEAR/3 prévu'] },
      rules: [{ id: 'a', category: 'security', weight: 80, query: 'bombe NEAR/5 $place NOT $quiet' }],
    });
    const match = matcher(pack);
    expect(match('bombe devant l hotel de ville')).toBe(1);
    expect(match('bombe devant ville')).toBe(0);
    expect(match('bombe a la gare exercice prevu demain')).toBe(0);
  });

  it('lets a list name another list, in any order in the file', () => {
    const pack = validateRulePack({
      lists: { alarm: ['$device', 'alerte'], device: ['bombe', 'colis suspect'] },
      rules: [{ id: 'a', category: 'security', weight: 80, query: '$alarm NEAR/3 gare' }],
    });
    const match = matcher(pack);
    expect(match('colis suspect à la gare')).toBe(1);
    expect(match('alerte gare du nord')).toBe(1);
    // `$device` must not be read as the phrase "device".
    expect(match('device a la gare')).toBe(0);
  });

  it('refuses a list that reaches itself, naming the loop', () => {
    const message = problem(() =>
      validateRulePack({
        lists: { a: ['x', '$b'], b: ['$a OR y'] },
        rules: [{ id: 'r', category: 'security', weight: 10, query: '$a' }],
      }),
    );
    expect(message).toContain('refers to itself ($a → $b → $a)');
  });

  it('refuses a list item naming an unknown list', () => {
    const message = problem(() =>
      validateRulePack({ lists: { a: ['x', '$nope'] }, rules: [{ id: 'r', category: 'security', weight: 10, query: '$a' }] }),
    );
    expect(message).toContain('rule "$a"');
    expect(message).toContain('unknown list "$nope"');
  });
});
