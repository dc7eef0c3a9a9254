import type { Level } from '../../core/levels.js';
import type { Spike } from '../types.js';

const BUCKET_MS = 300_000; // 5 min
const HOUR_BUCKETS = 12;
const BASELINE_HOURS = 12;
const RING = HOUR_BUCKETS * (BASELINE_HOURS + 1);

export interface SpikeOptions {
  minCount: number;
  ratio: number;
  highRatio: number;
}

interface Series {
  buckets: Int32Array;
  /** Latest bucket index written; ring slots after it are stale until it moves on. */
  last: number;
}

/**
 * Mention volume per key (`rule:…`, `category:…`, `account:…`) in five-minute buckets over thirteen
 * hours: the last hour is compared with the hourly mean of the twelve before, as listening vendors
 * do. Many quiet mentions on one subject then make a signal although none alone would.
 */
export class VolumeTracker {
  private readonly series = new Map<string, Series>();

  constructor(private readonly options: SpikeOptions) {}

  record(key: string, at: number): void {
    const b = Math.floor(at / BUCKET_MS);
    let s = this.series.get(key);
    if (!s) {
      s = { buckets: new Int32Array(RING), last: b };
      this.series.set(key, s);
    }
    if (b > s.last) {
      for (let i = Math.max(s.last + 1, b - RING + 1); i <= b; i++) s.buckets[i % RING] = 0;
      s.last = b;
    } else if (b <= s.last - RING) return; // older than the ring: no longer matters
    s.buckets[b % RING]!++;
  }

  private count(s: Series, from: number, to: number): number {
    let n = 0;
    for (let b = Math.max(from, s.last - RING + 1); b <= Math.min(to, s.last); b++) n += s.buckets[b % RING]!;
    return n;
  }

  spikes(now: Date, quiet: (key: string) => boolean): Spike[] {
    const nb = Math.floor(now.getTime() / BUCKET_MS);
    const out: Spike[] = [];
    for (const [key, s] of this.series) {
      const current = this.count(s, nb - HOUR_BUCKETS + 1, nb);
      if (current < this.options.minCount) continue;
      const baselinePerHour = this.count(s, nb - RING + 1, nb - HOUR_BUCKETS) / BASELINE_HOURS;
      // A subject never seen before counts as one an hour, so a first burst is a spike but a trickle is not.
      const ratio = current / Math.max(baselinePerHour, 1);
      if (ratio < this.options.ratio) continue;
      const level: Level = quiet(key) ? 'none' : ratio >= this.options.highRatio ? 'high' : 'watch';
      out.push({
        key,
        currentCount: current,
        baselinePerHour: Math.round(baselinePerHour * 100) / 100,
        ratio: Math.round(ratio * 10) / 10,
        level,
        text: `${key}: ${current} in the last hour, ${ratio.toFixed(1)}× the usual ${baselinePerHour.toFixed(1)}/h`,
      });
    }
    return out.sort((a, b) => b.ratio - a.ratio || a.key.localeCompare(b.key));
  }
}
