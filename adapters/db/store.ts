import { and, asc, desc, eq, getTableColumns, gte, inArray, lt, type SQL, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { decisionHash, GENESIS_HASH, verifyChain } from '../../src/audit/hash-chain.js';
import type { Platform } from '../../src/chat/card.js';
import type { MessageRef } from '../../src/chat/port.js';
import type {
  AuthorDelta,
  AuthorProfileRow,
  ClusterDelta,
  ClusterRow,
  DecisionInput,
  DecisionRow,
  DeliveryRow,
  MentionRow,
  NewDelivery,
  NewTicket,
  StoredRef,
  TicketRow,
  VolumeDelta,
} from '../../src/store/types.js';
import type { Mention } from '../../src/mentions/mention.js';
import type { MentionBatch } from '../../src/store/ingest-port.js';
import type { AppDb, BulkLoader, Database, PreparedRunner } from './connect.js';
import { CopyBuffer } from './copy-text.js';
import { MENTION_TABLE_COLUMNS, mentionCopyLine } from './mention-copy-line.js';
import { storableJson } from './storable.js';
import * as t from './schema.js';

/** Rows per batch statement: bounds the JSON parameter (a few MB at most). */
const INSERT_CHUNK = 5_000;
/** Serialises appends to the decision chain across processes. */
const AUDIT_LOCK = 74_200_001;

type Executor = AppDb;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Rows of a raw statement: postgres-js answers an array, PGlite `{ rows }`. */
async function rowsOf<T>(db: Executor, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  return (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? [])) as T[];
}

/** Drivers hand back timestamps as strings or Dates (drizzle turns postgres-js' date parser off). */
const toDate = (v: unknown): Date => (v instanceof Date ? v : new Date(v as string));

/** A column of a batch: the key in the JS rows and the Postgres type of the value. */
type BatchColumn = readonly [key: string, type: string];

/**
 * The rows as a relation with one column per key, for `insert … select` and joins. Each column
 * travels as ONE JSON array parameter, zipped by `rows from (…)`. A drizzle VALUES list binds a
 * parameter per cell instead (22,000 for 1,000 mentions): building and binding those cost several
 * times the insert itself, and `json_to_recordset` over the same rows is about twice as slow on
 * the server as these flat arrays.
 */
function batchOf(rows: readonly object[], columns: readonly BatchColumn[]): SQL {
  const arrays = columns.map(([key, type]) => {
    const values = storableJson(rows.map((r) => (r as Record<string, unknown>)[key] ?? null));
    // JSON values arrive as json (so nested objects stay intact); a JSON null becomes SQL NULL.
    return type === 'jsonb' ? sql`json_array_elements(${values}::text::json)` : sql`json_array_elements_text(${values}::text::json)`;
  });
  const names = columns.map((_, i) => `c${i}`).join(', ');
  const casts = columns.map(([key, type], i) => (type === 'jsonb' ? `nullif(c${i}::text, 'null')::jsonb as "${key}"` : `c${i}::${type} as "${key}"`));
  return sql`(select ${sql.raw(casts.join(', '))} from rows from (${sql.join(arrays, sql`, `)}) as z(${sql.raw(names)}))`;
}

const MENTION_COLUMNS: readonly BatchColumn[] = [
  ['id', 'bigint'],
  ['source', 'text'],
  ['externalId', 'text'],
  ['url', 'text'],
  ['text', 'text'],
  ['lang', 'text'],
  ['createdAt', 'timestamptz'],
  ['account', 'text'],
  ['authorId', 'text'],
  ['authorHandle', 'text'],
  ['author', 'jsonb'],
  ['replyTo', 'text'],
  ['repostOf', 'text'],
  ['quoteOf', 'text'],
  ['score', 'smallint'],
  ['level', 'text'],
  ['category', 'text'],
  ['rules', 'jsonb'],
  ['reasons', 'jsonb'],
  ['clusterId', 'text'],
];

const CLUSTER_COLUMNS: readonly BatchColumn[] = [
  ['id', 'text'],
  ['firstSeen', 'timestamptz'],
  ['lastSeen', 'timestamptz'],
  ['added', 'integer'],
  ['level', 'text'],
  ['peakScore', 'smallint'],
  ['category', 'text'],
  ['account', 'text'],
  ['headMentionId', 'bigint'],
  ['signature', 'jsonb'],
];

const AUTHOR_COLUMNS: readonly BatchColumn[] = [
  ['source', 'text'],
  ['authorId', 'text'],
  ['handle', 'text'],
  ['seenAt', 'timestamptz'],
];

const VOLUME_COLUMNS: readonly BatchColumn[] = [
  ['hour', 'timestamptz'],
  ['account', 'text'],
  ['source', 'text'],
  ['count', 'integer'],
  ['risky', 'integer'],
];

const TICKET_COLUMNS: readonly BatchColumn[] = [
  ['clusterId', 'text'],
  ['level', 'text'],
  ['category', 'text'],
  ['account', 'text'],
  ['team', 'text'],
  ['openedAt', 'timestamptz'],
];

const DELIVERY_COLUMNS: readonly BatchColumn[] = [
  ['key', 'text'],
  ['kind', 'text'],
  ['platform', 'text'],
  ['channel', 'text'],
  ['ticketId', 'integer'],
  ['priority', 'smallint'],
  ['payload', 'jsonb'],
];

