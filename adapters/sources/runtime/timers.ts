import type { Timers } from '../../../src/core/timers.js';

/**
 * Time as the sources see it. Injected so tests never wait for a real backoff delay: a test passes a
 * `delay` that records the asked duration and resolves at once.
 */
export interface SourceTimers extends Timers {
  /** Resolves after `ms`, or as soon as `signal` aborts (never rejects). */
  delay(ms: number, signal: AbortSignal): Promise<void>;
}

export const systemTimers: SourceTimers = {
  delay(ms, signal) {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  },
  setTimeout(fn, ms) {
    const handle = setTimeout(fn, ms);
    // A watchdog must never keep the process alive on its own.
    handle.unref();
    return handle;
  },
  clearTimeout(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
};
