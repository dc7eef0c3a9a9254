import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ErrorCode, VigieError } from '../../core/errors.js';
import { isPlainObject } from '../../core/plain-object.js';
import { describeIssue } from '../../core/zod-issues.js';
import { allFeatureHashes, featureHash, featureLabel } from './features.js';

/**
 * A text model: three logistic heads over the words of a mention, trained on labelled mentions
 * (`vigie model train`). Each head says how likely a person on the team would put the mention at
 * that level or above: `watch` (worth a look), `high`, `critical`. The rules stay the first word;
 * the model lifts what they miss and quiets what they misread (see `apply-model.ts`).
 */

export const HEADS = ['watch', 'high', 'critical'] as const;
export type Head = (typeof HEADS)[number];

const triple = z.tuple([z.number(), z.number(), z.number()]);

export const textModelSchema = z.strictObject({
  version: z.literal(1),
  kind: z.literal('vigie-text-model'),
  /** Letters kept as a word's stem feature. */
  stem: z.number().int().min(3).max(12),
  bias: triple,
  /** Feature name → weight per head (watch, high, critical). */
  weights: z.record(z.string().min(3), triple),
  /** What it was trained on, for people (not used in scoring). */
  trainedOn: z.object({ files: z.array(z.string()), mentions: z.number().int() }).optional(),
});
export type TextModelData = z.infer<typeof textModelSchema>;

/**
 * Validates model data; a bad file is a coded error that says which field is wrong. The weights
 * (about 90,000 of them in the bundled model) are checked by hand when they are plainly valid: zod
 * took most of the time an engine took to build. Anything else, and every error, is zod's.
 */
export function parseTextModel(input: unknown, file = '(text model)'): TextModelData {
  if (typeof input === 'object' && input !== null && CHECKED.has(input)) return input as TextModelData;
  const weights = plainlyValidWeights(input);
  const parsed = textModelSchema.safeParse(weights === null ? input : { ...(input as object), weights: {} });
  if (!parsed.success) {
    throw new VigieError(ErrorCode.ConfigInvalid, `${file}: invalid text model: ${parsed.error.issues.slice(0, 5).map((i) => describeIssue(i)).join('; ')}`);
  }
  const data = weights === null ? parsed.data : { ...parsed.data, weights };
  CHECKED.add(data);
  return data;
}

/**
 * Model data this module has validated: the engine is handed what `loadTextModel` returned, and
 * checking its 90,000 weights again took a third of the engine's construction. Treated as read-only.
 */
const CHECKED = new WeakSet<object>();

type Weights = TextModelData['weights'];

/**
 * A copy of `input.weights` as zod would give it, when every entry is plainly valid: a plain object
 * whose own keys are strings of three characters or more (no `__proto__`, which zod drops, no
 * symbol), each holding an array of three finite numbers. Null otherwise: zod then decides.
 */
function plainlyValidWeights(input: unknown): Weights | null {
  if (!isPlainObject(input)) return null;
  const weights = input.weights;
  if (!isPlainObject(weights) || Object.getOwnPropertySymbols(weights).length > 0) return null;
  const out: Weights = {};
  for (const key of Object.keys(weights)) {
    if (key.length < 3 || key === '__proto__') return null;
    const w: unknown = weights[key];
    if (!Array.isArray(w) || w.length !== 3) return null;
    const a: unknown = w[0];
    const b: unknown = w[1];
    const c: unknown = w[2];
    if (!isFiniteNumber(a) || !isFiniteNumber(b) || !isFiniteNumber(c)) return null;
    out[key] = [a, b, c];
  }
  return out;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** A model file's text, parsed and validated; errors name the file. */
export function textModelFromJson(text: string, file: string): TextModelData {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new VigieError(ErrorCode.ConfigInvalid, `${file}: the text model is not JSON (${(cause as Error).message})`, { cause });
  }
  return parseTextModel(json, file);
}

/** Reads and validates a model file. */
export async function loadTextModel(path: string): Promise<TextModelData> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new VigieError(ErrorCode.ConfigInvalid, `${path}: cannot read the text model (${(cause as Error).message})`, { cause });
  }
  return textModelFromJson(text, path);
}

export interface TextPrediction {
  watch: number;
  high: number;
  critical: number;
}

