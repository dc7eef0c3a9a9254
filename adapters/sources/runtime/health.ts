import type { Clock } from '../../../src/core/clock.js';
import type { SourceHealth } from '../../../src/sources/port.js';

/** Keeps one source's health; every source reports through one of these. */
export class HealthTracker {
  private connected = false;
  private lastEventAt: Date | null = null;
  private lagMs: number | null = null;
  private errors = 0;
  private lastError: string | null = null;

  constructor(
    readonly id: string,
    readonly kind: string,
    private readonly clock: Clock,
  ) {}

  setConnected(connected: boolean): void {
    this.connected = connected;
  }

  /** An event reached us; `happenedAt` is when the network says it happened (for the lag). */
  event(happenedAt: Date | null): void {
    const now = this.clock();
    this.lastEventAt = now;
    if (happenedAt !== null && !Number.isNaN(happenedAt.getTime())) this.lagMs = Math.max(0, now.getTime() - happenedAt.getTime());
  }

  error(reason: string): void {
    this.errors++;
    // Bounded: a proxy's HTML error page must not end up whole in /healthz.
    this.lastError = reason.length > 300 ? `${reason.slice(0, 297)}...` : reason;
  }

  snapshot(): SourceHealth {
    return {
      id: this.id,
      kind: this.kind,
      connected: this.connected,
      lastEventAt: this.lastEventAt,
      lagMs: this.lagMs,
      errors: this.errors,
      lastError: this.lastError,
    };
  }
}
