/**
 * X's reconnect guidance for the filtered stream
 * (https://docs.x.com/x-api/fundamentals/consuming-streaming-data#reconnecting):
 * network errors back off linearly (+250 ms, up to 16 s), HTTP errors exponentially (5 s doubling,
 * up to 320 s), and 429 exponentially from one minute. A little jitter is added so several Vigie
 * processes do not reconnect in step.
 */
export type XFailure = 'network' | 'http' | 'rate-limit';

export const X_BACKOFF = {
  networkStepMs: 250,
  networkMaxMs: 16_000, // 16 s
  httpInitialMs: 5_000, // 5 s
  httpMaxMs: 320_000, // 5 min 20 s
  rateLimitInitialMs: 60_000, // 1 min
  rateLimitMaxMs: 960_000, // 16 min
  jitter: 0.1,
} as const;

export function xReconnectDelay(kind: XFailure, attempt: number, random: () => number): number {
  let base: number;
  if (kind === 'network') base = Math.min(X_BACKOFF.networkMaxMs, X_BACKOFF.networkStepMs * (attempt + 1));
  else if (kind === 'http') base = Math.min(X_BACKOFF.httpMaxMs, X_BACKOFF.httpInitialMs * 2 ** Math.min(attempt, 20));
  else base = Math.min(X_BACKOFF.rateLimitMaxMs, X_BACKOFF.rateLimitInitialMs * 2 ** Math.min(attempt, 20));
  return Math.round(base * (1 + random() * X_BACKOFF.jitter));
}
