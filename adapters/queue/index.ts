import type { Clock } from '../../src/core/clock.js';
import type { JobQueue } from '../../src/jobs/queue.js';
import { createBullmqQueue } from './bullmq/bullmq-queue.js';
import type { FailedJobListener } from './job-options.js';
import { createMemoryQueue } from './memory/memory-queue.js';

export type { BullmqQueueOptions } from './bullmq/bullmq-queue.js';
export { bullmqQueueDefaults, createBullmqQueue } from './bullmq/bullmq-queue.js';
export type { FailedJobListener } from './job-options.js';
export type { MemoryQueueOptions } from './memory/memory-queue.js';
export type { Timers } from '../../src/core/timers.js';
export { createMemoryQueue } from './memory/memory-queue.js';

export interface CreateQueueOptions {
  /** Redis key prefix (BullMQ only). */
  prefix?: string;
  /** BullMQ queue name (BullMQ only). */
  queueName?: string;
  /** Time source of the in-process queue (BullMQ uses Redis' and the process' clocks). */
  clock?: Clock;
  onFailed?: FailedJobListener;
  /** Redis connection and worker errors (BullMQ only). */
  onError?: (err: Error) => void;
}

/** BullMQ when `REDIS_URL` is set, the in-process queue otherwise. Creating it does no I/O. */
export function createQueue(env: { REDIS_URL?: string | undefined }, options: CreateQueueOptions = {}): JobQueue {
  const redisUrl = env.REDIS_URL?.trim();
  if (redisUrl) {
    return createBullmqQueue({
      connection: redisUrl,
      ...(options.prefix !== undefined && { prefix: options.prefix }),
      ...(options.queueName !== undefined && { queueName: options.queueName }),
      ...(options.onFailed !== undefined && { onFailed: options.onFailed }),
      ...(options.onError !== undefined && { onError: options.onError }),
    });
  }
  return createMemoryQueue({
    ...(options.clock !== undefined && { clock: options.clock }),
    ...(options.onFailed !== undefined && { onFailed: options.onFailed }),
  });
}