/**
 * What a raw `insert … returning` gives back, read as drizzle's `returning()` reads it: every column of
 * `table` listed by name, each value mapped by its own column (timestamps, integers, jsonb), so the
 * objects are the ones the query builder made.
 */
function returningAll(table: PgTable): { list: SQL; read: (row: Record<string, unknown>) => Record<string, unknown> } {
  const columns = Object.entries(getTableColumns(table));
  return {
    list: sql.raw(columns.map(([, c]) => `"${c.name}"`).join(', ')),
    read(row) {
      const out: Record<string, unknown> = {};
      for (const [key, c] of columns) {
        const v = row[c.name];
        out[key] = v === null || v === undefined ? null : c.mapFromDriverValue(v);
      }
      return out;
    },
  };
}

const TICKET_RETURNING = returningAll(t.tickets);
const DELIVERY_RETURNING = returningAll(t.deliveries);

/** Mention rows with, for a driver that can COPY, their COPY lines, encoded as rows are added. */
class EncodedMentions implements MentionBatch {
  readonly rows: MentionRow[] = [];
  private readonly lines: CopyBuffer | null;

  constructor(copy: boolean) {
    this.lines = copy ? new CopyBuffer() : null;
  }

  add(row: MentionRow): void {
    this.rows.push(row);
    this.lines?.append(mentionCopyLine(row));
  }

  /** The COPY lines, or null when the rows take the INSERT path. */
  get copyLines(): Buffer | null {
    return this.lines?.bytes() ?? null;
  }
}

const toTicket = (r: typeof t.tickets.$inferSelect): TicketRow => r as unknown as TicketRow;
const toCluster = (r: typeof t.clusters.$inferSelect): ClusterRow => r as unknown as ClusterRow;

/** Postgres' code for a unique violation. */
const UNIQUE_VIOLATION = '23505';

/** Operations that run inside one transaction: the pipeline composes them. */
export class TxStore {
  constructor(
    protected readonly db: Executor,
    private readonly bulk: BulkLoader | null = null,
    private readonly prepared: PreparedRunner | null = null,
  ) {}

  get executor(): Executor {
    return this.db;
  }

  /** Rows of one of ingest's statements: prepared where the transaction can (see PreparedRunner). */
  private run<T>(query: SQL): Promise<T[]> {
    return this.prepared ? this.prepared.rows<T>(query) : rowsOf<T>(this.db, query);
  }

