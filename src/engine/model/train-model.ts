import type { Level } from '../../core/levels.js';
import { LEVELS } from '../../core/levels.js';
import { featureNames } from './features.js';
import { HEADS, type TextModelData } from './text-model.js';

export interface TrainingExample {
  /** Match keys of the text (`normalizeText(text).keys`). */
  keys: readonly string[];
  /** Context bits (`mentionContext`): names someone, asks a question, replies to someone. */
  context?: number;
  expected: Level;
}

export interface TrainOptions {
  stem?: number;
  epochs?: number;
  learningRate?: number;
  l2?: number;
  /** Weights smaller than this on every head are left out of the file. */
  prune?: number;
  /** Runs averaged, each over its own shuffle of the examples. */
  runs?: number;
  files?: string[];
}

const DEFAULTS = { stem: 5, epochs: 30, learningRate: 0.2, l2: 1e-4, prune: 0.02, runs: 5 } as const;

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
  // Features as numbers once, weights in flat arrays: the SGD loop then reads arrays, not a Map of
  // strings (several times quicker, which matters with several runs over thousands of mentions).
  const vocabulary = new Map<string, number>();
  const data = examples.map((e) => ({
    features: Int32Array.from(featureNames(e.keys, stem, e.context ?? 0), (name) => {
      let id = vocabulary.get(name);
      if (id === undefined) {
        id = vocabulary.size;
        vocabulary.set(name, id);
      }
      return id;
    }),
    rank: LEVELS.indexOf(e.expected),
  }));
  const names = [...vocabulary.keys()];
  const weights = HEADS.map(() => new Float64Array(names.length));
  const bias: [number, number, number] = [0, 0, 0];

  const runs = options.runs ?? DEFAULTS.runs;
  HEADS.forEach((_, head) => {
    const threshold = head + 1; // watch = rank 1 or above, high = 2, critical = 3
    // The mean of several runs, each in its own shuffled order: one SGD run depends on the order it
    // met the examples in, enough to move a held-out figure by a point or two; the mean does not.
    const mean = weights[head]!;
    let bSum = 0;
    for (let run = 0; run < runs; run++) {
      const w = new Float64Array(names.length);
      let b = 0;
      const order = data.map((_, i) => i);
      let seed = run + 1;
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
          const { features, rank } = data[i]!;
          let z = b;
          for (let k = 0; k < features.length; k++) z += w[features[k]!]!;
          const gradient = 1 / (1 + Math.exp(-z)) - (rank >= threshold ? 1 : 0);
          b -= lr * gradient;
          for (let k = 0; k < features.length; k++) {
            const f = features[k]!;
            w[f] = w[f]! - lr * (gradient + l2 * w[f]!);
          }
        }
      }
      bSum += b;
      for (let f = 0; f < w.length; f++) mean[f] = mean[f]! + w[f]! / runs;
    }
    bias[head] = round(bSum / runs);
  });

  const kept: Record<string, [number, number, number]> = {};
  const byName = names.map((_, i) => i).sort((a, b) => (names[a]! < names[b]! ? -1 : 1));
  for (const f of byName) {
    const row: [number, number, number] = [weights[0]![f]!, weights[1]![f]!, weights[2]![f]!];
    if (row.some((v) => Math.abs(v) >= prune)) kept[names[f]!] = [round(row[0]), round(row[1]), round(row[2])];
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
