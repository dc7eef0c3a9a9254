import { randomUUID } from 'node:crypto';
import type { Cron } from 'croner';
import { type Clock, systemClock } from '../../../src/core/clock.js';
import { ErrorCode, VigieError } from '../../../src/core/errors.js';
import {
  type AddOptions,
  type BackoffOptions,
  type HandlerOptions,
  type JobContext,
  type JobHandler,
  type JobQueue,
  PermanentJobError,
  type QueueHealth,
  type RateLimit,
  type Schedule,
} from '../../../src/jobs/queue.js';
import {
  assertConcurrency,
  assertMs,
  backoffDelayMs,
  checkAddOptions,
  type FailedJobListener,
} from '../job-options.js';
import { RateLimitTable } from '../rate-limits.js';
import { assertValidSchedule, cronFor } from '../schedule-check.js';
import { globalTimers, type Timers } from '../../../src/core/timers.js';

export interface MemoryQueueOptions {
  /** Defaults to the system clock (which vitest's fake timers also fake). */
  clock?: Clock;
  timers?: Timers;
  /** Told about each job that will not run again: attempts exhausted or a permanent error. */
  onFailed?: FailedJobListener;
}

// Node fires a longer timeout at once; longer waits are taken in steps.
const MAX_TIMER_MS = 2_147_483_647; // about 24.8 days

interface PendingJob {
  readonly id: string;
  readonly name: string;
  readonly data: unknown;
  readonly attempts: number;
  readonly backoff: BackoffOptions | undefined;
  readonly rateKey: string | undefined;
  /** 1-based number of the attempt that runs next (or is running). */
  attempt: number;
  /** Not before this time (ms since epoch): its delay, its backoff or its rate key's next slot. */
  runAt: number;
  active: boolean;
}

interface RegisteredHandler {
  readonly handler: JobHandler;
  readonly concurrency: number;
  running: number;
}

interface RateKeyState {
  /** Start times within the last window, oldest first. */
  starts: number[];
  pausedUntil: number;
}

interface ScheduleEntry {
  readonly cron: Cron;
  readonly name: string;
  readonly data: unknown;
  nextAt: number;
  timer: unknown;
}

/**
 * In-process implementation of the queue port, for the embedded default. Its memory is lost on
 * restart by nature: the application re-creates pending work from the database at start, which is
 * why `add` with the id of a pending job is a no-op.
 */
export function createMemoryQueue(options: MemoryQueueOptions = {}): JobQueue {
  return new MemoryQueue(options);
}

class MemoryQueue implements JobQueue {
  readonly kind = 'memory' as const;

  readonly #clock: Clock;
  readonly #timers: Timers;
  readonly #onFailed: FailedJobListener | undefined;
  readonly #handlers = new Map<string, RegisteredHandler>();
  readonly #limits = new RateLimitTable();
  readonly #rateKeys = new Map<string, RateKeyState>();
  /** Pending jobs (waiting, delayed or active) in the order they are considered. */
  readonly #jobs = new Map<string, PendingJob>();
  readonly #schedules = new Map<string, ScheduleEntry>();
  readonly #inFlight = new Set<Promise<void>>();
  #freeSlots = 0;
  #started = false;
  #closing: Promise<void> | undefined;
  #pumpQueued = false;
  #wake: { at: number; timer: unknown } | undefined;

  constructor(options: MemoryQueueOptions) {
    this.#clock = options.clock ?? systemClock;
    this.#timers = options.timers ?? globalTimers;
    this.#onFailed = options.onFailed;
  }

