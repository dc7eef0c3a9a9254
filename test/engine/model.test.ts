import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerEngineCommands } from '../../src/cli/engine-commands.js';
import { readLabelled, registerModelCommands } from '../../src/cli/model-commands.js';
import type { Level } from '../../src/core/levels.js';
import { createEngine } from '../../src/engine/create-engine.js';
import { applyTextModel } from '../../src/engine/model/apply-model.js';
import { allFeatureHashes, featureHash, featureNames } from '../../src/engine/model/features.js';
import { parseTextModel, TextModel } from '../../src/engine/model/text-model.js';
import { trainTextModel } from '../../src/engine/model/train-model.js';
import { normalizeText } from '../../src/engine/normalize/normalize-text.js';
import { riskConfigSchema } from '../../src/engine/risk-config.js';
import { mention } from './helpers.js';

const keys = (text: string) => normalizeText(text).keys;

/** A small world: alarms, complaints and chatter, each said a few ways. */
const EXAMPLES: Array<[string, Level]> = [
  ['fumée épaisse dans le tunnel, les gens toussent', 'critical'],
  ['de la fumée sort du wagon, on évacue', 'critical'],
  ['un homme allongé sur le quai ne bouge plus', 'critical'],
  ['tout le monde court vers la sortie en criant', 'critical'],
  ['une agression dans la rame, il saigne', 'high'],
  ['le contrôleur a frappé un ado, vidéo virale', 'high'],
  ['encore une heure d attente, aucune annonce', 'watch'],
  ['ascenseur hors service depuis des semaines', 'watch'],
  ['toujours aucune info sur le quai, on attend', 'watch'],
  ['merci pour la belle photo du coucher de soleil', 'none'],
  ['ce concert était dingue, merci la ville', 'none'],
  ['quels horaires pour le premier métro dimanche', 'none'],
  ['trop beau le marché de noël sur la place', 'none'],
];
const examples = EXAMPLES.map(([text, expected]) => ({ keys: keys(text), expected }));

