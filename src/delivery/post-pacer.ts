import { type Clock, systemClock } from '../core/clock.js';
import { globalTimers, type Timers } from '../core/timers.js';


export interface PostPacerOptions {
  /** Least time between two posts in one channel. */
  spacingMs: number;
  clock?: Clock;
  timers?: Timers;
}

export interface PostPacer {
  /**
   * Resolves when the channel may take a post; the caller posts right away. Among callers waiting
   * for one channel, the highest priority goes first, then the earliest.
   */
  turn(key: string, priority: number): Promise<void>;
  /** The platform refused a post (429): nobody posts in this channel for `ms`. */
  pause(key: string, ms: number): void;
}

interface Waiter {
  priority: number;
  seq: number;
  resolve: () => void;
}

interface ChannelState {
  /** Earliest time of the next post. */
  nextAt: number;
  /** Highest priority first, then arrival order. */
  waiters: Waiter[];
  timer: unknown;
}

/**
 * Spaces the posts of each channel at the moment of the platform call. The queue paces job starts,
 * but between a start and its call lie a claim, a storm check that may fold a whole backlog, and the
 * render: hundreds of ms that vary, so two jobs started a second apart could post 300 ms apart, and
 * a job started before a 429 would still post inside its Retry-After. This gate is the last word.
 */
export function createPostPacer(options: PostPacerOptions): PostPacer {
  const clock = options.clock ?? systemClock;
  const timers = options.timers ?? globalTimers;
  const channels = new Map<string, ChannelState>();
  let seq = 0;

  function stateOf(key: string): ChannelState {
    let state = channels.get(key);
    if (!state) {
      state = { nextAt: 0, waiters: [], timer: undefined };
      channels.set(key, state);
    }
    return state;
  }

  function release(state: ChannelState): void {
    if (state.timer !== undefined) {
      timers.clearTimeout(state.timer);
      state.timer = undefined;
    }
    const now = clock().getTime();
    const next = state.waiters[0];
    if (!next) return;
    if (now < state.nextAt) {
      state.timer = timers.setTimeout(() => {
        state.timer = undefined;
        release(state);
      }, state.nextAt - now);
      return;
    }
    state.waiters.shift();
    state.nextAt = now + options.spacingMs;
    next.resolve();
    if (state.waiters.length > 0) release(state);
  }

  return {
    turn(key, priority) {
      const state = stateOf(key);
      return new Promise<void>((resolve) => {
        const waiter = { priority, seq: seq++, resolve };
        const at = state.waiters.findIndex((w) => w.priority < priority);
        if (at === -1) state.waiters.push(waiter);
        else state.waiters.splice(at, 0, waiter);
        release(state);
      });
    },
    pause(key, ms) {
      const state = stateOf(key);
      state.nextAt = Math.max(state.nextAt, clock().getTime() + ms);
      release(state);
    },
  };
}
