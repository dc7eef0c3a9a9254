import type { MentionInput } from '../../src/mentions/mention.js';
import { mentionSchema } from '../../src/mentions/mention.js';
import { loadConfig } from '../../src/config/load.js';

let seq = 0;

/** A valid mention with sensible defaults; override what the test is about. */
export function mention(overrides: Partial<MentionInput> = {}) {
  seq++;
  return mentionSchema.parse({
    source: 'twitter',
    id: `m${seq}-${Math.random().toString(36).slice(2, 8)}`,
    url: `https://x.com/someone/status/${seq}`,
    text: 'Bonjour',
    lang: 'fr',
    createdAt: '2026-11-28T08:00:00Z',
    account: '@LuteceAeroport',
    author: { id: `a${seq % 7}`, handle: `user${seq % 7}`, name: 'Someone', followers: 120 },
    ...overrides,
  });
}

/** The bundled example organisation (Ville de Lutèce). */
export function exampleConfig() {
  return loadConfig(undefined, '/nonexistent-dir-so-the-example-is-used').config;
}
