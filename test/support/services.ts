import { connect } from 'node:net';

/**
 * Which external services the suites can use. Suites that need one are skipped with a message when
 * it is missing, unless VIGIE_REQUIRE_SERVICES=1 (CI), where a missing service fails the run.
 */

export const defaultRedisUrl = 'redis://127.0.0.1:6379';
const defaultPostgresUrl = 'postgres://127.0.0.1:5432';
const probeTimeoutMs = 500;

export function requireServices(): boolean {
  return process.env.VIGIE_REQUIRE_SERVICES === '1';
}

/** The Redis the suites use: REDIS_URL, or the local default. */
export function testRedisUrl(): string {
  return process.env.REDIS_URL?.trim() || defaultRedisUrl;
}

/** True when something at the test Redis answers a PING (an auth error counts: it is there). */
export async function redisAvailable(url: string = testRedisUrl()): Promise<boolean> {
  const { host, port } = hostPort(url, 6379);
  const reply = await probe(host, port, 'PING\r\n');
  return reply !== undefined && (reply.startsWith('+PONG') || reply.startsWith('-'));
}

/** True when a TCP connection to DATABASE_URL's host (or 127.0.0.1:5432) opens. */
export async function postgresAvailable(url: string = process.env.DATABASE_URL?.trim() || defaultPostgresUrl): Promise<boolean> {
  const { host, port } = hostPort(url, 5432);
  return (await probe(host, port)) !== undefined;
}

/** A URL's host and port, or 127.0.0.1 and the service's port when it does not parse. */
function hostPort(url: string, fallbackPort: number): { host: string; port: number } {
  try {
    const parsed = new URL(url);
    return { host: parsed.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1', port: Number(parsed.port) || fallbackPort };
  } catch {
    return { host: '127.0.0.1', port: fallbackPort };
  }
}

/** Throws when a required service is missing, so CI cannot go green by skipping its suites. */
export function skipUnlessRequired(service: string, available: boolean, where: string): boolean {
  if (available) return false;
  if (requireServices()) {
    throw new Error(`${service} is not reachable at ${where} and VIGIE_REQUIRE_SERVICES=1: start it or unset the variable`);
  }
  console.warn(`[skip] ${service} is not reachable at ${where}: its suite is skipped (set VIGIE_REQUIRE_SERVICES=1 to fail instead)`);
  return true;
}

/** Connects, optionally sends a line, and resolves with the first reply ('' when nothing was sent), or undefined. */
function probe(host: string, port: number, send?: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (reply: string | undefined): void => {
      socket.destroy();
      resolve(reply);
    };
    socket.setTimeout(probeTimeoutMs, () => done(undefined));
    socket.once('error', () => done(undefined));
    socket.once('connect', () => {
      if (send === undefined) done('');
      else socket.write(send);
    });
    socket.once('data', (chunk) => done(chunk.toString('utf8')));
  });
}
