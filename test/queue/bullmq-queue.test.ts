import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bullmqQueueDefaults, createBullmqQueue } from '../../adapters/queue/bullmq/bullmq-queue.js';
import { cronFor } from '../../adapters/queue/schedule-check.js';
import { type JobQueue, PermanentJobError } from '../../src/jobs/queue.js';
import { redisAvailable, skipUnlessRequired, testRedisUrl } from '../support/services.js';
import { queueContract, waitFor } from './contract.js';

const redisUrl = testRedisUrl();
const skip = skipUnlessRequired('Redis', await redisAvailable(redisUrl), redisUrl);

describe.skipIf(skip)(`bullmq queue (Redis at ${redisUrl})`, () => {
  let admin: Redis;
  beforeAll(() => {
    admin = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    await admin.quit();
  });

  /** Removes every key under a test's prefix: BullMQ's and the rate-key ones. */
  async function removePrefix(prefix: string): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await admin.del(...keys);
    } while (cursor !== '0');
  }

  queueContract('bullmq', async () => {
    const prefix = `test-${randomUUID()}`;
    const queue = createBullmqQueue({ connection: redisUrl, prefix });
    return {
      queue,
      cleanup: async () => {
        await queue.close();
        await removePrefix(prefix);
      },
    };
  });

  describe('bullmq queue: Redis-specific behaviour', () => {
    it('keeps a delayed job across a restart: a new queue object on the same prefix runs it', async () => {
      const prefix = `test-${randomUUID()}`;
      try {
        const before = createBullmqQueue({ connection: redisUrl, prefix });
        await before.add('snooze-wake', { ticket: 7 }, { jobId: 'snooze:7', delayMs: 300 });
        await before.close();

        const runs: Array<{ id: string; data: unknown }> = [];
        const after = createBullmqQueue({ connection: redisUrl, prefix });
        after.handle('snooze-wake', async (job) => void runs.push({ id: job.id, data: job.data }));
        await after.start();
        await waitFor(() => runs.length === 1, 'the job added before the restart');
        await after.close();
        expect(runs).toEqual([{ id: 'snooze:7', data: { ticket: 7 } }]);
      } finally {
        await removePrefix(prefix);
      }
    });

    it('paces a rate key across two processes sharing the queue', async () => {
      const prefix = `test-${randomUUID()}`;
      const starts: number[] = [];
      const workers: JobQueue[] = [];
      try {
        for (let i = 0; i < 2; i += 1) {
          const worker = createBullmqQueue({ connection: redisUrl, prefix });
          worker.setRateLimit('chat:', { max: 1, durationMs: 200 });
          worker.handle('deliver', async () => void starts.push(Date.now()), { concurrency: 3 });
          workers.push(worker);
        }
        await Promise.all(workers.map((w) => w.start()));
        for (let i = 0; i < 4; i += 1) await workers[0]!.add('deliver', { i }, { rateKey: 'chat:slack:C1' });
        await waitFor(() => starts.length === 4, 'four deliveries');
        const sorted = [...starts].sort((a, b) => a - b);
        for (let i = 1; i < sorted.length; i += 1) expect(sorted[i]! - sorted[i - 1]!).toBeGreaterThanOrEqual(200 - 30);
      } finally {
        await Promise.all(workers.map((w) => w.close()));
        await removePrefix(prefix);
      }
    });

    it('hands BullMQ a Europe/Paris cron whose next run is 09:00 Paris time', async () => {
      const prefix = `test-${randomUUID()}`;
      const queue = createBullmqQueue({ connection: redisUrl, prefix });
      const inspector = new Queue(bullmqQueueDefaults.queueName, { connection: admin.duplicate(), prefix });
      try {
        const schedule = { cron: '0 9 * * *', tz: 'Europe/Paris' };
        await queue.schedule('morning-digest', schedule, 'digest', { team: 'crisis' });
        const scheduler = await inspector.getJobScheduler('morning-digest');
        expect(scheduler).toMatchObject({ pattern: '0 9 * * *', tz: 'Europe/Paris' });
        const next = scheduler?.next ?? 0;
        expect(next).toBe(cronFor(schedule).nextRun(new Date())?.getTime());
        const parisTime = new Intl.DateTimeFormat('en-GB', {
          timeZone: 'Europe/Paris',
          hourCycle: 'h23',
          hour: '2-digit',
          minute: '2-digit',
        }).format(new Date(next));
        expect(parisTime).toBe('09:00');
      } finally {
        await inspector.close();
        await queue.close();
        await removePrefix(prefix);
      }
    });

    it('takes an ioredis client the caller owns, and leaves it open on close', async () => {
      const prefix = `test-${randomUUID()}`;
      const wrong = new Redis(redisUrl, { lazyConnect: true });
      try {
        expect(() => createBullmqQueue({ connection: wrong, prefix })).toThrow(/maxRetriesPerRequest: null/);
      } finally {
        wrong.disconnect();
      }
      const client = new Redis(redisUrl, { maxRetriesPerRequest: null });
      try {
        const runs: number[] = [];
        const queue = createBullmqQueue({ connection: client, prefix });
        queue.handle('digest', async () => void runs.push(1));
        await queue.start();
        await queue.add('digest', {});
        await waitFor(() => runs.length === 1, 'the job');
        await queue.close();
        expect(await client.ping()).toBe('PONG');
      } finally {
        await client.quit();
        await removePrefix(prefix);
      }
    });

    it('marks a PermanentJobError job failed at once in Redis, and removes completed jobs', async () => {
      const prefix = `test-${randomUUID()}`;
      const queue = createBullmqQueue({ connection: redisUrl, prefix });
      const inspector = new Queue(bullmqQueueDefaults.queueName, { connection: admin.duplicate(), prefix });
      try {
        queue.handle('deliver', async (job) => {
          if ((job.data as { ok: boolean }).ok) return;
          throw new PermanentJobError('channel archived');
        });
        await queue.start();
        await queue.add('deliver', { ok: true }, { jobId: 'ok' });
        await queue.add('deliver', { ok: false }, { jobId: 'doomed', attempts: 5, backoff: { type: 'fixed', delayMs: 10 } });
        const counts = await eventually(
          () => inspector.getJobCounts('failed', 'completed', 'delayed', 'wait', 'active'),
          (c) => c.failed === 1 && c.active === 0 && c.wait === 0,
          'the failure to be recorded',
        );
        expect(counts).toMatchObject({ failed: 1, completed: 0, delayed: 0 });
        const [failed] = await inspector.getFailed();
        expect(failed?.attemptsMade).toBe(1);
        expect(failed?.failedReason).toBe('channel archived');
      } finally {
        await inspector.close();
        await queue.close();
        await removePrefix(prefix);
      }
    });

    it('reports an unreachable Redis as unhealthy within its timeout', async () => {
      const queue = createBullmqQueue({ connection: 'redis://127.0.0.1:1', healthTimeoutMs: 300 });
      const health = await queue.health();
      expect(health.ok).toBe(false);
      expect(health.kind).toBe('bullmq');
      await queue.close();
    });
  });
});

/** Reads until `ok(value)`, every 20 ms, failing after `timeoutMs`. */
async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, timeoutMs = 5_000): Promise<T> {
  const startedAt = Date.now();
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() - startedAt > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
