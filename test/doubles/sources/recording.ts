import type { MentionInput } from '../../../src/mentions/mention.js';
import type { CursorStore, MentionSink } from '../../../src/sources/port.js';
import { type SourceTimers, systemTimers } from '../../../adapters/sources/runtime/timers.js';

/** A CursorStore in memory, with every write recorded. */
export class MemoryCursorStore implements CursorStore {
  readonly values = new Map<string, string>();
  readonly writes: Array<{ key: string; value: string }> = [];
  async get(key: string): Promise<string | null> {
    return this.values.get(key) ?? null;
  }
  async set(key: string, value: string): Promise<void> {
    this.values.set(key, value);
    this.writes.push({ key, value });
  }
}

/**
 * The pipeline's entry as a test sees it: records every batch, de-duplicates by source + id like
 * ingest does, and can be held shut (`gate`) to simulate a slow database, or made to fail.
 */
export class RecordingSink {
  readonly batches: MentionInput[][] = [];
  readonly stored = new Map<string, MentionInput>();
  failNext = 0;
  private gate: Promise<void> | null = null;
  private openGate: (() => void) | null = null;
  private waiters: Array<{ count: number; resolve: () => void }> = [];

  readonly sink: MentionSink = async (mentions) => {
    if (this.gate) await this.gate;
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('database unavailable');
    }
    this.batches.push([...mentions]);
    let accepted = 0;
    for (const m of mentions) {
      const key = `${m.source}:${m.id}`;
      if (!this.stored.has(key)) {
        this.stored.set(key, m);
        accepted++;
      }
    }
    const ready = this.waiters.filter((w) => this.stored.size >= w.count);
    this.waiters = this.waiters.filter((w) => this.stored.size < w.count);
    for (const w of ready) w.resolve();
    return { accepted, duplicates: mentions.length - accepted };
  };

  hold(): void {
    this.gate = new Promise((resolve) => {
      this.openGate = resolve;
    });
  }

  release(): void {
    this.openGate?.();
    this.gate = null;
    this.openGate = null;
  }

  /** Resolves once `count` distinct mentions are stored. */
  waitFor(count: number): Promise<void> {
    if (this.stored.size >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  ids(): string[] {
    return [...this.stored.values()].map((m) => m.id);
  }
}

/**
 * Timers for tests: `delay` records the asked duration and resolves on the next turn of the event
 * loop, so a backoff never makes a test wait; watchdog timeouts stay real but unref'd.
 */
export function instantTimers(): SourceTimers & { delays: number[] } {
  const delays: number[] = [];
  return {
    // Watchdogs stay real (and unref'd): only backoff delays are instant.
    setTimeout: systemTimers.setTimeout,
    clearTimeout: systemTimers.clearTimeout,
    delays,
    delay(ms, signal) {
      delays.push(ms);
      return new Promise((resolve) => {
        if (signal.aborted) return resolve();
        setImmediate(resolve);
      });
    },
  };
}

/** Polls `check` on the event loop (no wall-clock assertion: only a safety cap on iterations). */
export async function until(check: () => boolean, what: string, maxTurns = 20_000): Promise<void> {
  for (let i = 0; i < maxTurns; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 1));
  }
  throw new Error(`timed out waiting for: ${what}`);
}

/**
 * Timers a test moves by hand: every `delay` waits until `advance()` (or the stop signal), so a
 * polling source makes exactly one round per `advance()`.
 */
export function manualTimers(): SourceTimers & { delays: number[]; pending(): number; advance(): void } {
  const delays: number[] = [];
  let waiting: Array<() => void> = [];
  return {
    setTimeout: systemTimers.setTimeout,
    clearTimeout: systemTimers.clearTimeout,
    delays,
    pending: () => waiting.length,
    advance() {
      const now = waiting;
      waiting = [];
      for (const resolve of now) resolve();
    },
    delay(ms, signal) {
      delays.push(ms);
      return new Promise((resolve) => {
        if (signal.aborted) return resolve();
        waiting.push(resolve);
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
    },
  };
}
