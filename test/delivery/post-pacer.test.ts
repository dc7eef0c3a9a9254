import { expect, it } from 'vitest';
import type { Timers } from '../../src/core/timers.js';
import { createPostPacer } from '../../src/delivery/post-pacer.js';

/** A clock and timers that move only when told to. */
function manualTime(start = 1_000_000) {
  let now = start;
  let seq = 0;
  const pending = new Map<number, { at: number; callback: () => void }>();
  const timers: Timers = {
    setTimeout: (callback, ms) => {
      seq += 1;
      pending.set(seq, { at: now + ms, callback });
      return seq;
    },
    clearTimeout: (handle) => {
      pending.delete(handle as number);
    },
  };
  return {
    clock: () => new Date(now),
    timers,
    now: () => now - start,
    /** Moves time forward, firing due timers in time order, and lets resolved turns run. */
    async advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = [...pending.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        pending.delete(due[0]);
        now = Math.max(now, due[1].at);
        due[1].callback();
        await flush();
      }
      now = end;
      await flush();
    },
  };
}

async function flush(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
}

function recorder(time: ReturnType<typeof manualTime>) {
  const posts: Array<{ name: string; at: number }> = [];
  return {
    posts,
    post: (pacer: ReturnType<typeof createPostPacer>, key: string, name: string, priority: number) =>
      pacer.turn(key, priority).then(() => posts.push({ name, at: time.now() })),
  };
}

it('spaces the posts of one channel, not those of two channels', async () => {
  const time = manualTime();
  const pacer = createPostPacer({ spacingMs: 1_060, clock: time.clock, timers: time.timers });
  const { posts, post } = recorder(time);
  void post(pacer, 'chat:slack:A', 'a1', 10);
  void post(pacer, 'chat:slack:A', 'a2', 10);
  void post(pacer, 'chat:slack:B', 'b1', 10);
  await flush();
  expect(posts).toEqual([
    { name: 'a1', at: 0 },
    { name: 'b1', at: 0 },
  ]);
  await time.advance(1_059);
  expect(posts.map((p) => p.name)).toEqual(['a1', 'b1']);
  await time.advance(1);
  expect(posts.at(-1)).toEqual({ name: 'a2', at: 1_060 });
});

it('lets a critical post that arrives later go before the lower ones already waiting', async () => {
  const time = manualTime();
  const pacer = createPostPacer({ spacingMs: 1_060, clock: time.clock, timers: time.timers });
  const { posts, post } = recorder(time);
  void post(pacer, 'chat:slack:A', 'low1', 10);
  void post(pacer, 'chat:slack:A', 'low2', 10);
  void post(pacer, 'chat:slack:A', 'low3', 20);
  await flush();
  await time.advance(300);
  void post(pacer, 'chat:slack:A', 'critical', 30);
  await time.advance(5_000);
  expect(posts).toEqual([
    { name: 'low1', at: 0 },
    { name: 'critical', at: 1_060 },
    { name: 'low3', at: 2_120 },
    { name: 'low2', at: 3_180 },
  ]);
});

it('holds every post of a paused channel until Retry-After has passed, even one already waiting', async () => {
  const time = manualTime();
  const pacer = createPostPacer({ spacingMs: 1_060, clock: time.clock, timers: time.timers });
  const { posts, post } = recorder(time);
  void post(pacer, 'chat:slack:A', 'first', 10);
  void post(pacer, 'chat:slack:A', 'waiting', 10);
  await flush();
  await time.advance(500);
  pacer.pause('chat:slack:A', 3_000); // the first post was refused with Retry-After: 3
  await time.advance(2_999);
  expect(posts.map((p) => p.name)).toEqual(['first']);
  await time.advance(1);
  expect(posts.at(-1)).toEqual({ name: 'waiting', at: 3_500 });
  // A pause shorter than the spacing does not shorten it.
  pacer.pause('chat:slack:A', 10);
  void post(pacer, 'chat:slack:A', 'next', 10);
  await time.advance(1_059);
  expect(posts).toHaveLength(2);
  await time.advance(1);
  expect(posts.at(-1)).toEqual({ name: 'next', at: 4_560 });
});
