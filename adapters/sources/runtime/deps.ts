import { type Clock, systemClock } from '../../../src/core/clock.js';
import type { Logger } from '../../../src/ops/logger.js';
import { type BackoffPolicy, DEFAULT_BACKOFF } from './backoff.js';
import { type SourceTimers, systemTimers } from './timers.js';

/** What every source takes besides its own settings; everything but the logger has a production default. */
export interface SourceRuntimeDeps {
  logger: Logger;
  clock?: Clock;
  /** In [0, 1): jitter. */
  random?: () => number;
  timers?: SourceTimers;
  backoff?: BackoffPolicy;
}

export interface SourceRuntime {
  logger: Logger;
  clock: Clock;
  random: () => number;
  timers: SourceTimers;
  backoff: BackoffPolicy;
}

export function runtimeOf(deps: SourceRuntimeDeps): SourceRuntime {
  return {
    logger: deps.logger,
    clock: deps.clock ?? systemClock,
    random: deps.random ?? Math.random,
    timers: deps.timers ?? systemTimers,
    backoff: deps.backoff ?? DEFAULT_BACKOFF,
  };
}

/** An error's message for logs and health, without stack or secrets. */
export function reasonOf(err: unknown): string {
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? ` (${err.cause.message})` : '';
    return `${err.message}${cause}`;
  }
  return String(err);
}
