import { ErrorCode, VigieError } from '../../src/core/errors.js';
import type { AddOptions, BackoffOptions, JobContext } from '../../src/jobs/queue.js';

/** Called once per job that will not run again (attempts exhausted, or a permanent error). */
export type FailedJobListener = (job: JobContext, error: unknown) => void;

/** Delay before the next attempt once attempt `failedAttempt` (1-based) failed: BullMQ's formula. */
export function backoffDelayMs(backoff: BackoffOptions | undefined, failedAttempt: number): number {
  if (backoff === undefined) return 0;
  return backoff.type === 'fixed' ? backoff.delayMs : Math.round(2 ** (failedAttempt - 1) * backoff.delayMs);
}

/** Checks the numbers of `add` options; returns the attempts and delay with their defaults. */
export function checkAddOptions(name: string, options: AddOptions): { attempts: number; delayMs: number } {
  const attempts = options.attempts ?? 1;
  const delayMs = options.delayMs ?? 0;
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new VigieError(ErrorCode.InputInvalid, `job "${name}": attempts must be a whole number ≥ 1, got ${attempts}`);
  }
  assertMs(`job "${name}": delayMs`, delayMs);
  if (options.backoff !== undefined) assertMs(`job "${name}": backoff.delayMs`, options.backoff.delayMs);
  if (options.jobId !== undefined && options.jobId === '') {
    throw new VigieError(ErrorCode.InputInvalid, `job "${name}": jobId must not be empty`);
  }
  return { attempts, delayMs };
}

export function assertMs(what: string, ms: number): void {
  if (!Number.isFinite(ms) || ms < 0) {
    throw new VigieError(ErrorCode.InputInvalid, `${what} must be a number of milliseconds ≥ 0, got ${ms}`);
  }
}

export function assertConcurrency(name: string, concurrency: number): void {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new VigieError(ErrorCode.InputInvalid, `handler "${name}": concurrency must be a whole number ≥ 1, got ${concurrency}`);
  }
}
