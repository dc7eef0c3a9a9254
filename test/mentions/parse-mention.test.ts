import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { mentionSchema, parseMention } from '../../src/mentions/mention.js';

const base = {
  source: 'twitter',
  id: '123',
  url: 'https://example.social/x/123',
  text: 'Malaise voyageur à Châtelet',
  lang: 'fr',
  createdAt: '2026-11-28T08:00:00Z',
  account: '@MetroLutece',
  author: { id: 'u1', handle: 'user_1', name: 'Person', followers: 12, verified: true, bio: 'hello' },
  replyTo: 'a',
  repostOf: null,
  quoteOf: 'b',
};

const ABSENT = Symbol('absent');
const long = (n: number) => 'x'.repeat(n);
const strings = ['', 'a', 'ab', ' a', 'a ', 'é', long(10), long(11), long(50), long(51), long(200), long(201), long(500), long(501), long(5_000), long(5_001)];
const odd = [ABSENT, undefined, null, 0, 1, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, -0, true, false, {}, [], ['a']];

/** Values to try in each field, on top of the strings and odd values every field gets. */
const FIELD_VALUES: Record<string, unknown[]> = {
  source: ['bluesky', 'a.b-c_d', 'with space', 'émoji', 'A'],
  url: ['http://x.y', 'http:example.com', 'https:/path', 'not a url', ' https://x.y', 'https://x.y ', 'https://x\n.y', 'https://x\t.y', 'mailto:a@b.c', `https://x.y/${long(1_990)}`, `https://x.y/${long(1_995)}`, 'https://exa mple.com', '\u00a0https://x.y'],
  text: [long(20_000), long(20_001), '\u0000', 'tab\there'],
  createdAt: ['2026-11-28T08:00:00Z', '2026-11-28T08:00:00.123+01:00', '2026-11-28T08:00:00', '2026-11-28', '2026-02-29T00:00:00Z', '2024-02-29T00:00:00Z', '2026-11-28T08:00:00+0100', '2026-11-28 08:00:00Z', '2026-11-28T24:00:00Z'],
  lang: ['fr', 'en-GB', 'f'],
};
const AUTHOR_VALUES: Record<string, unknown[]> = {
  followers: [0, 10, 2 ** 53 - 1, -5, 3.2, '12'],
  verified: [true, false, 'yes', 0],
};

function withField(object: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy = { ...object };
  if (value === ABSENT) delete copy[key];
  else copy[key] = value;
  return copy;
}

function variants(): unknown[] {
  const out: unknown[] = [base, { ...base, extra: 1, author: { ...base.author, extra: 2 } }, null, 'text', 42, [base], Object.create(null), Object.assign(Object.create(null), base)];
  for (const key of Object.keys(base).filter((k) => k !== 'author')) {
    for (const value of [...strings, ...odd, ...(FIELD_VALUES[key] ?? [])]) out.push(withField(base, key, value));
  }
  for (const key of Object.keys(base.author)) {
    for (const value of [...strings, ...odd, ...(AUTHOR_VALUES[key] ?? [])]) out.push({ ...base, author: withField(base.author, key, value) });
  }
  for (const value of odd) out.push(withField(base, 'author', value));
  class Custom {
    source = 'twitter';
  }
  out.push(Object.assign(new Custom(), base));
  // Only the required fields.
  out.push({ source: 's', id: '1', text: '', createdAt: base.createdAt, author: { id: 'a', handle: 'h' } });
  return out;
}

/** The same answer as zod's, down to which keys the mention has and in which order. */
function expectSameAsZod(input: unknown): void {
  const fast = parseMention(input);
  const zod = mentionSchema.safeParse(input);
  expect(fast.success).toBe(zod.success);
  if (fast.success && zod.success) {
    expect(fast.data).toStrictEqual(zod.data);
    expect(Object.keys(fast.data)).toEqual(Object.keys(zod.data));
    expect(Object.keys(fast.data.author)).toEqual(Object.keys(zod.data.author));
  } else expect(fast.error?.issues).toEqual(zod.error?.issues);
}

it('answers as mentionSchema.safeParse for valid, invalid and edge values of every field', () => {
  const all = variants();
  expect(all.length).toBeGreaterThan(400);
  for (const input of all) expectSameAsZod(input);
});

it('answers as mentionSchema.safeParse for every labelled mention', () => {
  const dir = join(import.meta.dirname, '../engine/fixtures');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl'))) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) if (line.trim() !== '') expectSameAsZod(JSON.parse(line));
  }
});
