import { describe, expect, it, vi } from 'vitest';
import { type JobContext, type JobQueue, PermanentJobError } from '../../src/jobs/queue.js';

/**
 * The queue port's contract, run against every implementation. It runs on real time (BullMQ) or,
 * when the calling file installs `vi.useFakeTimers()`, on virtual time: tests let time pass only
 * through `elapse`/`waitFor`, and handlers wait only with plain timers (`delay`).
 *
 * Timing assertions are lower bounds computed from recorded `Date.now()` values (a job never runs
 * early, a rate window is never exceeded) and orderings; upper bounds are only liveness timeouts.
 */
export function queueContract(
  name: string,
  factory: () => Promise<{ queue: JobQueue; cleanup: () => Promise<void> }>,
): void {
  async function withQueue(body: (queue: JobQueue) => Promise<void>): Promise<void> {
    const { queue, cleanup } = await factory();
    try {
      await body(queue);
    } finally {
      await cleanup();
    }
  }

  describe(`${name}: queue contract`, () => {
    it('runs each job with the handler registered for its name, with its data as JSON', async () => {
      await withQueue(async (queue) => {
        const seen: Array<{ handler: string; job: JobContext }> = [];
        queue.handle('alpha', async (job) => void seen.push({ handler: 'alpha', job }));
        queue.handle('beta', async (job) => void seen.push({ handler: 'beta', job }));
        await queue.start();
        await queue.add('beta', { when: new Date(0), n: 2 });
        await queue.add('alpha', { n: 1 });
        await waitFor(() => seen.length === 2, 'both jobs');
        const alpha = seen.find((s) => s.handler === 'alpha');
        const beta = seen.find((s) => s.handler === 'beta');
        expect(alpha?.job).toMatchObject({ name: 'alpha', data: { n: 1 }, attempt: 1 });
        // Data crosses the queue as JSON in every implementation: a Date arrives as its ISO string.
        expect(beta?.job).toMatchObject({ name: 'beta', data: { when: '1970-01-01T00:00:00.000Z', n: 2 }, attempt: 1 });
        expect(typeof alpha?.job.id).toBe('string');
      });
    });

    it('refuses a handler registered after start()', async () => {
      await withQueue(async (queue) => {
        await queue.start();
        expect(() => queue.handle('late', async () => {})).toThrow(/after start/);
      });
    });

    it('retries a failing job with fixed backoff, then gives up after `attempts`', async () => {
      await withQueue(async (queue) => {
        const calls: Array<{ attempt: number; at: number }> = [];
        queue.handle('flaky', async (job) => {
          calls.push({ attempt: job.attempt, at: Date.now() });
          throw new Error('always fails');
        });
        await queue.start();
        await queue.add('flaky', {}, { attempts: 3, backoff: { type: 'fixed', delayMs: 100 } });
        await waitFor(() => calls.length === 3, 'three attempts');
        await elapse(400); // room for a fourth attempt, which must not come
        expect(calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
        expect(gaps(calls.map((c) => c.at)).every((gap) => gap >= 100 - slackMs)).toBe(true);
      });
    });

    it('retries with exponential backoff and stops once an attempt succeeds', async () => {
      await withQueue(async (queue) => {
        const calls: Array<{ attempt: number; at: number }> = [];
        queue.handle('recovering', async (job) => {
          calls.push({ attempt: job.attempt, at: Date.now() });
          if (job.attempt < 3) throw new Error(`attempt ${job.attempt} fails`);
        });
        await queue.start();
        await queue.add('recovering', {}, { attempts: 5, backoff: { type: 'exponential', delayMs: 100 } });
        await waitFor(() => calls.length === 3, 'the third attempt');
        await elapse(500); // a fourth attempt would come within 400 ms
        expect(calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
        const [first, second] = gaps(calls.map((c) => c.at));
        expect(first).toBeGreaterThanOrEqual(100 - slackMs); // 100 × 2⁰
        expect(second).toBeGreaterThanOrEqual(200 - slackMs); // 100 × 2¹
      });
    });

    it('does not retry a job that throws PermanentJobError, and keeps running other jobs', async () => {
      await withQueue(async (queue) => {
        const calls: string[] = [];
        queue.handle('doomed', async (job) => {
          calls.push((job.data as { v: string }).v);
          if ((job.data as { v: string }).v === 'bad') throw new PermanentJobError('can never succeed');
        });
        await queue.start();
        await queue.add('doomed', { v: 'bad' }, { attempts: 5, backoff: { type: 'fixed', delayMs: 50 } });
        await waitFor(() => calls.length === 1, 'the first attempt');
        await queue.add('doomed', { v: 'good' });
        await waitFor(() => calls.includes('good'), 'the next job');
        await elapse(300); // five 50 ms retries would have come by now
        expect(calls.filter((v) => v === 'bad')).toHaveLength(1);
      });
    });

    it('runs a delayed job no earlier than its delay, after a later job without delay', async () => {
      await withQueue(async (queue) => {
        const runs: Array<{ v: string; at: number }> = [];
        queue.handle('timed', async (job) => void runs.push({ v: (job.data as { v: string }).v, at: Date.now() }));
        await queue.start();
        const addedAt = Date.now();
        await queue.add('timed', { v: 'later' }, { delayMs: 300 });
        await queue.add('timed', { v: 'now' });
        await waitFor(() => runs.length === 2, 'both jobs');
        expect(runs.map((r) => r.v)).toEqual(['now', 'later']);
        expect(runs[1]!.at - addedAt).toBeGreaterThanOrEqual(300);
      });
    });

    it('ignores an add whose job id is pending (delayed or active), and accepts it once the job is done', async () => {
      await withQueue(async (queue) => {
        const runs: Array<{ id: string; v: string }> = [];
        let release: () => void = () => {};
        const gate = new Promise<void>((resolve) => {
          release = resolve;
        });
        queue.handle('once', async (job) => {
          const data = job.data as { v: string; block?: boolean };
          runs.push({ id: job.id, v: data.v });
          if (data.block) await gate;
        });
        await queue.start();

        // Pending as a delayed job; ids may hold ':' and look like integers.
        await queue.add('once', { v: 'first' }, { jobId: 'deliver:1', delayMs: 200 });
        await queue.add('once', { v: 'second' }, { jobId: 'deliver:1' });
        await waitFor(() => runs.length === 1, 'the delayed job');
        await elapse(300);
        expect(runs).toEqual([{ id: 'deliver:1', v: 'first' }]);

        // Pending as an active job.
        await queue.add('once', { v: 'blocking', block: true }, { jobId: '42' });
        await waitFor(() => runs.length === 2, 'the blocking job to start');
        await queue.add('once', { v: 'while active' }, { jobId: '42' });
        release();
        await elapse(300);
        expect(runs.map((r) => r.v)).toEqual(['first', 'blocking']);

        // Done: the id can be used again (re-enqueueing from the database at start is safe).
        await queue.add('once', { v: 'again' }, { jobId: '42' });
        await waitFor(() => runs.length === 3, 'the re-added job');
        expect(runs[2]).toEqual({ id: '42', v: 'again' });
      });
    });

    it('cancels a waiting or delayed job, but not an active or unknown one', async () => {
      await withQueue(async (queue) => {
        const runs: string[] = [];
        let release: () => void = () => {};
        const gate = new Promise<void>((resolve) => {
          release = resolve;
        });
        queue.handle('cancellable', async (job) => {
          const data = job.data as { v: string; block?: boolean };
          runs.push(data.v);
          if (data.block) await gate;
        });
        await queue.add('cancellable', { v: 'waiting' }, { jobId: 'c:waiting' }); // not started yet: waiting
        expect(await queue.cancel('c:waiting')).toBe(true);
        await queue.start();
        await queue.add('cancellable', { v: 'delayed' }, { jobId: 'c:delayed', delayMs: 300 });
        expect(await queue.cancel('c:delayed')).toBe(true);
        expect(await queue.cancel('c:delayed')).toBe(false);
        expect(await queue.cancel('c:unknown')).toBe(false);

        await queue.add('cancellable', { v: 'active', block: true }, { jobId: 'c:active' });
        await waitFor(() => runs.includes('active'), 'the active job');
        expect(await queue.cancel('c:active')).toBe(false);
        release();

        // The id of a cancelled job is free again.
        await queue.add('cancellable', { v: 'delayed again' }, { jobId: 'c:delayed', delayMs: 50 });
        await waitFor(() => runs.includes('delayed again'), 'the re-added job');
        await elapse(400);
        expect(runs).toEqual(['active', 'delayed again']);
      });
    });

    it('runs a cron schedule in its time zone (Europe/Paris fires; the same fields in Asia/Tokyo do not)', async () => {
      await withQueue(async (queue) => {
        const runs: Array<{ zone: string; at: number }> = [];
        queue.handle('tick', async (job) => void runs.push({ zone: (job.data as { zone: string }).zone, at: Date.now() }));
        await queue.start();
        // A daily pattern for the wall-clock second, in Paris, about two seconds from now: it only
        // fires now if the time zone is honoured (Tokyo's clock shows another hour).
        const target = Math.ceil((Date.now() + 1_500) / 1_000) * 1_000;
        const cron = dailyPatternAt(target, 'Europe/Paris');
        await queue.schedule('paris', { cron, tz: 'Europe/Paris' }, 'tick', { zone: 'paris' });
        await queue.schedule('tokyo', { cron, tz: 'Asia/Tokyo' }, 'tick', { zone: 'tokyo' });
        await waitFor(() => runs.length > 0, `the Paris run at ${new Date(target).toISOString()}`, 6_000);
        await elapse(300);
        expect(runs.map((r) => r.zone)).toEqual(['paris']);
        expect(runs[0]!.at).toBeGreaterThanOrEqual(target);
      });
    });

    it('replaces a schedule with the same id, repeats it, and stops it on unschedule', async () => {
      await withQueue(async (queue) => {
        const runs: Array<{ v: number; at: number }> = [];
        queue.handle('beat', async (job) => void runs.push({ v: (job.data as { v: number }).v, at: Date.now() }));
        await queue.start();
        const everySecond = { cron: '* * * * * *', tz: 'Europe/Paris' };
        await queue.schedule('beat', everySecond, 'beat', { v: 1 });
        await queue.schedule('beat', everySecond, 'beat', { v: 2 });
        await waitFor(() => runs.length >= 2, 'two beats', 5_000);
        await queue.unschedule('beat');
        const count = runs.length;
        expect(runs.every((r) => r.v === 2)).toBe(true);
        // One run per second: the replaced schedule did not leave a second one behind.
        expect(gaps(runs.map((r) => r.at)).every((gap) => gap >= 1_000 - 100)).toBe(true);
        await elapse(2_500);
        expect(runs.length).toBe(count);
      });
    });

    it('rejects a schedule with an unknown time zone or a broken pattern, naming it', async () => {
      await withQueue(async (queue) => {
        await expect(queue.schedule('bad-tz', { cron: '0 9 * * *', tz: 'Europe/Pariss' }, 'tick', {})).rejects.toThrow(
          /time zone "Europe\/Pariss"/,
        );
        await expect(queue.schedule('bad-cron', { cron: '61 * * * *', tz: 'Europe/Paris' }, 'tick', {})).rejects.toThrow(
          /cron pattern "61 \* \* \* \*"/,
        );
      });
    });

    it('paces each rate key separately: never more than `max` starts per window per key', async () => {
      await withQueue(async (queue) => {
        const windowMs = 300;
        const starts: Array<{ key: string; attempt: number; at: number }> = [];
        queue.setRateLimit('chat:', { max: 2, durationMs: windowMs });
        queue.handle(
          'post',
          async (job) => void starts.push({ key: (job.data as { key: string }).key, attempt: job.attempt, at: Date.now() }),
          { concurrency: 4 },
        );
        await queue.start();
        for (const key of ['chat:slack:C1', 'chat:slack:C2']) {
          for (let i = 0; i < 6; i += 1) await queue.add('post', { key }, { rateKey: key });
        }
        await waitFor(() => starts.length === 12, 'twelve posts', 8_000);
        const c1 = starts.filter((s) => s.key === 'chat:slack:C1').map((s) => s.at);
        const c2 = starts.filter((s) => s.key === 'chat:slack:C2').map((s) => s.at);
        for (const times of [c1, c2]) {
          expect(times).toHaveLength(6);
          // Any window holds at most 2 starts: the 3rd start after any start is a window later.
          for (let i = 0; i + 2 < times.length; i += 1) {
            expect(times[i + 2]! - times[i]!).toBeGreaterThanOrEqual(windowMs - pacingSlackMs);
          }
        }
        // C2's jobs were added after all of C1's, yet C2 did not wait behind C1's pacing.
        expect(c2[1]!).toBeLessThan(c1[2]!);
        // Being held back by pacing does not use up attempts.
        expect(starts.every((s) => s.attempt === 1)).toBe(true);
      });
    });

    it('applies the longest matching prefix, and leaves keys of no registered prefix unpaced', async () => {
      await withQueue(async (queue) => {
        const starts: string[] = [];
        queue.setRateLimit('chat:', { max: 1, durationMs: 60_000 });
        queue.setRateLimit('chat:slack:', { max: 3, durationMs: 60_000 });
        queue.handle('post', async (job) => void starts.push((job.data as { key: string }).key), { concurrency: 4 });
        await queue.start();
        for (let i = 0; i < 2; i += 1) await queue.add('post', { key: 'chat:discord:D1' }, { rateKey: 'chat:discord:D1' });
        for (let i = 0; i < 3; i += 1) await queue.add('post', { key: 'chat:slack:C1' }, { rateKey: 'chat:slack:C1' });
        for (let i = 0; i < 3; i += 1) await queue.add('post', { key: 'feed:x' }, { rateKey: 'feed:x' });
        await waitFor(
          () => starts.filter((k) => k === 'chat:slack:C1').length === 3 && starts.filter((k) => k === 'feed:x').length === 3,
          'the slack and feed posts',
        );
        await elapse(300);
        expect(starts.filter((k) => k === 'chat:discord:D1')).toHaveLength(1);
      });
    });

    it('pause(rateKey, ms) holds back that key only, including jobs already queued', async () => {
      await withQueue(async (queue) => {
        const runs: Array<{ v: string; attempt: number; at: number }> = [];
        queue.setRateLimit('chat:', { max: 10, durationMs: 1_000 });
        queue.handle(
          'post',
          async (job) => void runs.push({ v: (job.data as { v: string }).v, attempt: job.attempt, at: Date.now() }),
          { concurrency: 4 },
        );
        await queue.start();
        await queue.add('post', { v: 'A queued' }, { rateKey: 'chat:slack:A', delayMs: 100 });
        const pausedAt = Date.now();
        await queue.pause('chat:slack:A', 400); // a 429 with Retry-After: 0.4 s
        await queue.add('post', { v: 'A new' }, { rateKey: 'chat:slack:A' });
        await queue.add('post', { v: 'B new' }, { rateKey: 'chat:slack:B' });
        await queue.add('post', { v: 'unpaced' }, { rateKey: 'feed:x' });
        await waitFor(() => runs.length === 4, 'all four jobs');
        const at = (v: string): number => runs.find((r) => r.v === v)!.at;
        expect(at('A queued') - pausedAt).toBeGreaterThanOrEqual(400);
        expect(at('A new') - pausedAt).toBeGreaterThanOrEqual(400);
        expect(at('B new')).toBeLessThan(at('A queued'));
        expect(at('unpaced')).toBeLessThan(at('A queued'));
        expect(runs.every((r) => r.attempt === 1)).toBe(true);
      });
    });

    it('reports health and the number of waiting jobs', async () => {
      await withQueue(async (queue) => {
        queue.handle('idle', async () => {});
        await queue.add('idle', { n: 1 });
        await queue.add('idle', { n: 2 });
        const health = await queue.health();
        expect(health).toMatchObject({ ok: true, kind: queue.kind, waiting: 2 });
        await queue.close();
        expect((await queue.health()).ok).toBe(false);
      });
    });

    it('close() stops taking jobs and resolves only after in-flight jobs finish', async () => {
      await withQueue(async (queue) => {
        let started = false;
        let finished = false;
        const runs: string[] = [];
        queue.handle('slow', async (job) => {
          runs.push((job.data as { v: string }).v);
          started = true;
          await delay(300);
          finished = true;
        });
        await queue.start();
        await queue.add('slow', { v: 'in flight' });
        await queue.add('slow', { v: 'later' }, { delayMs: 5_000 });
        await waitFor(() => started, 'the slow job to start');
        let closed = false;
        const closing = queue.close().then(() => {
          closed = true;
        });
        await elapse(100);
        expect(closed).toBe(false);
        await elapse(400);
        await closing;
        expect(finished).toBe(true);
        expect(runs).toEqual(['in flight']);
        await expect(queue.add('slow', { v: 'after close' })).rejects.toThrow(/closed/);
        await queue.close(); // idempotent
      });
    });
  });
}

/** Recorded times on both sides come from one process clock; this absorbs rounding only. */
const slackMs = 5;
/** The pacing check takes its time before the handler records its own; absorbs that gap. */
const pacingSlackMs = 30;

/** Lets time pass: virtual under `vi.useFakeTimers()`, real otherwise. */
export async function elapse(ms: number): Promise<void> {
  if (vi.isFakeTimers()) await vi.advanceTimersByTimeAsync(ms);
  else await delay(ms);
}

/** Waits (in 10 ms steps of real or virtual time) until `done()`, failing after `timeoutMs`. */
export async function waitFor(done: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const startedAt = Date.now();
  while (!done()) {
    if (Date.now() - startedAt > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await elapse(10);
  }
}

/** A pause inside a handler: a plain timer, so it follows fake timers when they are installed. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function gaps(times: number[]): number[] {
  return times.slice(1).map((t, i) => t - times[i]!);
}

/** A six-field daily pattern matching the wall-clock second of `at` in `tz`. */
export function dailyPatternAt(at: number, tz: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: tz,
    hourCycle: 'h23',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(at));
  const field = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  return `${field('second')} ${field('minute')} ${field('hour')} * * *`;
}