export class TextModel {
  readonly stem: number;
  private readonly bias: readonly [number, number, number];
  /**
   * Feature hash → row in `weights` (three numbers a row), as an open-addressing table: `slotHash`
   * holds the hash, `slotRow` the row + 1 (0: empty). Read three times per word of every mention, it
   * is several times quicker than a Map of 50,000 numbers, whose entries are scattered in memory.
   */
  private readonly slotHash: Uint32Array;
  private readonly slotRow: Int32Array;
  private readonly mask: number;
  private readonly weights: Float64Array;
  private readonly names: string[];
  private readonly scratch: number[] = [];
  private readonly rowsFound: number[] = [];
  /** `seen[row] === pass`: the row is counted in this pass already (a word said twice counts once). */
  private readonly seen: Uint32Array;
  private pass = 0;

  constructor(data: TextModelData) {
    this.stem = data.stem;
    this.bias = data.bias;
    this.names = Object.keys(data.weights);
    this.weights = new Float64Array(this.names.length * 3);
    this.seen = new Uint32Array(this.names.length);
    let capacity = 16;
    while (capacity < this.names.length * 2) capacity *= 2;
    this.slotHash = new Uint32Array(capacity);
    this.slotRow = new Int32Array(capacity);
    this.mask = capacity - 1;
    this.names.forEach((name, row) => {
      const w = data.weights[name]!;
      this.weights.set(w, row * 3);
      this.place(featureHash(name), row);
    });
  }

  /** First slot of a hash: FNV's low bits are weak, so they are mixed first. */
  private home(hash: number): number {
    return Math.imul(hash ^ (hash >>> 16), 0x45d9f3b) & this.mask;
  }

  /** Puts a row under its hash; a later name with the same hash takes the slot (as a Map would). */
  private place(hash: number, row: number): void {
    let i = this.home(hash);
    while (this.slotRow[i] !== 0 && this.slotHash[i] !== hash) i = (i + 1) & this.mask;
    this.slotHash[i] = hash;
    this.slotRow[i] = row + 1;
  }

  /** The row of a feature hash, or -1. */
  private rowOf(hash: number): number {
    for (let i = this.home(hash); ; i = (i + 1) & this.mask) {
      const r = this.slotRow[i]!;
      if (r === 0) return -1;
      if (this.slotHash[i] === hash) return r - 1;
    }
  }

  /** The three heads' probabilities for a text's match keys and context bits (`mentionContext`). */
  predict(keys: readonly string[], context = 0): TextPrediction {
    let zw = this.bias[0];
    let zh = this.bias[1];
    let zc = this.bias[2];
    for (const row of this.rowsOf(keys, context)) {
      zw += this.weights[row * 3]!;
      zh += this.weights[row * 3 + 1]!;
      zc += this.weights[row * 3 + 2]!;
    }
    return { watch: sigmoid(zw), high: sigmoid(zh), critical: sigmoid(zc) };
  }

  /** The words that weigh most for (`sign` 1) or against (-1) a head in this text, as people read them. */
  strongest(keys: readonly string[], head: Head, sign: 1 | -1, context = 0, count = 3): string[] {
    const column = HEADS.indexOf(head);
    const found: { label: string; w: number }[] = [];
    for (const row of this.rowsOf(keys, context)) {
      const w = this.weights[row * 3 + column]! * sign;
      if (w > 0) found.push({ label: featureLabel(this.names[row]!), w });
    }
    found.sort((a, b) => b.w - a.w || (a.label < b.label ? -1 : 1));
    return found.slice(0, count).map((f) => f.label);
  }

  /** The model's rows for a text's features, each once: a pass stamp per row rather than a sort. */
  private rowsOf(keys: readonly string[], context: number): number[] {
    const out = this.rowsFound;
    out.length = 0;
    if (++this.pass === 0xffff_ffff) {
      this.seen.fill(0);
      this.pass = 1;
    }
    for (const h of allFeatureHashes(keys, this.stem, this.scratch, context)) {
      const row = this.rowOf(h);
      if (row < 0 || this.seen[row] === this.pass) continue;
      this.seen[row] = this.pass;
      out.push(row);
    }
    return out;
  }
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}
