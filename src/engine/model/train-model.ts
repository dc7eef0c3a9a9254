import type { Level } from '../../core/levels.js';
import { LEVELS } from '../../core/levels.js';
import { featureNames } from './features.js';
import { HEADS, type TextModelData } from './text-model.js';

export interface TrainingExample {
  /** Match keys of the text (`normalizeText(text).keys`). */
  keys: readonly string[];
  expected: Level;
}

export interface TrainOptions {
  stem?: number;
  epochs?: number;
  learningRate?: number;
  l2?: number;
  /** Weights smaller than this on every head are left out of the file. */
  prune?: number;
  files?: string[];
}

const DEFAULTS = { stem: 5, epochs: 30, learningRate: 0.2, l2: 1e-4, prune: 0.02 } as const;

/**
 * Logistic regression by stochastic gradient descent, one head per level (watch or above, high or
 * above, critical). Deterministic: a fixed shuffle seed, so the same examples give the same file.
 */
export function trainTextModel(examples: readonly TrainingExample[], options: TrainOptions = {}): TextModelData {
  const stem = options.stem ?? DEFAULTS.stem;
  const epochs = options.epochs ?? DEFAULTS.epochs;
  const lr = options.learningRate ?? DEFAULTS.learningRate;
  const l2 = options.l2 ?? DEFAULTS.l2;
  const prune = options.prune ?? DEFAULTS.prune;
  const data = examples.map((e) => ({ features: featureNames(e.keys, stem), rank: LEVELS.indexOf(e.expected) }));
  const weights = new Map<string, [number, number, number]>();
  const bias: [number, number, number] = [0, 0, 0];

  HEADS.forEach((_, head) => {
    const threshold = head + 1; // watch = rank 1 or above, high = 2, critical = 3
    const w = new Map<string, number>();
    let b = 0;
    const order = data.map((_, i) => i);
    let seed = 1;
    const random = () => {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
      return seed / 2 ** 32;
    };
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      for (const i of order) {
        const e = data[i]!;
        let z = b;
        for (const f of e.features) z += w.get(f) ?? 0;
        const gradient = 1 / (1 + Math.exp(-z)) - (e.rank >= threshold ? 1 : 0);
        b -= lr * gradient;
        for (const f of e.features) {
          const v = w.get(f) ?? 0;
          w.set(f, v - lr * (gradient + l2 * v));
        }
      }
    }
    bias[head] = round(b);
    for (const [f, v] of w) {
      const row = weights.get(f) ?? [0, 0, 0];
      row[head] = v;
      weights.set(f, row);
    }
  });

  const kept: Record<string, [number, number, number]> = {};
  for (const f of [...weights.keys()].sort()) {
    const row = weights.get(f)!;
    if (row.some((v) => Math.abs(v) >= prune)) kept[f] = [round(row[0]), round(row[1]), round(row[2])];
  }
  return {
    version: 1,
    kind: 'vigie-text-model',
    stem,
    bias,
    weights: kept,
    trainedOn: { files: options.files ?? [], mentions: examples.length },
  };
}

function round(v: number): number {
  return Math.round(v * 10_000) / 10_000;
}