  handle<T>(name: string, handler: JobHandler<T>, options: HandlerOptions = {}): void {
    if (this.#started) throw new Error(`queue: handler "${name}" registered after start()`);
    if (this.#handlers.has(name)) throw new Error(`queue: a handler for "${name}" is already registered`);
    const concurrency = options.concurrency ?? 1;
    assertConcurrency(name, concurrency);
    this.#handlers.set(name, { handler: handler as JobHandler, concurrency, running: 0 });
    this.#freeSlots += concurrency;
  }

  setRateLimit(prefix: string, limit: RateLimit): void {
    this.#limits.set(prefix, limit);
    this.#schedulePump();
  }

  async add<T>(name: string, data: T, options: AddOptions = {}): Promise<void> {
    this.#assertOpen();
    const { attempts, delayMs } = checkAddOptions(name, options);
    const id = options.jobId ?? randomUUID();
    if (this.#jobs.has(id)) return;
    this.#jobs.set(id, {
      id,
      name,
      data: serialised(data),
      attempts,
      backoff: options.backoff,
      rateKey: options.rateKey,
      attempt: 1,
      runAt: this.#now() + delayMs,
      active: false,
    });
    this.#schedulePump();
  }

  async cancel(jobId: string): Promise<boolean> {
    const job = this.#jobs.get(jobId);
    if (job === undefined || job.active) return false;
    this.#jobs.delete(jobId);
    return true;
  }

  async schedule<T>(scheduleId: string, schedule: Schedule, name: string, data: T): Promise<void> {
    this.#assertOpen();
    assertValidSchedule(scheduleId, schedule);
    this.#dropSchedule(scheduleId);
    const entry: ScheduleEntry = { cron: cronFor(schedule), name, data: serialised(data), nextAt: 0, timer: undefined };
    this.#schedules.set(scheduleId, entry);
    this.#armSchedule(scheduleId, entry, this.#now());
  }

  async unschedule(scheduleId: string): Promise<void> {
    this.#dropSchedule(scheduleId);
  }

  async pause(rateKey: string, ms: number): Promise<void> {
    assertMs(`pause "${rateKey}"`, ms);
    const state = this.#rateKeyState(rateKey);
    state.pausedUntil = Math.max(state.pausedUntil, this.#now() + ms);
  }

  async start(): Promise<void> {
    this.#assertOpen();
    this.#started = true;
    this.#schedulePump();
  }

  close(): Promise<void> {
    this.#closing ??= this.#drain();
    return this.#closing;
  }

  async health(): Promise<QueueHealth> {
    if (this.#closing !== undefined) return { ok: false, kind: 'memory', detail: 'closed' };
    const now = this.#now();
    let waiting = 0;
    for (const job of this.#jobs.values()) if (!job.active && job.runAt <= now) waiting += 1;
    return { ok: true, kind: 'memory', waiting };
  }

  async #drain(): Promise<void> {
    this.#clearWake();
    for (const id of [...this.#schedules.keys()]) this.#dropSchedule(id);
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  #assertOpen(): void {
    if (this.#closing !== undefined) throw new VigieError(ErrorCode.QueueUnavailable, 'queue: closed');
  }

  #now(): number {
    return this.#clock().getTime();
  }

  /** Coalesces a burst of adds and completions into one pass over the pending jobs. */
  #schedulePump(): void {
    if (this.#pumpQueued) return;
    this.#pumpQueued = true;
    queueMicrotask(() => {
      this.#pumpQueued = false;
      this.#pump();
    });
  }

  #pump(): void {
    if (!this.#started || this.#closing !== undefined) return;
    const now = this.#now();
    let wakeAt = Number.POSITIVE_INFINITY;
    for (const job of this.#jobs.values()) {
      // Every handler busy: a completion pumps again, no timer needed.
      if (this.#freeSlots === 0) return;
      if (job.active) continue;
      if (job.runAt > now) {
        wakeAt = Math.min(wakeAt, job.runAt);
        continue;
      }
      const registered = this.#handlers.get(job.name);
      if (registered === undefined) {
        this.#jobs.delete(job.id);
        this.#reportFailed(job, new PermanentJobError(`queue: no handler registered for job "${job.name}"`));
        continue;
      }
      if (registered.running >= registered.concurrency) continue;
      if (job.rateKey !== undefined) {
        const retryAt = this.#takeSlot(job.rateKey, now);
        if (retryAt !== undefined) {
          job.runAt = retryAt;
          wakeAt = Math.min(wakeAt, retryAt);
          continue;
        }
      }
      this.#run(job, registered);
    }
    if (wakeAt !== Number.POSITIVE_INFINITY) this.#wakeAt(wakeAt);
  }

  #run(job: PendingJob, registered: RegisteredHandler): void {
    job.active = true;
    registered.running += 1;
    this.#freeSlots -= 1;
    const context: JobContext = { id: job.id, name: job.name, data: job.data, attempt: job.attempt };
    const run: Promise<void> = Promise.resolve()
      .then(() => registered.handler(context))
      .then(
        () => {
          this.#jobs.delete(job.id);
        },
        (err: unknown) => this.#afterFailure(job, context, err),
      )
      .finally(() => {
        registered.running -= 1;
        this.#freeSlots += 1;
        this.#inFlight.delete(run);
        this.#schedulePump();
      });
    this.#inFlight.add(run);
  }

  #afterFailure(job: PendingJob, context: JobContext, err: unknown): void {
    if (err instanceof PermanentJobError || job.attempt >= job.attempts) {
      this.#jobs.delete(job.id);
      this.#reportFailed(context, err);
      return;
    }
    job.runAt = this.#now() + backoffDelayMs(job.backoff, job.attempt);
    job.attempt += 1;
    job.active = false;
    // A retry goes to the back of the line, as in BullMQ.
    this.#jobs.delete(job.id);
    this.#jobs.set(job.id, job);
  }

  #reportFailed(job: Pick<JobContext, 'id' | 'name' | 'data' | 'attempt'>, err: unknown): void {
    try {
      this.#onFailed?.({ id: job.id, name: job.name, data: job.data, attempt: job.attempt }, err);
    } catch {
      // A failing listener must not stop the queue.
    }
  }

  /** Takes a slot for `rateKey` now, or returns the earliest time to try again. */
  #takeSlot(rateKey: string, now: number): number | undefined {
    const state = this.#rateKeyState(rateKey);
    if (state.pausedUntil > now) return state.pausedUntil;
    const limit = this.#limits.lookup(rateKey);
    if (limit === undefined) return undefined;
    // Sliding window: at most `max` starts in any `durationMs`, the same rule as the Redis script.
    while (state.starts.length > 0 && state.starts[0]! <= now - limit.durationMs) state.starts.shift();
    if (state.starts.length < limit.max) {
      state.starts.push(now);
      return undefined;
    }
    return state.starts[0]! + limit.durationMs;
  }

  #rateKeyState(rateKey: string): RateKeyState {
    let state = this.#rateKeys.get(rateKey);
    if (state === undefined) {
      state = { starts: [], pausedUntil: 0 };
      this.#rateKeys.set(rateKey, state);
    }
    return state;
  }

  #wakeAt(at: number): void {
    if (this.#wake !== undefined && this.#wake.at <= at) return;
    this.#clearWake();
    const wake = {
      at,
      timer: this.#setTimer(at, () => {
        if (this.#wake === wake) this.#wake = undefined;
        this.#pump();
      }),
    };
    this.#wake = wake;
  }

