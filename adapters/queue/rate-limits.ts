import { ErrorCode, VigieError } from '../../src/core/errors.js';
import type { RateLimit } from '../../src/jobs/queue.js';

/** Limits registered by prefix; a rate key is paced by the longest prefix it starts with. */
export class RateLimitTable {
  readonly #limits = new Map<string, RateLimit>();

  set(prefix: string, limit: RateLimit): void {
    if (!Number.isInteger(limit.max) || limit.max < 1) {
      throw new VigieError(ErrorCode.InputInvalid, `rate limit "${prefix}": max must be a whole number ≥ 1, got ${limit.max}`);
    }
    if (!Number.isFinite(limit.durationMs) || limit.durationMs <= 0) {
      throw new VigieError(
        ErrorCode.InputInvalid,
        `rate limit "${prefix}": durationMs must be a positive number, got ${limit.durationMs}`,
      );
    }
    this.#limits.set(prefix, { max: limit.max, durationMs: limit.durationMs });
  }

  lookup(rateKey: string): RateLimit | undefined {
    let best: { prefix: string; limit: RateLimit } | undefined;
    for (const [prefix, limit] of this.#limits) {
      if (rateKey.startsWith(prefix) && (best === undefined || prefix.length > best.prefix.length)) {
        best = { prefix, limit };
      }
    }
    return best?.limit;
  }
}
