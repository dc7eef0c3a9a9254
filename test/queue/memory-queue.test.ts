import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryQueue } from '../../adapters/queue/memory/memory-queue.js';
import type { Timers } from '../../src/core/timers.js';
import { type JobContext, PermanentJobError } from '../../src/jobs/queue.js';
import { queueContract, waitFor } from './contract.js';

// Every test here runs on virtual time: no real waiting.
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

queueContract('memory', async () => {
  const queue = createMemoryQueue();
  return { queue, cleanup: () => queue.close() };
});

describe('memory queue: exact timings on virtual time', () => {
  it('fires a Europe/Paris daily schedule at 09:00 Paris time across the spring DST change', async () => {
    vi.setSystemTime(new Date('2026-03-28T00:00:00Z'));
    const queue = createMemoryQueue();
    const runs: string[] = [];
    queue.handle('digest', async () => void runs.push(new Date().toISOString()));
    await queue.start();
    await queue.schedule('morning-digest', { cron: '0 9 * * *', tz: 'Europe/Paris' }, 'digest', {});
    await vi.advanceTimersByTimeAsync(3 * 24 * 3_600_000);
    await queue.close();
    // CET (UTC+1) until Sunday 29 March 2026 at 02:00, CEST (UTC+2) after.
    expect(runs).toEqual(['2026-03-28T08:00:00.000Z', '2026-03-29T07:00:00.000Z', '2026-03-30T07:00:00.000Z']);
  });

  it('waits exactly the exponential backoff between attempts', async () => {
    const queue = createMemoryQueue();
    const t0 = Date.now();
    const at: number[] = [];
    queue.handle('flaky', async () => {
      at.push(Date.now() - t0);
      throw new Error('down');
    });
    await queue.start();
    await queue.add('flaky', {}, { attempts: 4, backoff: { type: 'exponential', delayMs: 1_000 } });
    await vi.advanceTimersByTimeAsync(60_000);
    await queue.close();
    expect(at).toEqual([0, 1_000, 3_000, 7_000]);
  });

  it('paces two channels independently at one post per second, first in first out per channel', async () => {
    const queue = createMemoryQueue();
    const t0 = Date.now();
    const posts: Array<{ key: string; n: number; at: number }> = [];
    queue.setRateLimit('chat:slack:', { max: 1, durationMs: 1_000 });
    queue.handle('deliver', async (job) => {
      const { key, n } = job.data as { key: string; n: number };
      posts.push({ key, n, at: Date.now() - t0 });
    }, { concurrency: 5 });
    await queue.start();
    for (let n = 0; n < 3; n += 1) {
      for (const key of ['chat:slack:C1', 'chat:slack:C2']) await queue.add('deliver', { key, n }, { rateKey: key });
    }
    await vi.advanceTimersByTimeAsync(5_000);
    await queue.close();
    for (const key of ['chat:slack:C1', 'chat:slack:C2']) {
      expect(posts.filter((p) => p.key === key).map(({ n, at }) => ({ n, at }))).toEqual([
        { n: 0, at: 0 },
        { n: 1, at: 1_000 },
        { n: 2, at: 2_000 },
      ]);
    }
  });

  it('does not fire a delay longer than setTimeout can hold early', async () => {
    const queue = createMemoryQueue();
    const runs: number[] = [];
    queue.handle('snooze-wake', async () => void runs.push(Date.now()));
    await queue.start();
    const thirtyDaysMs = 30 * 24 * 3_600_000;
    const t0 = Date.now();
    await queue.add('snooze-wake', {}, { delayMs: thirtyDaysMs });
    await vi.advanceTimersByTimeAsync(thirtyDaysMs - 1);
    expect(runs).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toEqual([t0 + thirtyDaysMs]);
    await queue.close();
  });

  it('tells onFailed once, after the last attempt or a permanent error, and fails jobs without a handler', async () => {
    const failed: Array<{ job: JobContext; error: unknown }> = [];
    const queue = createMemoryQueue({ onFailed: (job, error) => failed.push({ job, error }) });
    queue.handle('flaky', async (job) => {
      if ((job.data as { permanent: boolean }).permanent) throw new PermanentJobError('gone');
      throw new Error('down');
    });
    await queue.start();
    await queue.add('flaky', { permanent: false }, { jobId: 'f1', attempts: 2 });
    await queue.add('flaky', { permanent: true }, { jobId: 'f2', attempts: 5 });
    await queue.add('unknown-name', {}, { jobId: 'f3' });
    await waitFor(() => failed.length === 3, 'three failures');
    await vi.advanceTimersByTimeAsync(1_000);
    await queue.close();
    expect(failed.map((f) => [f.job.id, f.job.attempt, (f.error as Error).message]).sort()).toEqual([
      ['f1', 2, 'down'],
      ['f2', 1, 'gone'],
      ['f3', 1, 'queue: no handler registered for job "unknown-name"'],
    ]);
  });
});

describe('memory queue: injected clock and timers', () => {
  it('runs on a hand-driven clock and timer list, without vitest fake timers', async () => {
    vi.useRealTimers();
    let now = Date.parse('2026-01-01T00:00:00Z');
    const pending: Array<{ at: number; callback: () => void; handle: number }> = [];
    let nextHandle = 0;
    const timers: Timers = {
      setTimeout: (callback, ms) => {
        nextHandle += 1;
        pending.push({ at: now + ms, callback, handle: nextHandle });
        return nextHandle;
      },
      clearTimeout: (handle) => {
        const i = pending.findIndex((t) => t.handle === handle);
        if (i >= 0) pending.splice(i, 1);
      },
    };
    const advanceTo = async (to: number): Promise<void> => {
      for (;;) {
        await new Promise((resolve) => setImmediate(resolve)); // let queued work settle
        pending.sort((a, b) => a.at - b.at);
        const due = pending[0];
        if (due === undefined || due.at > to) break;
        pending.shift();
        now = due.at;
        due.callback();
      }
      now = to;
    };
    const queue = createMemoryQueue({ clock: () => new Date(now), timers });
    const runs: string[] = [];
    queue.handle('escalate', async () => void runs.push(new Date(now).toISOString()));
    await queue.start();
    await queue.add('escalate', {}, { delayMs: 900_000 }); // 15 min
    await advanceTo(now + 899_999);
    expect(runs).toEqual([]);
    await advanceTo(now + 1);
    expect(runs).toEqual(['2026-01-01T00:15:00.000Z']);
    await queue.close();
  });
});
