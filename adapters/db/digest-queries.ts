import { sql } from 'drizzle-orm';
import type { TicketStatus } from '../../src/chat/card.js';
import type { Level } from '../../src/core/levels.js';
import type { DigestInput } from '../../src/digest/index.js';
import type { Database } from './connect.js';

const TOP_CLUSTERS = 40;

/**
 * The digest's rows for the 24 hours before `to`: aggregates and small lists only, so the query
 * cost follows the day's tickets and stories, not the total mention history (hourly volume is kept
 * as its own aggregate by ingest).
 */
export async function digestRows(database: Database, from: Date, to: Date): Promise<Omit<DigestInput, 'templates'>> {
  const f = from.toISOString();
  const t = to.toISOString();
  const [volume, cards, decisions, openRisks, crises, clusters, spikes] = await Promise.all([
    database.rows<{ hour: Date; account: string; source: string; count: number; risky: number }>(sql`
      select hour, account, source, count, risky from hourly_volume where hour >= ${f}::timestamptz and hour < ${t}::timestamptz`),
    database.rows<{ id: number; level: Level; opened_at: Date; first_decision_at: Date | null; status: TicketStatus }>(sql`
      select id, level, opened_at, first_decision_at, status from tickets where opened_at >= ${f}::timestamptz and opened_at < ${t}::timestamptz`),
    database.rows<{ ticket_id: number | null; action: string; at: Date; reason: string | null }>(sql`
      select ticket_id, action, at, payload->>'reason' as reason from decisions
      where at >= ${f}::timestamptz and at < ${t}::timestamptz and ticket_id is not null and action not in ('note', 'escalate', 'comeback')`),
    database.rows<{ id: number; level: Level; opened_at: Date; status: TicketStatus; category: string | null; text: string | null; url: string | null }>(sql`
      select tk.id, tk.level, tk.opened_at, tk.status, tk.category, m.text, m.url
      from tickets tk join clusters c on c.id = tk.cluster_id left join mentions m on m.id = c.head_mention_id
      where tk.status in ('open', 'assigned') and tk.level in ('high', 'critical')`),
    database.rows<{ id: number; title: string; opened_at: Date; closed_at: Date | null; site: string | null }>(sql`
      select id, title, opened_at, closed_at, site from crises
      where status = 'open' or (opened_at >= ${f}::timestamptz and opened_at < ${t}::timestamptz) or (closed_at >= ${f}::timestamptz and closed_at < ${t}::timestamptz)`),
    database.rows<{ id: string; score: number; count: number; first_seen: Date; last_seen: Date; category: string | null; url: string | null; text: string | null }>(sql`
      select c.id, c.peak_score as score, c.count, c.first_seen, c.last_seen, c.category, m.url, m.text
      from clusters c left join mentions m on m.id = c.head_mention_id
      where c.last_seen >= ${f}::timestamptz and c.first_seen < ${t}::timestamptz and (c.peak_score > 0 or c.category = 'praise')
      order by c.count * greatest(c.peak_score, 10) desc limit ${TOP_CLUSTERS}`),
    database.rows<{ key: string; created_at: Date; payload: { notice?: { title?: string; sections?: Array<{ lines?: string[] }> } } | null }>(sql`
      select key, created_at, payload from deliveries where key like 'spike:%' and created_at >= ${f}::timestamptz and created_at < ${t}::timestamptz`),
  ]);
  const seenSpikes = new Set<string>();
  return {
    volume: volume.map((r) => ({ hour: new Date(r.hour), account: r.account, source: r.source, count: Number(r.count), risky: Number(r.risky) })),
    cards: cards.map((r) => ({ ticketId: Number(r.id), level: r.level, openedAt: new Date(r.opened_at), firstDecisionAt: r.first_decision_at ? new Date(r.first_decision_at) : null, status: r.status })),
    decisions: decisions.map((r) => ({ ticketId: r.ticket_id === null ? null : Number(r.ticket_id), action: r.action, at: new Date(r.at), reason: r.reason })),
    openRisks: openRisks.map((r) => ({ ticketId: Number(r.id), level: r.level, openedAt: new Date(r.opened_at), status: r.status, category: r.category, text: r.text, url: r.url })),
    crises: crises.map((r) => ({ id: Number(r.id), title: r.title, openedAt: new Date(r.opened_at), closedAt: r.closed_at ? new Date(r.closed_at) : null, site: r.site })),
    clusters: clusters.map((r) => {
      const hours = Math.max(1, (new Date(r.last_seen).getTime() - new Date(r.first_seen).getTime()) / 3_600_000);
      return { id: r.id, score: Number(r.score), count: Number(r.count), velocity: Number(r.count) / hours, category: r.category, url: r.url, sampleText: r.text ?? '', praise: r.category === 'praise' };
    }),
    // One spike notice per subject and hour and channel: count each subject and hour once.
    spikes: spikes.flatMap((r) => {
      const [, subject = '', hour = ''] = /^spike:(.+):(\d+):[^:]+:[^:]+$/.exec(r.key) ?? [];
      if (!subject || seenSpikes.has(`${subject}|${hour}`)) return [];
      seenSpikes.add(`${subject}|${hour}`);
      const count = Number(/^(\d+)/.exec(r.payload?.notice?.sections?.[0]?.lines?.[1] ?? '')?.[1] ?? 0);
      return [{ subject, at: new Date(r.created_at), count }];
    }),
  };
}
