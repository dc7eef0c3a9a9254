import { CONTEXT_FEATURES, CONTEXT_LABELS } from './context.js';

/**
 * The words a text model reads, as 32-bit hashes so a mention costs no string building: each
 * match key (`w:retard`), its first letters for inflections (`s:evacu` for évacué, évacuation…),
 * and each pair of neighbouring keys (`b:pas_de`); then the mention's context bits (`c:question`,
 * see `context.ts`). The same names, hashed the same way, index the model's weights, so training
 * (which sees names) and scoring (which sees hashes) agree.
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function update(hash: number, s: string, end = s.length): number {
  let h = hash;
  for (let i = 0; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

const WORD = update(FNV_OFFSET, 'w:');
const STEM = update(FNV_OFFSET, 's:');
const PAIR = update(FNV_OFFSET, 'b:');
const UNDERSCORE = '_'.charCodeAt(0);

/** The hash of a feature name as `featureNames` writes it. */
export function featureHash(name: string): number {
  return update(FNV_OFFSET, name) >>> 0;
}

const CONTEXT_HASHES = CONTEXT_FEATURES.map(featureHash);

/**
 * Feature hashes of a text's match keys and context bits into `out` (cleared first), in text order:
 * a word said twice is there twice. The model counts each feature once (see `TextModel`), without sorting.
 */
export function allFeatureHashes(keys: readonly string[], stem: number, out: number[], context = 0): number[] {
  out.length = 0;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    out.push(update(WORD, k) >>> 0);
    if (k.length > stem) out.push(update(STEM, k, stem) >>> 0);
    const next = keys[i + 1];
    if (next !== undefined) out.push(update(Math.imul(update(PAIR, k) ^ UNDERSCORE, FNV_PRIME), next) >>> 0);
  }
  for (let bits = context, i = 0; bits !== 0; bits >>>= 1, i++) if (bits & 1) out.push(CONTEXT_HASHES[i]!);
  return out;
}

/** Feature names of a text's match keys and context bits, each once (training and explanations). */
export function featureNames(keys: readonly string[], stem: number, context = 0): string[] {
  const out = new Set<string>();
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    out.add(`w:${k}`);
    if (k.length > stem) out.add(`s:${k.slice(0, stem)}`);
    const next = keys[i + 1];
    if (next !== undefined) out.add(`b:${k}_${next}`);
  }
  CONTEXT_FEATURES.forEach((name, i) => {
    if (context & (1 << i)) out.add(name);
  });
  return [...out];
}

/** How a reason shows a feature: `retard`, `evacu…`, `pas de`. */
export function featureLabel(name: string): string {
  if (name.startsWith('c:')) return CONTEXT_LABELS[name as keyof typeof CONTEXT_LABELS] ?? name.slice(2);
  const body = name.slice(2);
  if (name.startsWith('s:')) return `${body}…`;
  if (name.startsWith('b:')) return body.replace('_', ' ');
  return body;
}
