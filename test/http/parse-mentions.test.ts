import { expect, it } from 'vitest';
import { parseMentionsBody, parseMentionsBodyInTurns } from '../../src/http/parse-mentions.js';

const good = (i: number) => ({ source: 'twitter', id: `m${i}`, text: 'bonjour', createdAt: '2026-11-28T08:00:00Z', author: { id: 'a', handle: 'h' } });

it('checks a big body in slices with the same answer as in one go, bad mentions numbered across slices', async () => {
  const items: unknown[] = Array.from({ length: 1_200 }, (_, i) => good(i));
  for (const i of [3, 600, 1_199]) items[i] = { ...good(i), author: { id: 'a' } };
  const body = JSON.stringify(items);
  const inTurns = await parseMentionsBodyInTurns(body, 'application/json');
  expect(inTurns).toEqual(parseMentionsBody(body, 'application/json'));
  expect(inTurns).toMatchObject({
    ok: false,
    message: '3 invalid mention(s)',
    problems: [
      { index: 4, errors: ['author.handle: required'] },
      { index: 601, errors: ['author.handle: required'] },
      { index: 1_200, errors: ['author.handle: required'] },
    ],
  });
  const fine = await parseMentionsBodyInTurns(JSON.stringify(items.map((_, i) => good(i))), 'application/json');
  expect(fine.ok && fine.mentions.map((m) => m.id)).toEqual(items.map((_, i) => `m${i}`));
});

it('counts every invalid mention but lists the first fifty', async () => {
  const body = JSON.stringify(Array.from({ length: 80 }, (_, i) => ({ ...good(i), createdAt: 'soon' })));
  const r = await parseMentionsBodyInTurns(body, 'application/json');
  expect(r.ok).toBe(false);
  if (!r.ok) {
    expect(r.message).toBe('80 invalid mention(s)');
    expect(r.problems).toHaveLength(50);
  }
});
