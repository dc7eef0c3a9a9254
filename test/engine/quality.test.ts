import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { atLeast, type Level } from '../../src/core/levels.js';
import { createEngine } from '../../src/engine/create-engine.js';
import { loadRulePack } from '../../src/engine/rule-pack.js';
import { mentionSchema } from '../../src/mentions/mention.js';

/**
 * The default pack against a hand-labelled set (French and English; metro, airport, city; with the
 * slang traps). Labels say what a person on the team would want, not what the rules do:
 * critical = life or security at stake now; high = a serious incident, press, harassment, assault;
 * watch = service failures and reputation; none = praise, questions, slang, fiction, drills.
 */
const lines = readFileSync(new URL('./fixtures/labelled.jsonl', import.meta.url), 'utf8').split('\n').filter((l) => l.trim() !== '');
const labelled = lines.map((line) => {
  const raw = JSON.parse(line) as { expected: Level };
  return { mention: mentionSchema.parse(raw), expected: raw.expected };
});

describe('default pack quality on the labelled set', async () => {
  const engine = createEngine({ rules: await loadRulePack(new URL('../../rules/default.yaml', import.meta.url)) });
  const results = labelled.map(({ mention, expected }) => ({ expected, got: engine.analyze(mention).level, text: mention.text }));
  const recall = (expected: (l: Level) => boolean, reached: (l: Level) => boolean) => {
    const relevant = results.filter((r) => expected(r.expected));
    return { rate: relevant.filter((r) => reached(r.got)).length / relevant.length, missed: relevant.filter((r) => !reached(r.got)).map((r) => `${r.expected}→${r.got}: ${r.text}`) };
  };

  it('is a real set: at least 200 mentions, both languages, every level, the traps', () => {
    expect(labelled.length).toBeGreaterThanOrEqual(200);
    const count = (l: Level) => labelled.filter((x) => x.expected === l).length;
    expect(Math.min(count('critical'), count('high'), count('watch'), count('none'))).toBeGreaterThanOrEqual(30);
    const texts = labelled.map((x) => x.mention.text.toLowerCase());
    for (const trap of ['était une bombe', 'explosé de rire', 'mort de rire', 'exercice']) expect(texts.some((t) => t.includes(trap))).toBe(true);
  });

  it('pages critical mentions: recall of critical at high or critical >= 0.95', () => {
    const { rate, missed } = recall((l) => l === 'critical', (l) => atLeast(l, 'high'));
    expect(rate, missed.join('\n')).toBeGreaterThanOrEqual(0.95);
  });

  it('shows what needs a human: recall of watch-or-above at watch or above >= 0.9', () => {
    const { rate, missed } = recall((l) => l !== 'none', (l) => atLeast(l, 'watch'));
    expect(rate, missed.join('\n')).toBeGreaterThanOrEqual(0.9);
  });

  it('stays quiet on the rest: at most 5% of expected-none at watch or above', () => {
    const quiet = results.filter((r) => r.expected === 'none');
    const noisy = quiet.filter((r) => atLeast(r.got, 'watch'));
    expect(noisy.length / quiet.length, noisy.map((r) => `${r.got}: ${r.text}`).join('\n')).toBeLessThanOrEqual(0.05);
  });

  it('keeps the named slang traps at none', () => {
    const traps = ['Ce concert était une bombe', "J'ai explosé de rire", 'Mort de rire', 'Exercice de sécurité prévu', 'Bullet Train'];
    for (const trap of traps) {
      const hit = results.find((r) => r.text.startsWith(trap));
      expect(hit?.got, trap).toBe('none');
    }
  });
});
