/** Capped exponential backoff. */
export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
  initialMs: 1_000, // 1 s
  maxMs: 120_000, // 2 min
};

/**
 * Delay before retry number `attempt` (0-based): the capped exponential step, then "equal jitter"
 * (half fixed, half random) so a fleet of clients that lost the same server does not come back in
 * lockstep, while the delay never collapses to zero.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const step = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(step / 2 + (random() * step) / 2);
}

/**
 * `Retry-After` in ms: delta-seconds or an HTTP date; null when absent or unreadable.
 * X also sends `x-rate-limit-reset` (epoch seconds), read when Retry-After is missing.
 */
export function retryAfterMs(headers: Headers, now: Date): number | null {
  const value = headers.get('retry-after');
  if (value !== null && value.trim() !== '') {
    const seconds = Number(value);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1_000);
    const at = Date.parse(value);
    if (!Number.isNaN(at)) return Math.max(0, at - now.getTime());
  }
  const reset = headers.get('x-rate-limit-reset') ?? headers.get('x-ratelimit-reset');
  if (reset !== null) {
    const epoch = Number(reset);
    // Mastodon sends an ISO date here, X epoch seconds.
    const at = Number.isFinite(epoch) ? epoch * 1_000 : Date.parse(reset);
    if (!Number.isNaN(at)) return Math.max(0, at - now.getTime());
  }
  return null;
}