  /**
   * Inserts mentions, skipping existing ones; returns `source:id` → row id of those inserted.
   * Where the driver can COPY, the prepared lines are copied in: COPY costs the server about half
   * of an INSERT … SELECT of the same rows. Ingest has already left out the mentions it found
   * stored, so a copy fails only when another worker stored one of them meanwhile; the savepoint
   * then rolls the copy back and the rows go through the INSERT, which skips the stored ones.
   */
  async insertMentions(mentions: MentionBatch): Promise<readonly MentionRow[]> {
    const { rows } = mentions;
    if (rows.length === 0) return rows;
    const lines = mentions instanceof EncodedMentions ? mentions.copyLines : null;
    if (this.bulk && lines !== null) {
      try {
        await this.bulk.copy('mentions', MENTION_TABLE_COLUMNS, lines);
        return rows;
      } catch (err) {
        if ((err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
      }
    }
    const inserted = new Set<number>();
    for (const part of chunks(rows, INSERT_CHUNK)) {
      const result = await this.run<{ id: number | string }>(
        sql`insert into mentions (${sql.raw(MENTION_TABLE_COLUMNS.join(', '))})
            select ${sql.raw(MENTION_COLUMNS.map(([key]) => `"${key}"`).join(', '))}
            from ${batchOf(part, MENTION_COLUMNS)} as r
            on conflict (source, external_id) do nothing
            returning id`,
      );
      for (const r of result) inserted.add(Number(r.id));
    }
    return inserted.size === rows.length ? rows : rows.filter((r) => inserted.has(r.id));
  }

  /** Adds the deltas to their clusters; returns the clusters as they now are (without the engine's signature, which can be large). */
  async upsertClusters(deltas: ReadonlyArray<ClusterDelta & { headMentionId: number | null }>): Promise<Array<Omit<ClusterRow, 'signature'>>> {
    if (deltas.length === 0) return [];
    const out: Array<Omit<ClusterRow, 'signature'>> = [];
    // Sorted ids: concurrent batches lock cluster rows in the same order, so they cannot deadlock.
    const sorted = [...deltas].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const part of chunks(sorted, INSERT_CHUNK)) {
      const rows = await this.run<Record<string, unknown>>(
        sql`insert into clusters as c (id, first_seen, last_seen, count, level, peak_score, category, account, head_mention_id, signature)
            select id, "firstSeen", "lastSeen", added, level, "peakScore", category, account, "headMentionId", signature
            from ${batchOf(part, CLUSTER_COLUMNS)} as r
            on conflict (id) do update set
              count = c.count + excluded.count,
              first_seen = least(c.first_seen, excluded.first_seen),
              last_seen = greatest(c.last_seen, excluded.last_seen),
              level = case when array_position(array['none','watch','high','critical'], excluded.level)
                > array_position(array['none','watch','high','critical'], c.level) then excluded.level else c.level end,
              head_mention_id = case when excluded.peak_score > c.peak_score then excluded.head_mention_id
                else coalesce(c.head_mention_id, excluded.head_mention_id) end,
              peak_score = greatest(c.peak_score, excluded.peak_score),
              category = coalesce(c.category, excluded.category),
              account = coalesce(c.account, excluded.account),
              signature = coalesce(excluded.signature, c.signature),
              updated_at = now()
            returning id, first_seen, last_seen, count, level, peak_score, category, account, head_mention_id`,
      );
      for (const r of rows) {
        out.push({
          id: r.id as string,
          firstSeen: toDate(r.first_seen),
          lastSeen: toDate(r.last_seen),
          count: Number(r.count),
          level: r.level as ClusterRow['level'],
          peakScore: Number(r.peak_score),
          category: (r.category as string | null) ?? null,
          account: (r.account as string | null) ?? null,
          headMentionId: r.head_mention_id === null ? null : Number(r.head_mention_id),
        });
      }
    }
    return out;
  }

  /**
   * Records authors not seen before, and new handles of known ones. A known author with the same
   * handle costs an index probe and no write: counts and snapshots are read from mentions instead.
   */
  async upsertAuthors(deltas: readonly AuthorDelta[]): Promise<void> {
    const key = (a: AuthorDelta) => `${a.source}\u0000${a.authorId}`;
    const sorted = [...deltas].sort((a, b) => (key(a) < key(b) ? -1 : 1));
    for (const part of chunks(sorted, INSERT_CHUNK)) {
      await this.run(sql`
        insert into authors as a (source, author_id, handle, first_seen)
        select source, "authorId", handle, "seenAt"
        from ${batchOf(part, AUTHOR_COLUMNS)} as r
        on conflict (source, author_id) do update set handle = excluded.handle
          where a.handle is distinct from excluded.handle`);
    }
  }

  async addVolume(deltas: readonly VolumeDelta[]): Promise<void> {
    if (deltas.length === 0) return;
    const sorted = [...deltas].sort((a, b) => a.hour.getTime() - b.hour.getTime() || (a.account + a.source < b.account + b.source ? -1 : 1));
    for (const part of chunks(sorted, INSERT_CHUNK)) {
      await this.run(sql`
        insert into hourly_volume as v (hour, account, source, count, risky)
        select hour, account, source, count, risky from ${batchOf(part, VOLUME_COLUMNS)} as r
        on conflict (hour, account, source) do update set count = v.count + excluded.count, risky = v.risky + excluded.risky`);
    }
  }

  async ticketsByCluster(clusterIds: readonly string[]): Promise<TicketRow[]> {
    if (clusterIds.length === 0) return [];
    const out: TicketRow[] = [];
    for (const part of chunks(clusterIds, INSERT_CHUNK)) {
      const rows = await this.run<Record<string, unknown>>(
        sql`select ${TICKET_RETURNING.list} from tickets where cluster_id in (select json_array_elements_text(${JSON.stringify(part)}::text::json))`,
      );
      for (const r of rows) out.push(TICKET_RETURNING.read(r) as unknown as TicketRow);
    }
    return out;
  }

  /** Creates tickets; a cluster that already has one (another worker won) is skipped. */
  async insertTickets(rows: readonly NewTicket[]): Promise<TicketRow[]> {
    if (rows.length === 0) return [];
    const out: TicketRow[] = [];
    for (const part of chunks(rows, INSERT_CHUNK)) {
      const created = await this.run<Record<string, unknown>>(
        sql`insert into tickets (cluster_id, status, level, category, account, team, opened_at)
            select "clusterId", 'open', level, category, account, team, "openedAt" from ${batchOf(part, TICKET_COLUMNS)} as r
            on conflict (cluster_id) do nothing
            returning ${TICKET_RETURNING.list}`,
      );
      for (const r of created) out.push(TICKET_RETURNING.read(r) as unknown as TicketRow);
    }
    return out;
  }

  async setTicketLevel(ticketId: number, level: string): Promise<void> {
    await this.db.update(t.tickets).set({ level, updatedAt: sql`now()` }).where(eq(t.tickets.id, ticketId));
  }

  async lockTicket(ticketId: number): Promise<TicketRow | null> {
    const rows = await this.db.select().from(t.tickets).where(eq(t.tickets.id, ticketId)).for('update');
    return rows[0] ? toTicket(rows[0]) : null;
  }

  /** Applies a decision's effect; bumps the version so concurrent clicks on the old card conflict. */
  async updateTicket(ticketId: number, patch: Partial<Omit<TicketRow, 'id' | 'version'>>): Promise<TicketRow> {
    const rows = await this.db
      .update(t.tickets)
      .set({ ...(patch as Record<string, unknown>), version: sql`${t.tickets.version} + 1`, updatedAt: sql`now()` })
      .where(eq(t.tickets.id, ticketId))
      .returning();
    return toTicket(rows[0]!);
  }

  /** Adds outbound work. A card key is posted once ever; an update/notice key already done is re-armed. */
  async addDeliveries(rows: readonly NewDelivery[]): Promise<DeliveryRow[]> {
    if (rows.length === 0) return [];
    const out: DeliveryRow[] = [];
    // One statement text whatever the number of rows (a VALUES list made a new prepared statement,
    // and a describe round trip, for every count).
    for (const part of chunks(rows, 1_000)) {
      const result = await this.run<Record<string, unknown>>(
        sql`insert into deliveries as d (key, kind, platform, channel, ticket_id, priority, payload)
            select key, kind, platform, channel, "ticketId", coalesce(priority, 0), payload from ${batchOf(part, DELIVERY_COLUMNS)} as r
            on conflict (key) do update set
              -- Refreshes re-arm when done; a folded card re-arms when its story became more urgent.
              state = case when d.kind = 'update' and d.state in ('done','failed') then 'pending'
                when d.kind = 'card' and d.state = 'folded' and excluded.priority > d.priority then 'pending'
                else d.state end,
              attempts = case when d.kind = 'update' and d.state in ('done','failed') then 0 else d.attempts end,
              priority = greatest(d.priority, excluded.priority),
              updated_at = now()
            returning ${DELIVERY_RETURNING.list}`,
      );
      for (const r of result) out.push(DELIVERY_RETURNING.read(r) as unknown as DeliveryRow);
    }
    return out;
  }

  async appendDecision(input: DecisionInput): Promise<DecisionRow> {
    await this.db.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`);
    const head = await this.db.select().from(t.auditHead).where(eq(t.auditHead.id, 1));
    const prevHash = head[0]?.lastHash ?? GENESIS_HASH;
    const fields = {
      ticketId: input.ticketId,
      crisisId: input.crisisId ?? null,
      action: input.action,
      actorId: input.actorId,
      actorName: input.actorName,
      platform: input.platform,
      payload: input.payload,
      at: input.at,
    };
    const hash = decisionHash(prevHash, fields);
    const [row] = await this.db
      .insert(t.decisions)
      .values({ ...fields, prevHash, hash })
      .returning();
    await this.db
      .insert(t.auditHead)
      .values({ id: 1, lastId: row!.id, lastHash: hash })
      .onConflictDoUpdate({ target: t.auditHead.id, set: { lastId: row!.id, lastHash: hash } });
    return row as unknown as DecisionRow;
  }
}

/** The database-backed store: the only place that knows table and column names. */
export class Store extends TxStore {
  constructor(readonly database: Database) {
    super(database.db);
  }

  transaction<T>(work: (tx: TxStore) => Promise<T>): Promise<T> {
    return this.database.transaction((db, bulk, prepared) => work(new TxStore(db, bulk, prepared)));
  }

  /**
   * What ingest reads before scoring a batch, in ONE statement (see IngestStore): three statements
   * cost three round trips and sent the keys twice. The sequence is named rather than looked up:
   * pg_get_serial_sequence() searches the catalog, which cost the server 7% of its ingest time.
   */
  async batchReads(
    mentions: ReadonlyArray<{ source: string; id: string; author: { id: string } }>,
    count: number,
  ): Promise<{ existing: Set<string>; flags: Map<string, string[]>; ids: number[] }> {
    const existing = new Set<string>();
    const flags = new Map<string, string[]>();
    const ids: number[] = [];
    const parts = chunks(mentions, INSERT_CHUNK);
    for (let p = 0; p < Math.max(1, parts.length); p++) {
      const part = parts[p] ?? [];
      // The ids come with the first part only.
      const wanted = p === 0 ? count : 0;
      const rows = await this.database.prepared.rows<{ kind: number; source: string | null; key: string | null; flags: string[] | null }>(
        sql`with k as ${batchOf(
          part.map((m) => ({ source: m.source, id: m.id, authorId: m.author.id })),
          [['source', 'text'], ['id', 'text'], ['authorId', 'text']],
        )}
            select 0 as kind, m.source, m.external_id as key, null::jsonb as flags
              from mentions m join k on m.source = k.source and m.external_id = k.id
            union all
            select 1, a.source, a.author_id, a.flags
              from authors a join k on a.source = k.source and a.author_id = k."authorId"
              where a.flags <> '[]'::jsonb
            union all
            -- The ids as one comma-separated row: a row each cost more to send and read than the ids.
            select 2, null, string_agg(nextval('mentions_id_seq')::text, ','), null from generate_series(1, ${wanted}::int)`,
      );
      for (const r of rows) {
        const kind = Number(r.kind);
        if (kind === 0) existing.add(`${r.source}:${r.key}`);
        else if (kind === 1) flags.set(`${r.source}:${r.key}`, r.flags ?? []);
        else if (r.key !== null) for (const id of r.key.split(',')) ids.push(Number(id));
      }
    }
    // Taken in this order by one scan; sorted so that the order never depends on the plan.
    ids.sort((a, b) => a - b);
    return { existing, flags, ids };
  }

  mentionBatch(): MentionBatch {
    return new EncodedMentions(this.database.kind === 'postgres');
  }

  /** A batch of these rows (for callers that have them all at once). */
  prepareMentions(rows: readonly MentionRow[]): MentionBatch {
    const batch = this.mentionBatch();
    for (const r of rows) batch.add(r);
    return batch;
  }

  async queueMentions(mentions: readonly Mention[]): Promise<void> {
    for (const part of chunks(mentions, INSERT_CHUNK)) {
      await this.db.execute(sql`insert into inbox (mention) select mention from ${batchOf(part.map((mention) => ({ mention })), [['mention', 'jsonb']])} as r`);
    }
  }

  async takeInbox(limit: number): Promise<Array<{ id: number; mention: unknown }>> {
    const rows = await this.db.select({ id: t.inbox.id, mention: t.inbox.mention }).from(t.inbox).orderBy(asc(t.inbox.id)).limit(limit);
    return rows.map((r) => ({ id: Number(r.id), mention: r.mention }));
  }

  async clearInbox(ids: readonly number[]): Promise<void> {
    if (ids.length > 0) await this.db.delete(t.inbox).where(inArray(t.inbox.id, [...ids]));
  }

  /** Which of these `source:id` keys are already stored. */
  async existingKeys(keys: ReadonlyArray<{ source: string; id: string }>): Promise<Set<string>> {
    const found = new Set<string>();
    for (const part of chunks(keys, INSERT_CHUNK)) {
      const rows = await rowsOf<{ source: string; external_id: string }>(
        this.db,
        sql`select m.source, m.external_id from mentions m
            join ${batchOf(part, [['source', 'text'], ['id', 'text']])} as k
              on m.source = k.source and m.external_id = k.id`,
      );
      for (const r of rows) found.add(`${r.source}:${r.external_id}`);
    }
    return found;
  }

  async addAuthorFlag(source: string, authorId: string, flag: string): Promise<void> {
    await this.db
      .update(t.authors)
      .set({ flags: sql`case when ${t.authors.flags} ? ${flag} then ${t.authors.flags} else ${t.authors.flags} || jsonb_build_array(${flag}::text) end` })
      .where(and(eq(t.authors.source, source), eq(t.authors.authorId, authorId)));
  }

  /** An author's profile: the stored row, plus their mention count and latest snapshot, read from mentions. */
  async author(source: string, authorId: string): Promise<AuthorProfileRow | null> {
    const rows = await this.database.rows<{ handle: string; flags: string[]; first_seen: Date | string; mentions: number; snapshot: unknown; last_seen: Date | string | null }>(sql`
      select a.handle, a.flags, a.first_seen, l.author as snapshot, l.created_at as last_seen,
        (select count(*) from mentions m where m.source = a.source and m.author_id = a.author_id)::int as mentions
      from authors a
      left join lateral (
        select author, created_at from mentions m where m.source = a.source and m.author_id = a.author_id
        order by created_at desc limit 1) l on true
      where a.source = ${source} and a.author_id = ${authorId}`);
    const r = rows[0];
    if (!r) return null;
    const firstSeen = toDate(r.first_seen);
    return {
      source,
      authorId,
      handle: r.handle,
      flags: r.flags,
      firstSeen,
      mentions: Number(r.mentions),
      snapshot: r.snapshot ?? { id: authorId, handle: r.handle },
      lastSeen: r.last_seen === null ? firstSeen : toDate(r.last_seen),
    };
  }

  async authorsByHandle(handle: string) {
    return this.db.select().from(t.authors).where(eq(t.authors.handle, handle.replace(/^@/, ''))).limit(10);
  }

  /** Past decisions on tickets whose cluster contains mentions of this author. */
  async authorHistory(source: string, authorId: string) {
    return this.database.rows<{ ticket_id: number; action: string; payload: Record<string, unknown>; at: Date; level: string; category: string | null }>(sql`
      select d.ticket_id, d.action, d.payload, d.at, tk.level, tk.category
      from decisions d join tickets tk on tk.id = d.ticket_id
      where tk.cluster_id in (select distinct cluster_id from mentions where source = ${source} and author_id = ${authorId})
        and d.action <> 'note'
      order by d.id desc limit 50`);
  }

  /** Reads inside a caller's transaction (the decision path locks the ticket first). */
  async lastDecisionTx(tx: TxStore, ticketId: number): Promise<DecisionRow | null> {
    return new Store({ ...this.database, db: tx.executor } as Database).lastDecision(ticketId);
  }

  async clusterTx(tx: TxStore, clusterId: string): Promise<ClusterRow | null> {
    return new Store({ ...this.database, db: tx.executor } as Database).cluster(clusterId);
  }

  async refsForTicketTx(tx: TxStore, ticketId: number): Promise<StoredRef[]> {
    return new Store({ ...this.database, db: tx.executor } as Database).refsForTicket(ticketId);
  }

  /** Learns an author flag from a decision (e.g. ignored as troll) for every author of the story. */
  async flagAuthorsOfTx(tx: TxStore, clusterId: string, flag: string): Promise<void> {
    await tx.executor.execute(sql`
      update authors a set flags = case when a.flags ? ${flag} then a.flags else a.flags || jsonb_build_array(${flag}::text) end
      from (select distinct source, author_id from mentions where cluster_id = ${clusterId}) m
      where a.source = m.source and a.author_id = m.author_id`);
  }

  /** The ticket of the story a mention belongs to, if the story got one. */
  async ticketForMention(source: string, externalId: string): Promise<TicketRow | null> {
    const rows = await this.db
      .select({ ticket: t.tickets })
      .from(t.mentions)
      .innerJoin(t.tickets, eq(t.tickets.clusterId, t.mentions.clusterId))
      .where(and(eq(t.mentions.source, source), eq(t.mentions.externalId, externalId)));
    return rows[0] ? toTicket(rows[0].ticket) : null;
  }

  /** Tickets whose story contains a mention with this text (the demo script's fallback matcher). */
  async ticketByText(fragment: string): Promise<TicketRow | null> {
    const rows = await this.db
      .select({ ticket: t.tickets })
      .from(t.mentions)
      .innerJoin(t.tickets, eq(t.tickets.clusterId, t.mentions.clusterId))
      .where(sql`position(lower(${fragment}) in lower(${t.mentions.text})) > 0`)
      .limit(1);
    return rows[0] ? toTicket(rows[0].ticket) : null;
  }

  async ticketLevels(): Promise<Record<string, number>> {
    const rows = await this.database.rows<{ level: string; n: number }>(sql`select level, count(*)::int as n from tickets group by level`);
    return Object.fromEntries(rows.map((r) => [r.level, Number(r.n)]));
  }

  /** Tickets whose stories this author took part in. */
  async authorTicketCount(source: string, authorId: string): Promise<number> {
    const rows = await this.database.rows<{ n: number }>(sql`
      select count(*)::int as n from tickets where cluster_id in (select distinct cluster_id from mentions where source = ${source} and author_id = ${authorId})`);
    return Number(rows[0]?.n ?? 0);
  }

  /** Escalation steps already fired for a ticket (recorded as system decisions). */
  async firedEscalations(ticketId: number): Promise<Set<number>> {
    const rows = await this.db
      .select({ payload: t.decisions.payload })
      .from(t.decisions)
      .where(and(eq(t.decisions.ticketId, ticketId), eq(t.decisions.action, 'escalate')));
    return new Set(rows.map((r) => Number((r.payload as { stepIndex?: number }).stepIndex)));
  }

  async ticket(ticketId: number): Promise<TicketRow | null> {
    const rows = await this.db.select().from(t.tickets).where(eq(t.tickets.id, ticketId));
    return rows[0] ? toTicket(rows[0]) : null;
  }

  async cluster(clusterId: string): Promise<ClusterRow | null> {
    const rows = await this.db.select().from(t.clusters).where(eq(t.clusters.id, clusterId));
    return rows[0] ? toCluster(rows[0]) : null;
  }

  async mention(id: number) {
    const rows = await this.db.select().from(t.mentions).where(eq(t.mentions.id, id));
    return rows[0] ?? null;
  }

  async firstMentionOf(clusterId: string) {
    const rows = await this.db.select().from(t.mentions).where(eq(t.mentions.clusterId, clusterId)).orderBy(asc(t.mentions.id)).limit(1);
    return rows[0] ?? null;
  }

  /** Mentions per bucket for the cluster, oldest first, ending at `until`. */
  async clusterTrend(clusterId: string, until: Date, bucketMs: number, buckets: number): Promise<number[]> {
    const from = new Date(until.getTime() - bucketMs * buckets);
    const rows = await this.database.rows<{ b: number; n: number }>(sql`
      select floor(extract(epoch from (created_at - ${from.toISOString()}::timestamptz)) * 1000 / ${bucketMs})::int as b, count(*)::int as n
      from mentions where cluster_id = ${clusterId} and created_at >= ${from.toISOString()}::timestamptz and created_at <= ${until.toISOString()}::timestamptz
      group by 1`);
    const out = new Array<number>(buckets).fill(0);
    for (const r of rows) {
      const i = Math.min(buckets - 1, Math.max(0, Number(r.b)));
      out[i] = (out[i] ?? 0) + Number(r.n);
    }
    return out;
  }

  async decisionsFor(ticketId: number): Promise<DecisionRow[]> {
    const rows = await this.db.select().from(t.decisions).where(eq(t.decisions.ticketId, ticketId)).orderBy(asc(t.decisions.id));
    return rows as unknown as DecisionRow[];
  }

  async lastDecision(ticketId: number): Promise<DecisionRow | null> {
    const rows = await this.db
      .select()
      .from(t.decisions)
      .where(and(eq(t.decisions.ticketId, ticketId), sql`${t.decisions.action} <> 'note'`))
      .orderBy(desc(t.decisions.id))
      .limit(1);
    return (rows[0] as unknown as DecisionRow) ?? null;
  }

  /**
   * Claims the most urgent pending delivery of a channel (critical first, then oldest), so a
   * critical story jumps the queue. SKIP LOCKED lets several workers drain without double sends.
   */
  async claimDelivery(platform: Platform, channel: string, kinds: readonly string[]): Promise<(DeliveryRow & { previousAttempts: number }) | null> {
    const rows = await this.database.rows<Record<string, unknown>>(sql`
      update deliveries set state = 'sending', attempts = attempts + 1, updated_at = now()
      where id = (
        select id from deliveries
        where platform = ${platform} and channel = ${channel} and state = 'pending'
          and kind in (${sql.join(kinds.map((k) => sql`${k}`), sql`, `)})
        order by priority desc, id asc
        limit 1 for update skip locked)
      returning id, key, kind, platform, channel, ticket_id, state, attempts, priority, payload`);
    const r = rows[0];
    if (!r) return null;
    return {
      id: Number(r.id),
      key: String(r.key),
      kind: r.kind as DeliveryRow['kind'],
      platform: r.platform as Platform,
      channel: String(r.channel),
      ticketId: r.ticket_id === null ? null : Number(r.ticket_id),
      state: 'sending',
      attempts: Number(r.attempts),
      previousAttempts: Number(r.attempts) - 1,
      priority: Number(r.priority),
      payload: r.payload,
    };
  }

  async claimDeliveryById(id: number): Promise<(DeliveryRow & { previousAttempts: number }) | null> {
    const rows = await this.db
      .update(t.deliveries)
      .set({ state: 'sending', attempts: sql`${t.deliveries.attempts} + 1`, updatedAt: sql`now()` })
      .where(and(eq(t.deliveries.id, id), eq(t.deliveries.state, 'pending')))
      .returning();
    const r = rows[0];
    if (!r) return null;
    return { ...(r as unknown as DeliveryRow), previousAttempts: r.attempts - 1 };
  }

  async claimDeliveryByKey(key: string): Promise<DeliveryRow | null> {
    const rows = await this.db
      .update(t.deliveries)
      .set({ state: 'sending', attempts: sql`${t.deliveries.attempts} + 1`, updatedAt: sql`now()` })
      .where(and(eq(t.deliveries.key, key), eq(t.deliveries.state, 'pending')))
      .returning();
    return (rows[0] as unknown as DeliveryRow) ?? null;
  }

  /** A refused send (429) did not land: it must not count as "may have landed". */
  async forgetAttempt(id: number): Promise<void> {
    await this.db
      .update(t.deliveries)
      .set({ attempts: sql`greatest(${t.deliveries.attempts} - 1, 0)` })
      .where(eq(t.deliveries.id, id));
  }

  /** Adds a folded ticket to a storm card's list and re-arms the storm card for an update. */
  async appendStormTicket(key: string, ticketId: number): Promise<void> {
    await this.db
      .update(t.deliveries)
      .set({
        payload: sql`jsonb_set(coalesce(${t.deliveries.payload}, '{}'::jsonb), '{ticketIds}', coalesce(${t.deliveries.payload}->'ticketIds', '[]'::jsonb) || to_jsonb(${ticketId}::int))`,
        state: 'pending',
        attempts: 0,
        updatedAt: sql`now()`,
      })
      .where(eq(t.deliveries.key, key));
  }

  async finishDelivery(id: number, state: 'done' | 'pending' | 'failed' | 'folded', error?: string): Promise<void> {
    await this.db
      .update(t.deliveries)
      .set({ state, lastError: error ?? null, updatedAt: sql`now()`, ...(state === 'done' ? { doneAt: sql`now()` } : {}) })
      // Only the sender that claimed it may finish it: a row re-armed meanwhile (a storm card that
      // gained a story, a refresh after a new decision) stays pending for the next send.
      .where(and(eq(t.deliveries.id, id), eq(t.deliveries.state, 'sending')));
  }

  /** Deliveries left pending or mid-send (a crash): the start-up recovery re-enqueues them. */
  async unfinishedDeliveries(olderThan?: Date): Promise<DeliveryRow[]> {
    const rows = await this.db
      .select()
      .from(t.deliveries)
      .where(
        and(
          inArray(t.deliveries.state, ['pending', 'sending']),
          ...(olderThan ? [lt(t.deliveries.updatedAt, olderThan)] : []),
        ),
      )
      .orderBy(desc(t.deliveries.priority), asc(t.deliveries.id))
      .limit(50_000);
    return rows as unknown as DeliveryRow[];
  }

  /** A send that crashed mid-way is "pending with attempts": the next try looks before posting. */
  async resetSending(): Promise<number> {
    const rows = await this.db
      .update(t.deliveries)
      .set({ state: 'pending' })
      .where(eq(t.deliveries.state, 'sending'))
      .returning({ id: t.deliveries.id });
    return rows.length;
  }

  /** Adds notices, or gives an existing one its new content and re-arms it (a checklist updated in place). */
  async rearmNotices(rows: readonly NewDelivery[]): Promise<DeliveryRow[]> {
    const out: DeliveryRow[] = [];
    for (const row of rows) {
      const result = await this.db
        .insert(t.deliveries)
        .values({ ...row, payload: row.payload ?? null })
        .onConflictDoUpdate({ target: t.deliveries.key, set: { payload: sql`excluded.payload`, state: 'pending', attempts: 0, updatedAt: sql`now()` } })
        .returning();
      out.push(...(result as unknown as DeliveryRow[]));
    }
    return out;
  }

  async existingDeliveryKeys(keys: readonly string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows = await this.db.select({ key: t.deliveries.key }).from(t.deliveries).where(inArray(t.deliveries.key, [...keys]));
    return new Set(rows.map((r) => r.key));
  }

  async pendingCount(platform: Platform, channel: string, kind: string): Promise<number> {
    const rows = await this.database.rows<{ n: number }>(sql`
      select count(*)::int as n from deliveries where platform = ${platform} and channel = ${channel} and kind = ${kind} and state = 'pending'`);
    return Number(rows[0]?.n ?? 0);
  }

  async saveRef(ref: StoredRef & { crisisId?: number | null }): Promise<void> {
    await this.db
      .insert(t.messageRefs)
      .values({
        key: ref.key,
        platform: ref.platform,
        channel: ref.channel,
        messageId: ref.messageId,
        threadId: ref.threadId ?? null,
        ticketId: ref.ticketId,
        crisisId: ref.crisisId ?? null,
        renderedVersion: ref.renderedVersion,
      })
      .onConflictDoUpdate({
        target: t.messageRefs.key,
        set: { messageId: sql`excluded.message_id`, threadId: sql`excluded.thread_id`, renderedVersion: sql`excluded.rendered_version` },
      });
  }

  async setRenderedVersion(key: string, version: number): Promise<void> {
    await this.db.update(t.messageRefs).set({ renderedVersion: version }).where(eq(t.messageRefs.key, key));
  }

  async refByKey(key: string): Promise<StoredRef | null> {
    const rows = await this.db.select().from(t.messageRefs).where(eq(t.messageRefs.key, key));
    return rows[0] ? toRef(rows[0]) : null;
  }

  async refsForTicket(ticketId: number): Promise<StoredRef[]> {
    const rows = await this.db.select().from(t.messageRefs).where(eq(t.messageRefs.ticketId, ticketId));
    return rows.map(toRef);
  }

  /** The stored message a thread reply or a reaction refers to (by its id or its thread id). */
  async refByMessage(ref: MessageRef): Promise<StoredRef | null> {
    const id = ref.threadId ?? ref.messageId;
    const rows = await this.db
      .select()
      .from(t.messageRefs)
      .where(
        and(
          eq(t.messageRefs.platform, ref.platform),
          sql`(${t.messageRefs.messageId} = ${id} or ${t.messageRefs.threadId} = ${id} or ${t.messageRefs.messageId} = ${ref.messageId})`,
        ),
      )
      .limit(1);
    return rows[0] ? toRef(rows[0]) : null;
  }

  async listTickets(filter: { status?: string; limit?: number }) {
    return this.db
      .select()
      .from(t.tickets)
      .where(filter.status ? eq(t.tickets.status, filter.status) : undefined)
      .orderBy(desc(t.tickets.id))
      .limit(filter.limit ?? 50);
  }

  async openTicketsNeedingEscalation(levels: readonly string[]): Promise<TicketRow[]> {
    const rows = await this.db
      .select()
      .from(t.tickets)
      .where(and(eq(t.tickets.status, 'open'), inArray(t.tickets.level, [...levels]), sql`${t.tickets.firstDecisionAt} is null`));
    return rows.map(toTicket);
  }

  async decisionsBetween(from: Date, to: Date) {
    return this.db
      .select()
      .from(t.decisions)
      .where(and(gte(t.decisions.at, from), lt(t.decisions.at, to)))
      .orderBy(asc(t.decisions.id));
  }

  async ticketsBetween(from: Date, to: Date) {
    return this.db
      .select()
      .from(t.tickets)
      .where(and(gte(t.tickets.openedAt, from), lt(t.tickets.openedAt, to)))
      .orderBy(asc(t.tickets.id));
  }

  async verifyAudit(): Promise<ReturnType<typeof verifyChain>> {
    const head = await this.db.select().from(t.auditHead).where(eq(t.auditHead.id, 1));
    // Stream in pages so a long history does not sit in memory at once.
    const pageSize = 5_000;
    let after = 0;
    const self = this;
    async function* pages() {
      for (;;) {
        const rows = await self.db
          .select()
          .from(t.decisions)
          .where(sql`${t.decisions.id} > ${after}`)
          .orderBy(asc(t.decisions.id))
          .limit(pageSize);
        if (rows.length === 0) return;
        after = rows[rows.length - 1]!.id;
        yield rows;
      }
    }
    const all: Array<Parameters<typeof verifyChain>[0] extends Iterable<infer R> ? R : never> = [];
    for await (const page of pages()) all.push(...(page as never[]));
    return verifyChain(all, head[0] ? { lastId: head[0].lastId, lastHash: head[0].lastHash } : null);
  }

  async cursor(key: string): Promise<string | null> {
    const rows = await this.db.select().from(t.sourceCursors).where(eq(t.sourceCursors.key, key));
    return rows[0]?.value ?? null;
  }

  async setCursor(key: string, value: string): Promise<void> {
    await this.db
      .insert(t.sourceCursors)
      .values({ key, value })
      .onConflictDoUpdate({ target: t.sourceCursors.key, set: { value, updatedAt: sql`now()` } });
  }

  async counts(): Promise<{ mentions: number; clusters: number; tickets: number; decisions: number; deliveries: number }> {
    const rows = await this.database.rows<Record<string, number>>(sql`
      select (select count(*) from mentions)::int as mentions, (select count(*) from clusters)::int as clusters,
             (select count(*) from tickets)::int as tickets, (select count(*) from decisions)::int as decisions,
             (select count(*) from deliveries)::int as deliveries`);
    const r = rows[0]!;
    return { mentions: Number(r.mentions), clusters: Number(r.clusters), tickets: Number(r.tickets), decisions: Number(r.decisions), deliveries: Number(r.deliveries) };
  }

  /** Live clusters seen since `since`, to warm the engine after a restart. */
  async liveClusters(since: Date, limit: number): Promise<ClusterRow[]> {
    const rows = await this.db
      .select()
      .from(t.clusters)
      .where(gte(t.clusters.lastSeen, since))
      .orderBy(desc(t.clusters.lastSeen))
      .limit(limit);
    return rows.map(toCluster);
  }
}

function toRef(r: typeof t.messageRefs.$inferSelect): StoredRef {
  return {
    key: r.key,
    platform: r.platform as Platform,
    channel: r.channel,
    messageId: r.messageId,
    threadId: r.threadId,
    ticketId: r.ticketId,
    renderedVersion: r.renderedVersion,
  };
}
