import { afterEach, beforeEach, expect, it } from 'vitest';
import { createHttpServer, MAX_BODY_BYTES } from '../../src/http/server.js';
import { signWebhook } from '../../src/http/webhook-auth.js';
import { silentLogger } from '../../src/ops/logger.js';
import { createIngest } from '../../src/pipeline/ingest.js';
import { eachDatabase, type TestDb } from '../support/databases.js';
import { exampleConfig } from '../support/fixtures.js';
import { keywordEngine } from '../support/keyword-engine.js';

const SECRET = 'a-webhook-secret-of-some-length';
const NOW = new Date('2026-11-28T09:00:00Z');

function body(id: string, extra: Record<string, unknown> = {}) {
  return {
    source: 'twitter',
    id,
    text: 'Alerte à la bombe à Roissy',
    createdAt: '2026-11-28T08:00:00Z',
    author: { id: '1', handle: 'jdupont' },
    ...extra,
  };
}

eachDatabase('webhook', (open) => {
  let db: TestDb;
  let base: string;
  let server: ReturnType<typeof createHttpServer>;
  let failWrites = false;

  beforeEach(async () => {
    db = await open();
    failWrites = false;
    const { ingest } = createIngest({
      store: db.store,
      engine: keywordEngine(),
      config: exampleConfig(),
      platforms: ['console'],
      clock: () => NOW,
      logger: silentLogger(),
      afterCommit: async () => {},
    });
    server = createHttpServer({
      ingest: async (m) => {
        if (failWrites) throw new Error('connection refused');
        return ingest(m);
      },
      health: async () => ({ ok: true }),
      webhookSecret: SECRET,
      toleranceSeconds: 300,
      clock: () => NOW,
      logger: silentLogger(),
    });
    const port = await server.start(0, '127.0.0.1');
    base = `http://127.0.0.1:${port}`;
  });
  afterEach(async () => {
    await server.stop();
    await db.cleanup();
  });

  async function post(payload: string, options: { ts?: number; sign?: boolean; signature?: string; contentType?: string } = {}) {
    const ts = options.ts ?? Math.floor(NOW.getTime() / 1000);
    const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/json', 'x-vigie-timestamp': String(ts) };
    if (options.sign !== false) headers['x-vigie-signature'] = options.signature ?? signWebhook(SECRET, ts, payload);
    const res = await fetch(`${base}/v1/mentions`, { method: 'POST', headers, body: payload });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }

  const mentionCount = async () => (await db.store.counts()).mentions;

  it('accepts one mention, an array and NDJSON, and counts duplicates', async () => {
    expect(await post(JSON.stringify(body('1')))).toEqual({ status: 202, json: { accepted: 1, duplicates: 0 } });
    expect(await post(JSON.stringify([body('1'), body('2')]))).toEqual({ status: 202, json: { accepted: 1, duplicates: 1 } });
    const ndjson = [body('3'), body('4')].map((b) => JSON.stringify(b)).join('\n');
    expect(await post(ndjson, { contentType: 'application/x-ndjson' })).toEqual({ status: 202, json: { accepted: 2, duplicates: 0 } });
    expect(await mentionCount()).toBe(4);
  });

  it('refuses broken JSON, missing fields and wrong types with 400 naming the field, storing nothing', async () => {
    const broken = await post('{"source": "twitter",');
    expect(broken.status).toBe(400);
    expect(String(broken.json.message)).toMatch(/not valid JSON/);

    const missing = await post(JSON.stringify([body('ok'), { ...body('x'), author: { id: '1' } }]));
    expect(missing.status).toBe(400);
    expect(missing.json.problems).toEqual([{ index: 2, errors: ['author.handle: required'] }]);

    const wrongType = await post(JSON.stringify(body('y', { createdAt: 'yesterday', author: { id: 1, handle: 'a' } })));
    expect(wrongType.status).toBe(400);
    const errors = (wrongType.json.problems as Array<{ errors: string[] }>)[0]!.errors.join(' | ');
    expect(errors).toContain('createdAt');
    expect(errors).toContain('author.id');
    expect(await mentionCount()).toBe(0);
  });

  it('refuses a bad signature, a missing one and a replayed timestamp with 401', async () => {
    const payload = JSON.stringify(body('1'));
    expect((await post(payload, { signature: 'v1=deadbeef' })).status).toBe(401);
    expect((await post(payload, { sign: false })).status).toBe(401);
    const old = Math.floor(NOW.getTime() / 1000) - 3_600;
    const replay = await post(payload, { ts: old });
    expect(replay.status).toBe(401);
    expect(String(replay.json.message)).toMatch(/replay|old/);
    // Signed for another body: refused.
    const other = signWebhook(SECRET, Math.floor(NOW.getTime() / 1000), JSON.stringify(body('2')));
    expect((await post(payload, { signature: other })).status).toBe(401);
    expect(await mentionCount()).toBe(0);
  });

  it('refuses a body over 1 MB with 413', async () => {
    const big = JSON.stringify(body('1', { text: 'x'.repeat(MAX_BODY_BYTES) }));
    expect((await post(big)).status).toBe(413);
    expect(await mentionCount()).toBe(0);
  });

  it('answers 503 with Retry-After when the database cannot take the write', async () => {
    failWrites = true;
    const payload = JSON.stringify(body('1'));
    const ts = Math.floor(NOW.getTime() / 1000);
    const res = await fetch(`${base}/v1/mentions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-vigie-timestamp': String(ts), 'x-vigie-signature': signWebhook(SECRET, ts, payload) },
      body: payload,
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    const text = await res.text();
    expect(text).not.toContain('connection refused');
  });
});
