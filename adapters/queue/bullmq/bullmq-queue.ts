import { randomUUID } from 'node:crypto';
import { DelayedError, type Job, type JobsOptions, Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { ErrorCode, VigieError } from '../../../src/core/errors.js';
import { QueueName } from '../../../src/jobs/names.js';
import {
  type AddOptions,
  type HandlerOptions,
  type JobContext,
  type JobHandler,
  type JobQueue,
  PermanentJobError,
  type QueueHealth,
  type RateLimit,
  type Schedule,
} from '../../../src/jobs/queue.js';
import { assertConcurrency, assertMs, checkAddOptions, type FailedJobListener } from '../job-options.js';
import { RateLimitTable } from '../rate-limits.js';
import { assertValidSchedule } from '../schedule-check.js';

export interface BullmqQueueOptions {
  /** A Redis URL (the queue opens and closes its own connection) or a client the caller owns. */
  connection: string | Redis;
  /** Redis key prefix; a unique one per test keeps tests apart. */
  prefix?: string;
  queueName?: string;
  /** Told about each job that will not run again: attempts exhausted or a permanent error. */
  onFailed?: FailedJobListener;
  /** Connection and worker errors, which BullMQ reports as events rather than rejections. */
  onError?: (err: Error) => void;
  /** How long `health()` waits for Redis before reporting it down. */
  healthTimeoutMs?: number;
}

export const bullmqQueueDefaults = {
  prefix: 'vigie',
  queueName: QueueName.main,
  healthTimeoutMs: 2_000, // 2 s
  // Failed jobs are kept a while for inspection; completed ones are removed at once, so their id
  // can be used again (the port de-duplicates only pending jobs).
  removeOnFail: { age: 7 * 24 * 3_600, count: 1_000 }, // 7 days (BullMQ counts age in seconds)
} as const;

/** What is stored as a BullMQ job's data: the payload plus what our worker needs to know. */
interface Envelope {
  /** The caller's data. */
  d?: unknown;
  /** Rate key. */
  k?: string;
  /** The caller's job id, when it had to be encoded for BullMQ. */
  id?: string;
}

/**
 * Per-rate-key pacing, atomic across every worker process: a sliding window of start times per key
 * (at most ARGV[2] starts in any ARGV[3] ms) and a paused-until time per key.
 * Returns 0 when the job may start now, else the earliest time (ms) to try again.
 * KEYS[1] start log (sorted set), KEYS[2] paused-until
 * ARGV[1] now (ms), ARGV[2] max (0: no limit, pause only), ARGV[3] window (ms), ARGV[4] unique member
 */
const takeSlotScript = `
local now = tonumber(ARGV[1])
local pausedUntil = tonumber(redis.call('GET', KEYS[2]) or '0')
if pausedUntil > now then return pausedUntil end
local max = tonumber(ARGV[2])
if max == 0 then return 0 end
local window = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < max then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return tonumber(oldest[2]) + window
`;

/** Moves a key's paused-until forward, never back. KEYS[1] paused-until; ARGV[1] until (ms); ARGV[2] ttl (ms). */
const pauseScript = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
return 0
`;

/**
 * The queue port on BullMQ: one Queue and, once started, one Worker that dispatches job names to
 * handlers. Jobs live in Redis, so they survive a restart and are shared by every process.
 */
export function createBullmqQueue(options: BullmqQueueOptions): JobQueue {
  return new BullmqQueue(options);
}

class BullmqQueue implements JobQueue {
  readonly kind = 'bullmq' as const;

  readonly #connection: string | Redis;
  readonly #prefix: string;
  readonly #queueName: string;
  /** Opened on first use: creating the queue object does no I/O. */
  #opened: { redis: Redis; queue: Queue<Envelope> } | undefined;
  readonly #onFailed: FailedJobListener | undefined;
  readonly #onError: (err: Error) => void;
  readonly #healthTimeoutMs: number;
  readonly #handlers = new Map<string, { handler: JobHandler; gate: Gate }>();
  readonly #limits = new RateLimitTable();
  #worker: Worker<Envelope> | undefined;
  #started = false;
  #closing: Promise<void> | undefined;

  constructor(options: BullmqQueueOptions) {
    if (typeof options.connection !== 'string' && options.connection.options.maxRetriesPerRequest !== null) {
      throw new VigieError(
        ErrorCode.ConfigInvalid,
        'queue: the ioredis client given to the BullMQ queue needs `maxRetriesPerRequest: null` (BullMQ workers block on it)',
      );
    }
    this.#connection = options.connection;
    this.#onError = options.onError ?? (() => {});
    this.#prefix = options.prefix ?? bullmqQueueDefaults.prefix;
    this.#queueName = options.queueName ?? bullmqQueueDefaults.queueName;
    this.#onFailed = options.onFailed;
    this.#healthTimeoutMs = options.healthTimeoutMs ?? bullmqQueueDefaults.healthTimeoutMs;
  }

  get #redis(): Redis {
    return this.#open().redis;
  }

  get #queue(): Queue<Envelope> {
    return this.#open().queue;
  }

  #open(): { redis: Redis; queue: Queue<Envelope> } {
    if (this.#opened === undefined) {
      let redis: Redis;
      if (typeof this.#connection === 'string') {
        // A Worker blocks on its connection: BullMQ requires maxRetriesPerRequest null.
        redis = new Redis(this.#connection, { maxRetriesPerRequest: null });
        redis.on('error', this.#onError);
      } else {
        redis = this.#connection;
      }
      const queue = new Queue<Envelope>(this.#queueName, { connection: redis, prefix: this.#prefix });
      queue.on('error', this.#onError);
      this.#opened = { redis, queue };
    }
    return this.#opened;
  }

  handle<T>(name: string, handler: JobHandler<T>, options: HandlerOptions = {}): void {
    if (this.#started) throw new Error(`queue: handler "${name}" registered after start()`);
    if (this.#handlers.has(name)) throw new Error(`queue: a handler for "${name}" is already registered`);
    const concurrency = options.concurrency ?? 1;
    assertConcurrency(name, concurrency);
    this.#handlers.set(name, { handler: handler as JobHandler, gate: new Gate(concurrency) });
  }

  setRateLimit(prefix: string, limit: RateLimit): void {
    this.#limits.set(prefix, limit);
  }

  async add<T>(name: string, data: T, options: AddOptions = {}): Promise<void> {
    this.#assertOpen();
    const { attempts, delayMs } = checkAddOptions(name, options);
    const envelope: Envelope = { d: data };
    if (options.rateKey !== undefined) envelope.k = options.rateKey;
    const jobOptions: JobsOptions = {
      attempts,
      delay: delayMs,
      removeOnComplete: true,
      removeOnFail: bullmqQueueDefaults.removeOnFail,
    };
    if (options.backoff !== undefined) {
      jobOptions.backoff = { type: options.backoff.type, delay: options.backoff.delayMs };
    }
    if (options.jobId !== undefined) {
      envelope.id = options.jobId;
      jobOptions.jobId = encodeJobId(options.jobId);
      // BullMQ ignores an add whose id exists in any state; the port only de-duplicates pending
      // jobs, so a kept failed job must not block a new one with its id.
      const state = await this.#queue.getJobState(jobOptions.jobId);
      if (state === 'failed' || state === 'completed') await this.#queue.remove(jobOptions.jobId);
    }
    await this.#queue.add(name, envelope, jobOptions);
  }

  async cancel(jobId: string): Promise<boolean> {
    const id = encodeJobId(jobId);
    const state = await this.#queue.getJobState(id);
    if (state !== 'waiting' && state !== 'delayed' && state !== 'prioritized') return false;
    // BullMQ refuses to remove a locked (active) job, so a job picked up meanwhile is not removed.
    return (await this.#queue.remove(id)) === 1;
  }

  async schedule<T>(scheduleId: string, schedule: Schedule, name: string, data: T): Promise<void> {
    this.#assertOpen();
    assertValidSchedule(scheduleId, schedule);
    await this.#queue.upsertJobScheduler(
      scheduleId,
      { pattern: schedule.cron, tz: schedule.tz },
      {
        name,
        data: { d: data },
        opts: { removeOnComplete: true, removeOnFail: bullmqQueueDefaults.removeOnFail },
      },
    );
  }

  async unschedule(scheduleId: string): Promise<void> {
    await this.#queue.removeJobScheduler(scheduleId);
  }

  async pause(rateKey: string, ms: number): Promise<void> {
    assertMs(`pause "${rateKey}"`, ms);
    if (ms === 0) return;
    const until = Date.now() + ms;
    await this.#redis.eval(pauseScript, 1, this.#rateKeyKey('paused', rateKey), until, Math.ceil(ms));
  }

  async start(): Promise<void> {
    this.#assertOpen();
    if (this.#started) return;
    this.#started = true;
    await this.#queue.waitUntilReady();
    if (this.#handlers.size === 0) return; // a producer-only process
    let concurrency = 0;
    for (const { gate } of this.#handlers.values()) concurrency += gate.size;
    this.#worker = new Worker<Envelope>(
      this.#queueName,
      (job, token) => this.#process(job, token),
      { connection: this.#redis, prefix: this.#prefix, concurrency },
    );
    this.#worker.on('error', this.#onError);
    await this.#worker.waitUntilReady();
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutDown();
    return this.#closing;
  }

  async health(): Promise<QueueHealth> {
    if (this.#closing !== undefined) return { ok: false, kind: 'bullmq', detail: 'closed' };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Redis did not answer within ${this.#healthTimeoutMs} ms`)),
        this.#healthTimeoutMs,
      );
    });
    try {
      // With maxRetriesPerRequest null a command waits for Redis forever: hence the timeout.
      const waiting = await Promise.race([
        this.#redis.ping().then(() => this.#queue.getWaitingCount()),
        timeout,
      ]);
      return { ok: true, kind: 'bullmq', waiting };
    } catch (err) {
      return { ok: false, kind: 'bullmq', detail: err instanceof Error ? err.message : String(err) };
    } finally {
      clearTimeout(timer);
    }
  }

  async #shutDown(): Promise<void> {
    const opened = this.#opened;
    if (opened === undefined) return;
    try {
      // Stops fetching and waits for the jobs in progress (https://docs.bullmq.io/guide/workers/graceful-shutdown).
      await this.#worker?.close();
    } finally {
      await opened.queue.close();
      // worker.close() leaves a client it was given open; this one is ours. QUIT would wait forever
      // for a Redis that is down (maxRetriesPerRequest null), so drop the socket then.
      if (typeof this.#connection === 'string') {
        if (opened.redis.status === 'ready') await opened.redis.quit().catch(() => opened.redis.disconnect());
        else opened.redis.disconnect();
      }
    }
  }

  #assertOpen(): void {
    if (this.#closing !== undefined) throw new VigieError(ErrorCode.QueueUnavailable, 'queue: closed');
  }

  async #process(job: Job<Envelope>, token: string | undefined): Promise<void> {
    const envelope = readEnvelope(job.data);
    const context: JobContext = {
      id: envelope.id ?? job.id ?? '',
      name: job.name,
      data: envelope.d,
      // attemptsMade counts failed attempts only: a move back to delayed for pacing is not one.
      attempt: job.attemptsMade + 1,
    };
    const registered = this.#handlers.get(job.name);
    if (registered === undefined) {
      const err = new PermanentJobError(`queue: no handler registered for job "${job.name}"`);
      this.#reportFailed(context, err);
      throw unrecoverable(err);
    }
    const release = await registered.gate.acquire();
    try {
      if (envelope.k !== undefined) {
        const retryAt = await this.#takeSlot(envelope.k, `${job.id}:${context.attempt}:${randomUUID()}`);
        if (retryAt !== undefined) {
          // Back to delayed without using an attempt (moveToDelayed skips the attempt counter).
          await job.moveToDelayed(retryAt, token);
          throw new DelayedError();
        }
      }
      await registered.handler(context);
    } catch (err) {
      if (err instanceof DelayedError) throw err;
      if (err instanceof PermanentJobError) {
        this.#reportFailed(context, err);
        throw unrecoverable(err);
      }
      if (context.attempt >= (job.opts.attempts ?? 1)) this.#reportFailed(context, err);
      throw err instanceof Error ? err : new Error(String(err));
    } finally {
      release();
    }
  }

  /** Undefined when the job may start now, else the time (ms) to try again. */
  async #takeSlot(rateKey: string, member: string): Promise<number | undefined> {
    const limit = this.#limits.lookup(rateKey);
    const retryAt = await this.#redis.eval(
      takeSlotScript,
      2,
      this.#rateKeyKey('slots', rateKey),
      this.#rateKeyKey('paused', rateKey),
      Date.now(),
      limit?.max ?? 0,
      limit?.durationMs ?? 0,
      member,
    );
    return typeof retryAt === 'number' && retryAt > 0 ? retryAt : undefined;
  }

  #rateKeyKey(kind: 'slots' | 'paused', rateKey: string): string {
    return `${this.#prefix}:${this.#queueName}:vigie-rate-${kind}:${rateKey}`;
  }

  #reportFailed(context: JobContext, err: unknown): void {
    try {
      this.#onFailed?.(context, err);
    } catch {
      // A failing listener must not change the job's outcome.
    }
  }
}

/**
 * BullMQ refuses custom ids that contain `:` or look like integers
 * (https://docs.bullmq.io/guide/jobs/job-ids); ours are free-form, so encode them one-to-one.
 */
export function encodeJobId(jobId: string): string {
  return `u.${encodeURIComponent(jobId)}`;
}

function readEnvelope(data: unknown): Envelope {
  if (data === null || typeof data !== 'object') return { d: data };
  const raw = data as Record<string, unknown>;
  const envelope: Envelope = { d: raw.d };
  if (typeof raw.k === 'string') envelope.k = raw.k;
  if (typeof raw.id === 'string') envelope.id = raw.id;
  return envelope;
}

function unrecoverable(err: Error): UnrecoverableError {
  const wrapped = new UnrecoverableError(err.message);
  wrapped.cause = err;
  return wrapped;
}

/** Caps how many jobs of one name run at once in this process (the Worker's concurrency is the sum). */
class Gate {
  readonly size: number;
  #running = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(size: number) {
    this.size = size;
  }

  async acquire(): Promise<() => void> {
    if (this.#running >= this.size) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#running += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next === undefined) this.#running -= 1;
      else next(); // the slot passes straight to the next waiter
    };
  }
}
