import type { MentionInput } from '../../../src/mentions/mention.js';
import type { MentionSink } from '../../../src/sources/port.js';
import { backoffDelay } from './backoff.js';
import { reasonOf, type SourceRuntime } from './deps.js';

export interface SinkPumpOptions<M> {
  sink: MentionSink;
  runtime: SourceRuntime;
  /** Aborted when the source stops: a failing sink is then no longer retried. */
  signal: AbortSignal;
  /** Mentions handed to the sink in one call, at most. */
  batchSize: number;
  /** Mentions held in memory before the source is asked to stop reading. */
  maxBuffered: number;
  /** `true`: stop reading from the network; `false`: read again. */
  onPressure(paused: boolean): void;
  /** A position (cursor) whose mentions, and everything before, are now stored. */
  onCommitted?(mark: M): void;
  onSinkError?(reason: string): void;
  label: string;
}

interface Entry<M> {
  mention: MentionInput;
  mark: M | undefined;
}

/**
 * Between a source and the sink: mentions queue here while the sink works, go out in batches, and
 * the source is paused when too many wait. Positions ("marks") are committed only after the
 * mentions before them are stored, which is what makes a persisted cursor safe to resume from.
 */
export class SinkPump<M = never> {
  private queue: Entry<M>[] = [];
  private running: Promise<void> | null = null;
  private inflight = false;
  private paused = false;
  /** A mark that arrived while a batch was in flight and nothing else waited. */
  private markAfterInflight: M | undefined;

  constructor(private readonly options: SinkPumpOptions<M>) {}

  get size(): number {
    return this.queue.length;
  }

  push(mention: MentionInput, mark?: M): void {
    this.queue.push({ mention, mark });
    if (!this.paused && this.queue.length >= this.options.maxBuffered) {
      this.paused = true;
      this.options.onPressure(true);
    }
    this.kick();
  }

  /** The stream moved past events that are not mentions (deletes, identity…): commit in order. */
  mark(mark: M): void {
    const last = this.queue.at(-1);
    if (last) last.mark = mark;
    else if (this.inflight) this.markAfterInflight = mark;
    else this.options.onCommitted?.(mark);
  }

  /** Resolves when every queued mention went to the sink (or was dropped because the source stopped). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private kick(): void {
    if (this.running) return;
    this.running = this.run().finally(() => {
      this.running = null;
    });
  }

  private async run(): Promise<void> {
    const { sink, runtime, signal, batchSize } = this.options;
    let failures = 0;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, batchSize);
      this.inflight = true;
      try {
        await sink(batch.map((e) => e.mention));
        failures = 0;
      } catch (err) {
        this.inflight = false;
        const reason = reasonOf(err);
        this.options.onSinkError?.(reason);
        if (signal.aborted) {
          // Stopping with a sink that refuses: nothing more can be done here. Marks were not
          // committed, so a cursor-based source replays these on its next start.
          runtime.logger.warn({ source: this.options.label, dropped: batch.length + this.queue.length, reason }, 'source stopped while the sink refused mentions');
          this.queue = [];
          this.markAfterInflight = undefined;
          break;
        }
        this.queue.unshift(...batch);
        const wait = backoffDelay(failures++, runtime.backoff, runtime.random);
        runtime.logger.warn({ source: this.options.label, waiting: this.queue.length, retryInMs: wait, reason }, 'sink refused mentions; retrying');
        await runtime.timers.delay(wait, signal);
        continue;
      }
      this.inflight = false;
      let mark: M | undefined;
      for (const e of batch) if (e.mark !== undefined) mark = e.mark;
      if (this.markAfterInflight !== undefined) {
        mark = this.markAfterInflight;
        this.markAfterInflight = undefined;
      }
      if (mark !== undefined) this.options.onCommitted?.(mark);
      if (this.paused && this.queue.length <= this.options.maxBuffered / 2) {
        this.paused = false;
        this.options.onPressure(false);
      }
    }
    if (this.markAfterInflight !== undefined) {
      this.options.onCommitted?.(this.markAfterInflight);
      this.markAfterInflight = undefined;
    }
    if (this.paused) {
      this.paused = false;
      this.options.onPressure(false);
    }
  }
}
