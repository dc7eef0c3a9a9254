import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../core/clock.js';
import type { Mention } from '../mentions/mention.js';
import type { Logger } from '../ops/logger.js';
import { parseMentionsBodyInTurns } from './parse-mentions.js';
import { verifyWebhook } from './webhook-auth.js';

export const MAX_BODY_BYTES = 1_048_576; // 1 MB

export interface HttpDeps {
  ingest: (mentions: readonly Mention[]) => Promise<{ accepted: number; duplicates: number }>;
  health: () => Promise<{ ok: boolean } & Record<string, unknown>>;
  webhookSecret?: string | undefined;
  toleranceSeconds: number;
  clock: Clock;
  logger: Logger;
  /** Extra routes by path prefix (Slack's HTTP mode mounts `/slack/events`). */
  mounts?: ReadonlyMap<string, (req: IncomingMessage, res: ServerResponse) => void>;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

class TooLarge extends Error {}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) throw new TooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new TooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The webhook and health endpoints; nothing accepted with 202 is lost (it is committed first). */
export function createHttpServer(deps: HttpDeps) {
  const { logger } = deps;
  let server: Server | null = null;

  async function mentions(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: Buffer;
    try {
      body = await readBody(req, MAX_BODY_BYTES);
    } catch (err) {
      if (err instanceof TooLarge) {
        send(res, 413, { error: 'payload_too_large', message: `the body is over ${MAX_BODY_BYTES} bytes; split it into smaller batches` }, { connection: 'close' });
        req.resume();
        return;
      }
      throw err;
    }
    if (deps.webhookSecret) {
      const check = verifyWebhook(
        deps.webhookSecret,
        { timestamp: header(req, 'x-vigie-timestamp'), signature: header(req, 'x-vigie-signature') },
        body,
        deps.clock().getTime(),
        deps.toleranceSeconds,
      );
      if (!check.ok) {
        logger.warn({ reason: check.reason, ip: req.socket.remoteAddress }, 'webhook request refused');
        send(res, 401, { error: 'unauthorized', message: check.reason });
        return;
      }
    }
    const parsed = await parseMentionsBodyInTurns(body.toString('utf8'), req.headers['content-type']);
    if (!parsed.ok) {
      send(res, 400, { error: 'invalid_mentions', message: parsed.message, problems: parsed.problems });
      return;
    }
    try {
      const result = await deps.ingest(parsed.mentions);
      send(res, 202, { accepted: result.accepted, duplicates: result.duplicates });
    } catch (err) {
      logger.error({ err }, 'ingest failed; asking the sender to retry');
      send(res, 503, { error: 'unavailable', message: 'the database cannot take the write now; retry later' }, { 'retry-after': '5' });
    }
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    for (const [prefix, handler] of deps.mounts ?? []) {
      if (path.startsWith(prefix)) return handler(req, res);
    }
    if (path === '/v1/mentions') {
      if (req.method !== 'POST') return send(res, 405, { error: 'method_not_allowed' }, { allow: 'POST' });
      return mentions(req, res);
    }
    if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
      const health = await deps.health();
      return send(res, health.ok ? 200 : 503, health);
    }
    send(res, 404, { error: 'not_found' });
  }

  return {
    async start(port: number, host: string): Promise<number> {
      server = createServer((req, res) => {
        route(req, res).catch((err: unknown) => {
          logger.error({ err }, 'http handler failed');
          if (!res.headersSent) send(res, 500, { error: 'internal' });
          else res.destroy();
        });
      });
      server.requestTimeout = 30_000;
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(port, host, () => resolve());
      });
      return (server.address() as AddressInfo).port;
    },
    async stop(): Promise<void> {
      if (!server) return;
      const s = server;
      server = null;
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
    },
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
