import type { ServerResponse } from 'node:http';
import { bearer, json, startHttp } from './http-util.js';

/**
 * A local X API v2 for the filtered stream: `GET /2/tweets/search/stream` (newline-delimited JSON,
 * `\r\n` keep-alives), `GET/POST /2/tweets/search/stream/rules` and `POST /2/tweets`.
 */
export interface XRule {
  id: string;
  value: string;
  tag?: string;
}

export interface XDoubleOptions {
  bearerToken?: string;
  userToken?: string;
  /** Longest rule accepted (X's self-serve limit is 512). */
  maxRuleLength?: number;
}

export interface XDouble {
  origin: string;
  rules: XRule[];
  /** Query strings of stream connections. */
  connections: URLSearchParams[];
  rulesRequests: Array<{ method: string; body: unknown }>;
  posted: unknown[];
  /** A post line to every open stream. */
  push(line: unknown): void;
  pushRaw(text: string): void;
  keepAlive(): void;
  dropAll(): void;
  /** The next `n` stream connections are refused with `status` (429 carries x-rate-limit-reset). */
  refuseConnects(n: number, status: number): void;
  openStreams(): number;
  close(): Promise<void>;
}

export async function startXDouble(options: XDoubleOptions = {}): Promise<XDouble> {
  const token = options.bearerToken ?? 'bearer-token';
  const streams = new Set<ServerResponse>();
  const rules: XRule[] = [];
  const connections: URLSearchParams[] = [];
  const rulesRequests: XDouble['rulesRequests'] = [];
  const posted: unknown[] = [];
  let refuse = { n: 0, status: 0 };
  let nextRuleId = 1_000;
  let nextPostId = 1_900_000_000_000_000_000n;

  const http = await startHttp((req, res, url, body) => {
    const auth = bearer(req);
    if (url.pathname === '/2/tweets' && req.method === 'POST') {
      if (!options.userToken || auth !== options.userToken) return json(res, 403, { title: 'Unsupported Authentication', status: 403 });
      const input = JSON.parse(body || '{}') as { text?: string };
      posted.push(input);
      nextPostId++;
      return json(res, 201, { data: { id: String(nextPostId), text: input.text ?? '' } });
    }
    if (auth !== token) return json(res, 401, { title: 'Unauthorized', status: 401 });
    if (url.pathname === '/2/tweets/search/stream' && req.method === 'GET') {
      if (refuse.n > 0) {
        refuse.n--;
        const headers: Record<string, string> = refuse.status === 429 ? { 'x-rate-limit-reset': String(Math.floor(Date.now() / 1_000) + 1) } : {};
        return json(res, refuse.status, { title: refuse.status === 429 ? 'TooManyConnections' : 'Service Unavailable', status: refuse.status }, headers);
      }
      connections.push(url.searchParams);
      res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
      res.write('\r\n');
      streams.add(res);
      res.on('close', () => streams.delete(res));
      return;
    }
    if (url.pathname === '/2/tweets/search/stream/rules') {
      if (req.method === 'GET') {
        rulesRequests.push({ method: 'GET', body: null });
        return json(res, 200, rules.length ? { data: rules, meta: { result_count: rules.length } } : { meta: { result_count: 0 } });
      }
      const input = JSON.parse(body || '{}') as { add?: Array<{ value: string; tag?: string }>; delete?: { ids: string[] } };
      rulesRequests.push({ method: 'POST', body: input });
      if (input.delete) {
        const ids = new Set(input.delete.ids);
        for (let i = rules.length - 1; i >= 0; i--) if (ids.has(rules[i]!.id)) rules.splice(i, 1);
        return json(res, 200, { meta: { summary: { deleted: ids.size, not_deleted: 0 } } });
      }
      const created: XRule[] = [];
      const errors: unknown[] = [];
      for (const r of input.add ?? []) {
        if (r.value.length > (options.maxRuleLength ?? 512) || r.value.trim() === '') {
          errors.push({ value: r.value, title: 'Rule Length Exceeded', details: ['Rules must be at most 512 characters'] });
          continue;
        }
        const rule = { id: String(nextRuleId++), value: r.value, ...(r.tag ? { tag: r.tag } : {}) };
        rules.push(rule);
        created.push(rule);
      }
      return json(res, 201, { data: created, meta: { summary: { created: created.length, not_created: errors.length } }, ...(errors.length ? { errors } : {}) });
    }
    return json(res, 404, { title: 'Not Found Error', status: 404 });
  });

  return {
    origin: http.origin,
    rules,
    connections,
    rulesRequests,
    posted,
    push(line) {
      for (const s of streams) s.write(`${JSON.stringify(line)}\r\n`);
    },
    pushRaw(text) {
      for (const s of streams) s.write(`${text}\r\n`);
    },
    keepAlive() {
      for (const s of streams) s.write('\r\n');
    },
    dropAll() {
      for (const s of streams) s.destroy();
      streams.clear();
    },
    refuseConnects(n, status) {
      refuse = { n, status };
    },
    openStreams() {
      return streams.size;
    },
    close: async () => {
      for (const s of streams) s.destroy();
      await http.close();
    },
  };
}

/** A stream line for one post with its author expanded. */
export function xPostLine(p: { id: string; text: string; username?: string; followers?: number; lang?: string; refs?: Array<{ type: string; id: string }>; createdAt?: string }) {
  const authorId = `u-${p.username ?? 'jdupont'}`;
  return {
    data: {
      id: p.id,
      text: p.text,
      author_id: authorId,
      created_at: p.createdAt ?? '2026-11-28T08:00:00.000Z',
      lang: p.lang ?? 'fr',
      edit_history_tweet_ids: [p.id],
      ...(p.refs ? { referenced_tweets: p.refs } : {}),
    },
    includes: { users: [{ id: authorId, username: p.username ?? 'jdupont', name: 'J. Dupont', verified: false, description: 'Usager', public_metrics: { followers_count: p.followers ?? 8_200, following_count: 10 } }] },
    matching_rules: [{ id: '1', tag: 'vigie:security' }],
  };
}
