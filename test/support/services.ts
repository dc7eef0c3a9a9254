import { connect } from 'node:net';

/** True when the CI asks every service-backed suite to run: a missing service is then a failure. */
export function requireServices(): boolean {
  return process.env.VIGIE_REQUIRE_SERVICES === '1';
}

function tcpOpen(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function hostPort(url: string | undefined, fallbackPort: number): { host: string; port: number } {
  try {
    const u = new URL(url ?? '');
    return { host: u.hostname || '127.0.0.1', port: Number(u.port) || fallbackPort };
  } catch {
    return { host: '127.0.0.1', port: fallbackPort };
  }
}

export async function postgresAvailable(): Promise<boolean> {
  const { host, port } = hostPort(process.env.DATABASE_URL, 5432);
  return tcpOpen(host, port);
}

export async function redisAvailable(): Promise<boolean> {
  const { host, port } = hostPort(process.env.REDIS_URL, 6379);
  return tcpOpen(host, port);
}