  #clearWake(): void {
    if (this.#wake === undefined) return;
    this.#timers.clearTimeout(this.#wake.timer);
    this.#wake = undefined;
  }

  #setTimer(at: number, callback: () => void): unknown {
    const ms = Math.min(Math.max(at - this.#now(), 0), MAX_TIMER_MS);
    return this.#timers.setTimeout(callback, ms);
  }

  #armSchedule(scheduleId: string, entry: ScheduleEntry, from: number): void {
    const next = entry.cron.nextRun(new Date(from));
    if (next === null) {
      this.#schedules.delete(scheduleId);
      return;
    }
    entry.nextAt = next.getTime();
    entry.timer = this.#setTimer(entry.nextAt, () => this.#fireSchedule(scheduleId, entry));
  }

  #fireSchedule(scheduleId: string, entry: ScheduleEntry): void {
    if (this.#schedules.get(scheduleId) !== entry || this.#closing !== undefined) return;
    const now = this.#now();
    if (now < entry.nextAt) {
      // A long wait taken in steps, or a timer that ran ahead of an injected clock.
      entry.timer = this.#setTimer(entry.nextAt, () => this.#fireSchedule(scheduleId, entry));
      return;
    }
    const id = `schedule:${scheduleId}:${entry.nextAt}`;
    if (!this.#jobs.has(id)) {
      this.#jobs.set(id, {
        id,
        name: entry.name,
        data: entry.data,
        attempts: 1,
        backoff: undefined,
        rateKey: undefined,
        attempt: 1,
        runAt: entry.nextAt,
        active: false,
      });
      this.#schedulePump();
    }
    // Runs missed while the process slept are skipped, not piled up (BullMQ does the same).
    this.#armSchedule(scheduleId, entry, Math.max(now, entry.nextAt));
  }

  #dropSchedule(scheduleId: string): void {
    const entry = this.#schedules.get(scheduleId);
    if (entry === undefined) return;
    this.#timers.clearTimeout(entry.timer);
    this.#schedules.delete(scheduleId);
  }
}

/** Job data goes through JSON as it does in Redis, so both queues hand handlers the same values. */
function serialised<T>(data: T): unknown {
  return data === undefined ? undefined : JSON.parse(JSON.stringify(data));
}
