import { and, asc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Level } from '../../src/core/levels.js';
import type { Database } from './connect.js';
import * as t from './schema.js';

export interface CrisisRow {
  id: number;
  title: string;
  site: string | null;
  severity: number;
  status: string;
  terms: string[];
  openedAt: Date;
  openedBy: string;
  closedAt: Date | null;
  summary: string | null;
  report: unknown;
}

const toCrisis = (r: typeof t.crises.$inferSelect): CrisisRow => ({ ...r, terms: r.terms as string[] });

/** Crisis persistence. Its timeline is the decisions chain (rows with `crisis_id`), so it is audited too. */
export class CrisisStore {
  constructor(private readonly database: Database) {}

  private get db() {
    return this.database.db;
  }

  async insert(row: { title: string; site: string | null; severity: number; terms: string[]; openedAt: Date; openedBy: string }): Promise<CrisisRow> {
    const [created] = await this.db.insert(t.crises).values({ ...row, status: 'open' }).returning();
    return toCrisis(created!);
  }

  async get(id: number): Promise<CrisisRow | null> {
    const rows = await this.db.select().from(t.crises).where(eq(t.crises.id, id));
    return rows[0] ? toCrisis(rows[0]) : null;
  }

  async open(): Promise<CrisisRow[]> {
    return (await this.db.select().from(t.crises).where(eq(t.crises.status, 'open')).orderBy(asc(t.crises.id))).map(toCrisis);
  }

  async close(id: number, closedAt: Date, summary: string | null, report: unknown): Promise<void> {
    await this.db.update(t.crises).set({ status: 'closed', closedAt, summary, report }).where(eq(t.crises.id, id));
  }

  async timeline(id: number) {
    return this.db.select().from(t.decisions).where(eq(t.decisions.crisisId, id)).orderBy(asc(t.decisions.id));
  }

  /** Open stories that may belong to a new crisis: their head text, account and category. */
  async openStories(): Promise<Array<{ ticketId: number; level: Level; crisisId: number | null; account: string | null; category: string | null; text: string; url: string | null }>> {
    const rows = await this.database.rows<{ ticket_id: number; level: Level; crisis_id: number | null; account: string | null; category: string | null; text: string; url: string | null }>(sql`
      select tk.id as ticket_id, tk.level, tk.crisis_id, tk.account, tk.category, m.text, m.url
      from tickets tk join clusters c on c.id = tk.cluster_id join mentions m on m.id = c.head_mention_id
      where tk.status in ('open', 'assigned')`);
    return rows.map((r) => ({ ticketId: Number(r.ticket_id), level: r.level, crisisId: r.crisis_id, account: r.account, category: r.category, text: r.text, url: r.url }));
  }

  async attach(ticketId: number, crisisId: number, level: Level): Promise<void> {
    await this.db.update(t.tickets).set({ crisisId, level, updatedAt: sql`now()` }).where(eq(t.tickets.id, ticketId));
  }

  async tickets(crisisId: number) {
    return this.db.select().from(t.tickets).where(eq(t.tickets.crisisId, crisisId)).orderBy(asc(t.tickets.id));
  }

  async ticketDecisions(ticketIds: readonly number[]) {
    if (ticketIds.length === 0) return [];
    return this.db.select().from(t.decisions).where(and(inArray(t.decisions.ticketId, [...ticketIds]), isNotNull(t.decisions.ticketId))).orderBy(asc(t.decisions.id));
  }

  /** Mentions per 15 minutes of the crisis' stories. */
  async volume(crisisId: number): Promise<Array<{ at: Date; count: number }>> {
    const rows = await this.database.rows<{ at: Date | string; n: number }>(sql`
      select to_timestamp(floor(extract(epoch from m.created_at) / 900) * 900) as at, count(*)::int as n
      from mentions m join tickets tk on tk.cluster_id = m.cluster_id
      where tk.crisis_id = ${crisisId} group by 1 order by 1`);
    return rows.map((r) => ({ at: new Date(r.at), count: Number(r.n) }));
  }

  async headOf(ticketId: number): Promise<{ text: string; url: string | null } | null> {
    const rows = await this.database.rows<{ text: string; url: string | null }>(sql`
      select m.text, m.url from tickets tk join clusters c on c.id = tk.cluster_id join mentions m on m.id = c.head_mention_id where tk.id = ${ticketId}`);
    return rows[0] ?? null;
  }
}
