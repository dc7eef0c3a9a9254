/**
 * The job-queue port. Two implementations pass the same contract suite (test/queue/contract.ts):
 * BullMQ when REDIS_URL is set, in-process otherwise. Job names are declared once in `jobs/names.ts`.
 */

export interface JobContext<T = unknown> {
  id: string;
  name: string;
  data: T;
  /** 1 for the first attempt. */
  attempt: number;
}

export type JobHandler<T = unknown> = (job: JobContext<T>) => Promise<void>;

export interface BackoffOptions {
  type: 'fixed' | 'exponential';
  delayMs: number;
}

export interface AddOptions {
  /** De-duplication: a job with the id of a pending (waiting, delayed or active) job is not added again. */
  jobId?: string;
  delayMs?: number;
  /** Total attempts including the first; default 1. */
  attempts?: number;
  backoff?: BackoffOptions;
  /** Jobs sharing a rate key are paced by the limit registered for that key's prefix. */
  rateKey?: string;
}

export interface RateLimit {
  /** Jobs allowed per `durationMs` for each distinct rate key. */
  max: number;
  durationMs: number;
}

export interface HandlerOptions {
  concurrency?: number;
}

export interface Schedule {
  /** Five- or six-field cron pattern. */
  cron: string;
  /** IANA time zone, validated by the caller's config. */
  tz: string;
}

export interface QueueHealth {
  ok: boolean;
  kind: 'memory' | 'bullmq';
  detail?: string;
  waiting?: number;
}

export interface JobQueue {
  readonly kind: 'memory' | 'bullmq';
  /** Registers the handler for a job name; call before `start()`. */
  handle<T>(name: string, handler: JobHandler<T>, options?: HandlerOptions): void;
  /** Sets the pace for every rate key starting with `prefix` (e.g. `chat:`). */
  setRateLimit(prefix: string, limit: RateLimit): void;
  add<T>(name: string, data: T, options?: AddOptions): Promise<void>;
  /** Removes a waiting or delayed job; true if one was removed. */
  cancel(jobId: string): Promise<boolean>;
  /** Creates or replaces a repeating job. */
  schedule<T>(scheduleId: string, schedule: Schedule, name: string, data: T): Promise<void>;
  unschedule(scheduleId: string): Promise<void>;
  /** Pushes back every job of `rateKey` by `ms` (a chat platform's 429 Retry-After). */
  pause(rateKey: string, ms: number): Promise<void>;
  start(): Promise<void>;
  /** Stops taking jobs, waits for in-flight ones, releases connections. */
  close(): Promise<void>;
  health(): Promise<QueueHealth>;
}

/** Thrown by a handler for a job that can never succeed: it is not retried. */
export class PermanentJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentJobError';
  }
}
