import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLabelled } from '../../src/cli/model-commands.js';
import { createEngine } from '../../src/engine/create-engine.js';
import { CONTEXT_FEATURES, mentionContext } from '../../src/engine/model/context.js';
import { allFeatureHashes, featureHash, featureLabel, featureNames } from '../../src/engine/model/features.js';
import { parseTextModel, TextModel } from '../../src/engine/model/text-model.js';
import { trainTextModel } from '../../src/engine/model/train-model.js';
import { normalizeText } from '../../src/engine/normalize/normalize-text.js';
import { mention } from './helpers.js';

const names = (text: string, replyTo?: string | null) => {
  const norm = normalizeText(text);
  return featureNames(norm.keys, 5, mentionContext({ text, replyTo }, norm)).filter((n) => n.startsWith('c:'));
};

describe('text model context features', () => {
  it('reads a named handle, a question and a reply, whatever the configuration', () => {
    expect(names('belle journée')).toEqual([]);
    expect(names('@MetroLutece toujours rien')).toEqual(['c:handle']);
    expect(names('@someone toujours rien')).toEqual(['c:handle']);
    // An e-mail address is not someone named.
    expect(names('écrivez à contact@ville.fr')).toEqual([]);
    expect(names('vous êtes sûrs ?')).toEqual(['c:question']);
    expect(names('vous êtes sûrs ？')).toEqual(['c:question']);
    // A link's query string is not a question; a question beside a link is.
    expect(names('la vidéo https://x.com/p/1?s=20')).toEqual([]);
    expect(names('vrai ? https://x.com/p/1?s=20')).toEqual(['c:question']);
    expect(names('ok', '123')).toEqual(['c:reply']);
    expect(names('ok', '')).toEqual([]);
    expect(names('@LuteceAeroport on embarque quand ?', '9')).toEqual(['c:handle', 'c:question', 'c:reply']);
  });

  it('hashes exactly the context features it names, as it does words', () => {
    const text = '@MetroLutece encore en panne ?';
    const norm = normalizeText(text);
    const bits = mentionContext({ text, replyTo: '1' }, norm);
    const ascending = (hashes: number[]) => [...new Set(hashes)].sort((a, b) => a - b);
    expect(ascending(allFeatureHashes(norm.keys, 5, [], bits))).toEqual(ascending(featureNames(norm.keys, 5, bits).map(featureHash)));
    expect(allFeatureHashes(norm.keys, 5, [], bits).length).toBe(allFeatureHashes(norm.keys, 5, []).length + CONTEXT_FEATURES.length);
    expect(featureLabel('c:question')).toBe('a question');
  });

  it('lets a model learn what context says when the words are the same', () => {
    // The same words are a complaint when said to someone as a question, chatter otherwise.
    const keys = normalizeText('sérieusement la navette encore').keys;
    const examples = [
      ...Array.from({ length: 6 }, () => ({ keys, context: 1 | 2, expected: 'watch' as const })),
      ...Array.from({ length: 6 }, () => ({ keys, context: 0, expected: 'none' as const })),
    ];
    const model = new TextModel(parseTextModel(trainTextModel(examples)));
    expect(model.predict(keys, 1 | 2).watch).toBeGreaterThan(0.7);
    expect(model.predict(keys, 0).watch).toBeLessThan(0.3);
    expect(model.strongest(keys, 'watch', 1, 1 | 2)).toContain('a question');
  });

  it('is trained from labelled lines, and scoring reads the same bits from the mention', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigie-context-'));
    const file = join(dir, 'l.jsonl');
    const lines = [
      ...Array.from({ length: 8 }, (_, i) => ({ text: `@MetroLutece la navette ${i} encore ?`, expected: 'watch' })),
      ...Array.from({ length: 8 }, (_, i) => ({ text: `la navette ${i} encore`, expected: 'none', replyTo: null })),
    ];
    await writeFile(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    const examples = await readLabelled([file]);
    expect(examples[0]!.context).toBe(1 | 2);
    expect(examples[8]!.context).toBe(0);

    const model = trainTextModel(examples);
    // No line replies to anything, so there is no `c:reply` weight to keep.
    expect(Object.keys(model.weights).filter((n) => n.startsWith('c:')).sort()).toEqual(['c:handle', 'c:question']);
    const rules = { rules: [{ id: 'other', category: 'safety', weight: 50, query: 'licorne' }] };
    const engine = createEngine({ rules, model, risk: { textModel: { lift: { watch: 0.6 } } } });
    const said = engine.analyze(mention('@MetroLutece la navette encore ?'));
    expect(said.level).toBe('watch');
    expect(said.reasons.at(-1)?.text).toMatch(/^text reads like watch reports \(.*(names someone|a question).*\) \+\d+$/);
    expect(engine.analyze(mention('la navette encore')).level).toBe('none');
  });
});
