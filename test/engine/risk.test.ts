import { describe, expect, it } from 'vitest';
import { CompiledPack } from '../../src/engine/match/compile-pack.js';
import { compact, scoreMention, type ScoreInput } from '../../src/engine/risk/score.js';
import { riskConfigSchema } from '../../src/engine/risk-config.js';
import { validateRulePack } from '../../src/engine/rule-pack.js';

const pack = new CompiledPack(
  validateRulePack({
    rules: [
      { id: 'bomb-alert', category: 'security', weight: 60, query: 'bombe' },
      { id: 'evacuation', category: 'security', weight: 50, query: 'evacue' },
      { id: 'delay', category: 'disruption', weight: 30, query: 'retard' },
      { id: 'strike', category: 'disruption', weight: 30, query: 'greve' },
      { id: 'scandal', category: 'reputation', weight: 30, query: 'honte' },
      { id: 'thanks', category: 'praise', weight: 0, query: 'merci' },
      { id: 'drill', category: 'drill', weight: -40, query: 'exercice' },
    ],
  }),
);
const rulesFor = (...ids: string[]) => pack.rules.filter((r) => ids.includes(r.def.id));
const config = riskConfigSchema.parse({});
const base: ScoreInput = { rules: [], negativeWords: [], followers: undefined, flags: [], onCrisis: false, account: null, recentCount: 1 };
const score = (over: Partial<ScoreInput>, cfg = config) => scoreMention({ ...base, ...over }, cfg);

describe('risk score', () => {
  it('has defaults for everything', () => {
    expect(config.levels).toEqual({ watch: 25, high: 50, critical: 75 });
    expect(config.cluster.liveSetCap).toBe(100_000);
    expect(config.authors.press).toEqual([]);
  });

  it('rejects thresholds that do not rise', () => {
    expect(riskConfigSchema.safeParse({ levels: { watch: 60, high: 50 } }).success).toBe(false);
  });

  it('explains a rule hit in words and maps the score to a level', () => {
    const s = score({ rules: rulesFor('bomb-alert') });
    expect(s).toEqual({ score: 60, level: 'high', reasons: [{ code: 'rule', text: 'rule security/bomb-alert +60', points: 60 }] });
  });

  it('counts the heaviest rule fully, another category a share, the same category nothing', () => {
    const s = score({ rules: rulesFor('delay', 'strike', 'scandal') });
    expect(s.reasons.map((r) => r.text)).toEqual(['rule disruption/delay +30', 'rule disruption/strike +0', 'rule reputation/scandal +8']);
    expect(s.score).toBe(38);
    expect(s.level).toBe('watch');
  });

  it('caps what secondary rules add', () => {
    const cfg = riskConfigSchema.parse({ rules: { secondaryShare: 1, secondaryCap: 10 } });
    expect(score({ rules: rulesFor('bomb-alert', 'delay', 'scandal') }, cfg).score).toBe(70);
  });

  it('lets a negative rule damp the score, never below zero', () => {
    expect(score({ rules: rulesFor('bomb-alert', 'drill') }).score).toBe(20);
    expect(score({ rules: rulesFor('drill') }).score).toBe(0);
  });

  it('damps only the categories a rule names, at most what they gave, and then stops amplifying them', () => {
    const damped = new CompiledPack(
      validateRulePack({
        rules: [
          { id: 'bomb-alert', category: 'security', weight: 60, query: 'bombe' },
          { id: 'no-info', category: 'disruption', weight: 30, query: 'info' },
          { id: 'all-clear', category: 'security', weight: -80, damps: ['security'], query: 'fausse alerte' },
        ],
      }),
    ).rules;
    const [bomb, noInfo, allClear] = [damped[0]!, damped[1]!, damped[2]!];
    // Security gives 60, the complaint a secondary share of 8: the all-clear takes the 60 only.
    const s = score({ rules: [bomb, noInfo, allClear], followers: 300_000, recentCount: 40 });
    expect(s.reasons.filter((r) => r.code === 'rule').map((r) => r.text)).toEqual([
      'rule security/bomb-alert +60',
      'rule disruption/no-info +8',
      'rule security/all-clear -60',
    ]);
    // Still a complaint, so reach and velocity apply to it.
    expect(s.reasons.map((r) => r.code)).toEqual(['rule', 'rule', 'rule', 'reach', 'velocity']);
    // A false alarm alone: nothing left to amplify.
    const alone = score({ rules: [bomb, allClear], followers: 300_000, recentCount: 40 });
    expect(alone).toMatchObject({ score: 0, level: 'none' });
    expect(alone.reasons.map((r) => r.code)).toEqual(['rule', 'rule']);
    expect(() => validateRulePack({ rules: [{ id: 'x', category: 'security', weight: 10, damps: ['security'], query: 'a' }] })).toThrow(/damps: only a negative weight damps/);
  });

  it('adds author reach only to a risky subject', () => {
    const risky = score({ rules: rulesFor('bomb-alert'), followers: 56_000 });
    expect(risky.reasons).toContainEqual({ code: 'reach', text: 'author reach 56k +6', points: 6 });
    expect(score({ rules: rulesFor('thanks'), followers: 5_000_000 }).score).toBe(0);
  });

  it('adds velocity as "N similar in M min"', () => {
    const s = score({ rules: rulesFor('delay'), recentCount: 14 });
    expect(s.reasons).toContainEqual({ code: 'velocity', text: '14 similar in 10 min +15', points: 15 });
    expect(score({ rules: [], recentCount: 100 }).score).toBe(0);
  });

  it('adds author flags, negative tone, an open crisis and the account', () => {
    const cfg = riskConfigSchema.parse({ accounts: { '@MetroVille': 5 } });
    const s = score({ flags: ['press'], negativeWords: ['honte', 'nul', 'pire', 'minable'], onCrisis: true, account: 'metroville' }, cfg);
    expect(s.reasons.map((r) => r.text)).toEqual([
      'author flagged press +15',
      'negative tone (honte, nul, pire) +9',
      'open crisis on this subject +15',
      'account metroville +5',
    ]);
    expect(s.score).toBe(44);
  });

  it('clamps at 100 and is deterministic', () => {
    const input = { rules: rulesFor('bomb-alert', 'evacuation', 'delay', 'scandal'), followers: 2_000_000, recentCount: 60, flags: ['press', 'elected'], onCrisis: true };
    expect(score(input).score).toBe(100);
    expect(score(input)).toEqual(score(input));
  });

  it('writes reach compactly', () => {
    expect([compact(950), compact(56_300), compact(1_250_000), compact(2_000_000)]).toEqual(['950', '56k', '1.3M', '2M']);
  });
});