describe('text model', () => {
  it('hashes exactly the features it names, each once, so training and scoring read the same words', () => {
    const k = keys('Fumée fumée dans le tunnel, évacuation en cours');
    const names = featureNames(k, 5);
    expect(names).toContain('w:fume'); // match keys fold accents and doubled letters
    expect(names).toContain('s:evacu');
    expect(names).toContain('b:le_tunel');
    const ascending = (hashes: number[]) => [...new Set(hashes)].sort((a, b) => a - b);
    expect(ascending(allFeatureHashes(k, 5, []))).toEqual(ascending(names.map(featureHash)));
  });

  it('trains deterministically and learns which words go with which level', () => {
    const a = trainTextModel(examples);
    expect(trainTextModel(examples)).toEqual(a);
    const model = new TextModel(parseTextModel(a));
    const alarm = model.predict(keys('de la fumée dans le tunnel'));
    const chatter = model.predict(keys('merci pour la photo'));
    expect(alarm.watch).toBeGreaterThan(0.8);
    expect(alarm.critical).toBeGreaterThan(chatter.critical);
    expect(chatter.watch).toBeLessThan(0.3);
    expect(model.strongest(keys('de la fumée dans le tunnel'), 'critical', 1)).toContain('fume');
    expect(model.strongest(keys('merci pour la photo'), 'watch', -1)).toContain('merci');
  });

  it('refuses a malformed model file, naming the field', () => {
    expect(() => parseTextModel({ version: 1, kind: 'vigie-text-model', stem: 5, bias: [0, 0], weights: {} }, 'm.json')).toThrow(/m\.json: invalid text model: bias/);
  });

  it('lifts one level at a time when sure, quiets everyday talk, and with vetoCritical 0 never a critical alert', () => {
    const config = riskConfigSchema.parse({ textModel: { lift: { watch: 0.9, high: 0.6, critical: 2 }, veto: 0.2, vetoHigh: 0.2, vetoCritical: 0 } });
    const words = () => ['fumee', 'tunnel'];
    const none = { score: 0, level: 'none' as const, reasons: [] };
    const lifted = applyTextModel(none, { watch: 0.95, high: 0.7, critical: 0.99 }, words, config);
    expect(lifted).toMatchObject({ score: 50, level: 'high' });
    expect(lifted.reasons).toEqual([{ code: 'text-model', text: 'text reads like high reports (fumee, tunnel) +50', points: 50 }]);
    expect(applyTextModel(none, { watch: 0.85, high: 0.99, critical: 0.99 }, words, config)).toBe(none);

    const flagged = { score: 60, level: 'high' as const, reasons: [{ code: 'rule', text: 'rule security/explosion +60', points: 60 }] };
    const quieted = applyTextModel(flagged, { watch: 0.1, high: 0.05, critical: 0.01 }, () => ['code', 'prod'], config);
    expect(quieted).toMatchObject({ score: 24, level: 'none' });
    expect(quieted.reasons.at(-1)).toEqual({ code: 'text-model', text: 'text reads like everyday talk (code, prod) -36', points: -36 });
    const critical = { score: 80, level: 'critical' as const, reasons: [] };
    expect(applyTextModel(critical, { watch: 0.01, high: 0.01, critical: 0.01 }, words, config)).toBe(critical);
  });

  it('quiets a critical flag only below the much stricter vetoCritical bar', () => {
    const config = riskConfigSchema.parse({ textModel: { veto: 0.3, vetoHigh: 0.3, vetoCritical: 0.02 } });
    const critical = { score: 85, level: 'critical' as const, reasons: [] };
    const game = applyTextModel(critical, { watch: 0.01, high: 0.01, critical: 0.0 }, () => ['jeu', 'squad'], config);
    expect(game).toMatchObject({ score: 24, level: 'none' });
    expect(game.reasons.at(-1)?.text).toBe('text reads like everyday talk (jeu, squad) -61');
    // Unsure is not enough for a critical one, though it would quiet a high one.
    expect(applyTextModel(critical, { watch: 0.1, high: 0.1, critical: 0.1 }, () => [], config)).toBe(critical);
    const high = { score: 60, level: 'high' as const, reasons: [] };
    expect(applyTextModel(high, { watch: 0.1, high: 0.1, critical: 0.1 }, () => [], config).level).toBe('none');
  });

  it('quiets a high flag below its own stricter bar (vetoHigh) and a watch flag below veto', () => {
    const config = riskConfigSchema.parse({ textModel: { veto: 0.4, vetoHigh: 0.1 } });
    const unsure = { watch: 0.2, high: 0.1, critical: 0.01 };
    const high = { score: 55, level: 'high' as const, reasons: [] };
    const watch = { score: 30, level: 'watch' as const, reasons: [] };
    expect(applyTextModel(high, unsure, () => [], config)).toBe(high);
    expect(applyTextModel(watch, unsure, () => ['merci'], config)).toMatchObject({ score: 24, level: 'none' });
    expect(applyTextModel(high, { watch: 0.05, high: 0.01, critical: 0.01 }, () => ['recette'], config)).toMatchObject({ score: 24, level: 'none' });
    // The default sits between the two others.
    const defaults = riskConfigSchema.parse({}).textModel;
    expect(defaults.vetoHigh).toBeLessThan(defaults.veto);
    expect(defaults.vetoHigh).toBeGreaterThan(defaults.vetoCritical);
  });

  it('reads beside the rules in the engine, and the engine without one scores with the rules alone', () => {
    const rules = { rules: [{ id: 'delay', category: 'disruption', weight: 30, query: 'retard' }] };
    const model = trainTextModel(examples);
    const text = 'un homme allongé ne bouge plus, tout le monde court';
    expect(createEngine({ rules }).analyze(mention(text)).level).toBe('none');
    const a = createEngine({ rules, model, risk: { textModel: { lift: { watch: 0.5, high: 0.5 } } } }).analyze(mention(text));
    expect(a.level).toBe('high');
    expect(a.reasons.map((r) => r.code)).toEqual(['text-model']);
  });

  it('does not lift posts by the watched accounts themselves unless told to, and still quiets them', () => {
    const rules = { rules: [{ id: 'delay', category: 'disruption', weight: 30, query: 'retard' }] };
    const model = trainTextModel(examples);
    const risk = { textModel: { lift: { watch: 0.5, high: 0.5 } } };
    const accounts = [{ handle: '@MetroLutece' }];
    const notice = (handle: string) => mention('un homme allongé ne bouge plus, tout le monde court', { author: { id: '1', handle } });
    expect(createEngine({ rules, model, risk, accounts }).analyze(notice('someone')).level).toBe('high');
    const own = createEngine({ rules, model, risk, accounts }).analyze(notice('MetroLutece'));
    expect(own.level).toBe('none');
    expect(own.reasons).toEqual([]);
    expect(createEngine({ rules, model, accounts, risk: { textModel: { ...risk.textModel, liftOwnPosts: true } } }).analyze(notice('@metrolutece')).level).toBe('high');
    // Quieting still applies: an own post the rules flag but that reads like chatter is lowered.
    const chatter = createEngine({ rules, model, accounts, risk: { textModel: { veto: 0.9 } } }).analyze(mention('retard merci pour la belle photo', { author: { id: '1', handle: 'MetroLutece' } }));
    expect(chatter.reasons.map((r) => r.code)).toEqual(['rule', 'text-model']);
    expect(chatter.level).toBe('none');
  });

  it('learns nothing from a line whose level is a convention of its set, and says which field is wrong', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigie-model-'));
    const file = join(dir, 'l.jsonl');
    const lines = [
      { text: 'fumée dans le tunnel', expected: 'critical' },
      { text: 'trafic interrompu, colis suspect', expected: 'none', expectedBy: 'convention' },
      { text: 'belle photo', expected: 'none', expectedBy: 'person' },
    ];
    await writeFile(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    expect((await readLabelled([file])).map((e) => e.expected)).toEqual(['critical', 'none']);
    await writeFile(file, '{"text": "x", "expected": "none", "expectedBy": "guess"}\n');
    await expect(readLabelled([file])).rejects.toThrow(/l\.jsonl:1: expectedBy/);
  });

  it('is trained by `vigie model train` and used by `vigie score --model`', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigie-model-'));
    const labelled = join(dir, 'labelled.jsonl');
    await writeFile(labelled, `${EXAMPLES.map(([text, expected]) => JSON.stringify({ text, expected })).join('\n')}\n`);
    let stdout = '';
    let stderr = '';
    const io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } };
    const program = new Command().exitOverride();
    registerModelCommands(program, io);
    registerEngineCommands(program, io);
    const out = join(dir, 'model.json');
    await program.parseAsync(['model', 'train', labelled, '--out', out], { from: 'user' });
    expect(stdout).toMatch(/trained on 13 mentions \(none 4 · watch 3 · high 2 · critical 4\)/);
    expect(parseTextModel(JSON.parse(await readFile(out, 'utf8'))).trainedOn).toEqual({ files: ['labelled.jsonl'], mentions: 13 });

    const bad = join(dir, 'bad.jsonl');
    await writeFile(bad, '{"text": "x", "expected": "urgent"}\n');
    await program.parseAsync(['model', 'train', bad, '--out', join(dir, 'x.json')], { from: 'user' });
    expect(stderr).toMatch(/bad\.jsonl:1: expected/);
    expect(process.exitCode).toBe(1);
    process.exitCode = undefined;

    const mentions = join(dir, 'm.jsonl');
    await writeFile(mentions, `${JSON.stringify({ source: 't', id: '1', text: 'de la fumée dans le tunnel, on évacue', createdAt: '2026-11-28T08:00:00Z', author: { id: 'a', handle: 'a' } })}\n`);
    const pack = join(dir, 'pack.yaml');
    await writeFile(pack, 'rules:\n  - { id: delay, category: disruption, weight: 30, query: retard }\n');
    const level = async (...extra: string[]) => {
      stdout = '';
      await program.parseAsync(['score', mentions, '--rules', pack, ...extra], { from: 'user' });
      return JSON.parse(stdout.trim()).level as Level;
    };
    expect(await level('--no-model')).toBe('none');
    expect(await level('--model', out)).not.toBe('none');
  });
});
