import { escapeVariable } from './escape.js';
import { NETWORK_LIMITS, type Network, networkLength } from './network.js';
import { PLACEHOLDER, placeholdersOf, type ReplyTemplate } from './schema.js';

export type RenderResult =
  | { ok: true; text: string; length: number; limit: number | null; network: Network }
  /** `missing` are variable names, `labels` their human labels in the same order. */
  | { ok: false; code: 'missing-variables'; missing: string[]; labels: string[] }
  /** The text is returned so a preview can show it and the person can shorten a variable. */
  | { ok: false; code: 'too-long'; text: string; length: number; limit: number; network: Network };

/**
 * Fills a template for one network. Values are escaped (see escape.ts) and substituted in a single
 * pass, so a value containing `{{x}}` stays literal. An empty value falls back to the variable's
 * default; with no default the variable is missing and the render is refused, naming every missing one.
 */
export function renderTemplate(t: Pick<ReplyTemplate, 'body' | 'variables'>, vars: Readonly<Record<string, string | undefined>>, options: { network: Network }): RenderResult {
  const values = new Map<string, string>();
  const missing: string[] = [];
  const labels: string[] = [];
  for (const name of placeholdersOf(t.body)) {
    const declared = t.variables.find((v) => v.name === name);
    const given = escapeVariable(vars[name] ?? '');
    const value = given !== '' ? given : escapeVariable(declared?.default ?? '');
    if (value === '') {
      missing.push(name);
      labels.push(declared?.label ?? name);
    } else values.set(name, value);
  }
  if (missing.length > 0) return { ok: false, code: 'missing-variables', missing, labels };

  const text = t.body
    .replace(/\r\n?/g, '\n')
    .replace(PLACEHOLDER, (_m, name: string) => values.get(name) ?? '')
    .trim();
  const length = networkLength(text, options.network);
  const limit = NETWORK_LIMITS[options.network];
  if (limit !== null && length > limit) return { ok: false, code: 'too-long', text, length, limit, network: options.network };
  return { ok: true, text, length, limit, network: options.network };
}
