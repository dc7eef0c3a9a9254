import { describe, expect, it } from 'vitest';
import { CopyBuffer, copyLine } from '../../adapters/db/copy-text.js';
import { mentionCopyLine } from '../../adapters/db/mention-copy-line.js';
import type { MentionRow } from '../../src/store/types.js';
import { mentionRow } from '../support/mention-rows.js';

const plain = mentionRow(12, 'x1', { lang: null });

/** Every field set, with what COPY must escape or replace in each text and JSON value. */
const awkward: MentionRow = {
  id: 9_007_199_254_740_991,
  source: 'a\\b',
  externalId: 'tab\there',
  url: 'https://example.social/x?a=1&b=2\\N',
  text: 'line\nbreak\r and \\N, NUL \u0000, emoji 🚇, lone \ud800 surrogate, « é »',
  lang: 'fr\t',
  createdAt: new Date('2026-11-28T23:59:59.999Z'),
  account: '@Metro\nLutece',
  authorId: 'id\u0000',
  authorHandle: 'handle\\',
  author: { id: 'a\t1', handle: 'h"q', name: 'N\u0000m', followers: 3, verified: true },
  replyTo: 'r\n',
  repostOf: '',
  quoteOf: 'q\\',
  score: 100,
  level: 'critical',
  category: 'sécurité\t',
  rules: [{ ruleId: 'bomb\n', category: 'security', weight: 60 }],
  reasons: [{ code: 'rule', text: 'say "hi" \\ \u0000', points: 60 }],
  clusterId: 'c\r1',
};

/** The generic encoder, value by value, in the table's column order: what the special one must equal. */
function generic(r: MentionRow): string {
  return copyLine([
    r.id, r.source, r.externalId, r.url, r.text, r.lang, r.createdAt, r.account, r.authorId, r.authorHandle,
    r.author, r.replyTo, r.repostOf, r.quoteOf, r.score, r.level, r.category, r.rules, r.reasons, r.clusterId,
  ]);
}

describe("a mention's COPY line", () => {
  it('is the generic encoding of its values, plain or awkward', () => {
    expect(mentionCopyLine(plain)).toBe(generic(plain));
    expect(mentionCopyLine(awkward)).toBe(generic(awkward));
    expect(mentionCopyLine(awkward).split('\t')).toHaveLength(20);
    expect(mentionCopyLine({ ...awkward, url: null, lang: null, account: null, replyTo: null, repostOf: null, quoteOf: null, category: null })).toBe(
      generic({ ...awkward, url: null, lang: null, account: null, replyTo: null, repostOf: null, quoteOf: null, category: null }),
    );
  });
});

describe('COPY lines as UTF-8 bytes', () => {
  it('holds what encoding the joined lines would, across growth', () => {
    const buffer = new CopyBuffer();
    const lines: string[] = [];
    // Enough to outgrow the first allocation several times, with multi-byte characters and a lone surrogate.
    for (let i = 0; i < 3_000; i++) {
      const line = mentionCopyLine({ ...(i % 2 ? awkward : plain), id: i, text: `${'é🚇\ud800'.repeat(i % 50)} n°${i}` });
      lines.push(line);
      buffer.append(line);
    }
    expect(buffer.bytes().equals(Buffer.from(lines.join(''), 'utf8'))).toBe(true);
    expect(new CopyBuffer().bytes()).toHaveLength(0);
  });
});
