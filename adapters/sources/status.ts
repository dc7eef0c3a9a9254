import type { SourceHealth } from '../../src/sources/port.js';

function ago(ms: number): string {
  const s = Math.round(ms / 1_000);
  if (s < 60) return `${s}s ago`;
  if (s < 3_600) return `${Math.round(s / 60)}m ago`;
  if (s < 86_400) return `${Math.round(s / 3_600)}h ago`;
  return `${Math.round(s / 86_400)}d ago`;
}

function lag(ms: number | null): string {
  if (ms === null) return '-';
  if (ms < 1_000) return `${ms} ms`;
  if (ms < 120_000) return `${(ms / 1_000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/** `vigie sources status`: one line per source, in columns; the last error in full below. */
export function formatSourcesStatus(health: readonly SourceHealth[], now: Date = new Date()): string {
  if (health.length === 0) return 'No sources configured (see `sources:` in the configuration).';
  const rows = [
    ['SOURCE', 'KIND', 'STATE', 'LAST EVENT', 'LAG', 'ERRORS'],
    ...health.map((h) => [
      h.id,
      h.kind,
      h.connected ? 'up' : 'DOWN',
      h.lastEventAt ? `${h.lastEventAt.toISOString()} (${ago(now.getTime() - h.lastEventAt.getTime())})` : 'never',
      lag(h.lagMs),
      String(h.errors),
    ]),
  ];
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)));
  const lines = rows.map((r) => r.map((cell, col) => cell.padEnd(widths[col]!)).join('  ').trimEnd());
  const errors = health.filter((h) => h.lastError !== null).map((h) => `  ${h.id}: ${h.lastError!.replace(/\s+/g, ' ')}`);
  return [...lines, ...(errors.length > 0 ? ['', 'Last errors:', ...errors] : [])].join('\n');
}

export type SourceNotice =
  | { type: 'down'; id: string; kind: string; downSince: Date; downForMs: number; lastError: string | null }
  | { type: 'recovered'; id: string; kind: string; downSince: Date; downForMs: number };

export interface SourceDownReporterOptions {
  /** How long a source must stay down before the watch channel hears about it. */
  downAfterMs?: number;
}

export const SOURCE_DOWN_DEFAULTS = {
  downAfterMs: 300_000, // 5 min: a reconnect with backoff is not news
} as const;

/**
 * Decides what to tell the watch channel about sources, from health snapshots over time: a source
 * down longer than the threshold is reported once, and its recovery once, instead of every check.
 * Pure: time comes in with each snapshot, nothing is posted from here.
 */
export class SourceDownReporter {
  private readonly downAfterMs: number;
  private readonly state = new Map<string, { downSince: Date; reported: boolean }>();

  constructor(options: SourceDownReporterOptions = {}) {
    this.downAfterMs = options.downAfterMs ?? SOURCE_DOWN_DEFAULTS.downAfterMs;
  }

  observe(health: readonly SourceHealth[], now: Date): SourceNotice[] {
    const notices: SourceNotice[] = [];
    const present = new Set<string>();
    for (const h of health) {
      present.add(h.id);
      const s = this.state.get(h.id);
      if (h.connected) {
        if (s?.reported) notices.push({ type: 'recovered', id: h.id, kind: h.kind, downSince: s.downSince, downForMs: now.getTime() - s.downSince.getTime() });
        this.state.delete(h.id);
        continue;
      }
      if (!s) {
        this.state.set(h.id, { downSince: now, reported: false });
        if (this.downAfterMs > 0) continue;
      }
      const current = this.state.get(h.id)!;
      const downForMs = now.getTime() - current.downSince.getTime();
      if (!current.reported && downForMs >= this.downAfterMs) {
        current.reported = true;
        notices.push({ type: 'down', id: h.id, kind: h.kind, downSince: current.downSince, downForMs, lastError: h.lastError });
      }
    }
    // A source removed from the configuration is forgotten (no recovery notice for it).
    for (const id of [...this.state.keys()]) if (!present.has(id)) this.state.delete(id);
    return notices;
  }
}

/** The watch-channel sentence for a notice (plain text: the chat adapters escape it). */
export function describeSourceNotice(n: SourceNotice): string {
  const minutes = Math.max(1, Math.round(n.downForMs / 60_000));
  if (n.type === 'down') return `Source ${n.id} (${n.kind}) has been down for ${minutes} min${n.lastError ? `: ${n.lastError}` : ''}. Mentions from it are not arriving.`;
  return `Source ${n.id} (${n.kind}) is back after ${minutes} min down.`;
}
