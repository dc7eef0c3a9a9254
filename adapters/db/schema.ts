import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,

  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Every mention ever received. `source` + `external_id` is its identity: ingesting twice is a no-op. */
export const mentions = pgTable(
  'mentions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    source: text('source').notNull(),
    externalId: text('external_id').notNull(),
    url: text('url'),
    text: text('text').notNull(),
    lang: text('lang'),
    createdAt: ts('created_at').notNull(),
    receivedAt: ts('received_at').notNull().defaultNow(),
    account: text('account'),
    authorId: text('author_id').notNull(),
    authorHandle: text('author_handle').notNull(),
    author: jsonb('author').notNull(),
    replyTo: text('reply_to'),
    repostOf: text('repost_of'),
    quoteOf: text('quote_of'),
    score: smallint('score').notNull(),
    level: text('level').notNull(),
    category: text('category'),
    rules: jsonb('rules').notNull(),
    reasons: jsonb('reasons').notNull(),
    clusterId: text('cluster_id').notNull(),
  },
  (t) => [
    uniqueIndex('mentions_source_external_id').on(t.source, t.externalId),
    index('mentions_cluster_id').on(t.clusterId),
    // No index on created_at alone: no query reads mentions by time only (the digest reads hourly
    // volume, trends read a cluster's mentions), and each one cost every ingested mention an update.
    // An author's profile (count, latest snapshot, stories) is read from their mentions.
    index('mentions_author').on(t.source, t.authorId, t.createdAt),
  ],
);

/** A story: mentions grouped by the engine (same original, same link, near-duplicate text…). */
export const clusters = pgTable(
  'clusters',
  {
    id: text('id').primaryKey(),
    firstSeen: ts('first_seen').notNull(),
    lastSeen: ts('last_seen').notNull(),
    count: integer('count').notNull(),
    level: text('level').notNull(),
    peakScore: smallint('peak_score').notNull(),
    category: text('category'),
    account: text('account'),
    /** The mention shown on the card: the first one at the cluster's highest score. */
    headMentionId: bigint('head_mention_id', { mode: 'number' }),
    status: text('status').notNull().default('live'),
    signature: jsonb('signature'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('clusters_last_seen').on(t.lastSeen)],
);

/** One ticket per cluster that reached the card threshold. `version` increases with every change. */
export const tickets = pgTable(
  'tickets',
  {
    id: serial('id').primaryKey(),
    clusterId: text('cluster_id').notNull(),
    status: text('status').notNull().default('open'),
    level: text('level').notNull(),
    category: text('category'),
    account: text('account'),
    team: text('team'),
    assigneeId: text('assignee_id'),
    assigneeName: text('assignee_name'),
    version: integer('version').notNull().default(1),
    openedAt: ts('opened_at').notNull(),
    firstDecisionAt: ts('first_decision_at'),
    lastDecisionAt: ts('last_decision_at'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    /** Ignored with a snooze: until then growth is silent; after it, growth past the mark brings it back. */
    snoozeUntil: ts('snooze_until'),
    /** Cluster size when it was ignored, to tell "still growing". */
    ignoredAtCount: integer('ignored_at_count'),
    /** Two-person approval: the reply drafted and waiting for a second person. */
    pendingReply: jsonb('pending_reply'),
    crisisId: integer('crisis_id'),
  },
  (t) => [
    uniqueIndex('tickets_cluster_id').on(t.clusterId),
    index('tickets_status_level').on(t.status, t.level),
    index('tickets_opened_at').on(t.openedAt),
  ],
);

/**
 * Append-only history of every decision. Each row stores the hash of the previous one, and
 * `audit_head` the last, so an edited, deleted or truncated row is detected by `vigie audit verify`.
 */
export const decisions = pgTable(
  'decisions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ticketId: integer('ticket_id'),
    crisisId: integer('crisis_id'),
    action: text('action').notNull(),
    actorId: text('actor_id').notNull(),
    actorName: text('actor_name').notNull(),
    platform: text('platform').notNull(),
    payload: jsonb('payload').notNull(),
    at: ts('at').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [index('decisions_ticket_id').on(t.ticketId), index('decisions_at').on(t.at)],
);

export const auditHead = pgTable('audit_head', {
  id: smallint('id').primaryKey(),
  lastId: bigint('last_id', { mode: 'number' }).notNull(),
  lastHash: text('last_hash').notNull(),
});

/** Authors seen, per source: handle, learned flags, first sighting. Counts and the latest snapshot come from their mentions. */
export const authors = pgTable(
  'authors',
  {
    source: text('source').notNull(),
    authorId: text('author_id').notNull(),
    handle: text('handle').notNull(),
    flags: jsonb('flags').notNull().default(sql`'[]'::jsonb`),
    firstSeen: ts('first_seen').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.source, t.authorId] }),
    index('authors_handle').on(t.handle),
    // Ingest asks for the flags of every batch's authors; flagged ones are few, so a small partial
    // index answers without probing the primary key once per author.
    index('authors_flagged').on(t.source, t.authorId).where(sql`${t.flags} <> '[]'::jsonb`),
  ],
);

/**
 * Outbound chat work: what must be posted or updated where. The key is the idempotency key sent to
 * the platform (message metadata), so a retry after a crash can look before posting again.
 */
export const deliveries = pgTable(
  'deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    key: text('key').notNull(),
    kind: text('kind').notNull(),
    platform: text('platform').notNull(),
    channel: text('channel').notNull(),
    ticketId: integer('ticket_id'),
    state: text('state').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    /** Critical cards jump the per-channel queue. */
    priority: smallint('priority').notNull().default(0),
    payload: jsonb('payload'),
    lastError: text('last_error'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    doneAt: ts('done_at'),
  },
  (t) => [uniqueIndex('deliveries_key').on(t.key), index('deliveries_state').on(t.state, t.platform, t.channel)],
);

/** Where each card or notice landed, to update it and to map thread replies and reactions back. */
export const messageRefs = pgTable(
  'message_refs',
  {
    key: text('key').primaryKey(),
    platform: text('platform').notNull(),
    channel: text('channel').notNull(),
    messageId: text('message_id').notNull(),
    threadId: text('thread_id'),
    ticketId: integer('ticket_id'),
    crisisId: integer('crisis_id'),
    /** Ticket version the message shows; an update job skips when it is already current. */
    renderedVersion: integer('rendered_version').notNull().default(0),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('message_refs_platform_message').on(t.platform, t.channel, t.messageId),
    index('message_refs_ticket').on(t.ticketId),
  ],
);

export const crises = pgTable('crises', {
  id: serial('id').primaryKey(),
  title: text('title').notNull(),
  site: text('site'),
  severity: smallint('severity').notNull().default(2),
  status: text('status').notNull().default('open'),
  terms: jsonb('terms').notNull(),
  openedAt: ts('opened_at').notNull(),
  openedBy: text('opened_by').notNull(),
  closedAt: ts('closed_at'),
  summary: text('summary'),
  report: jsonb('report'),
});

/** A crisis' timeline: updates, relays, checklist ticks, attached stories, hold choices. */
export const crisisEvents = pgTable(
  'crisis_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    crisisId: integer('crisis_id').notNull(),
    kind: text('kind').notNull(),
    actorName: text('actor_name').notNull(),
    text: text('text').notNull(),
    payload: jsonb('payload'),
    at: ts('at').notNull(),
  },
  (t) => [index('crisis_events_crisis').on(t.crisisId, t.at)],
);

/** Where each source is in its stream (Jetstream cursor, feed ETag…). */
export const sourceCursors = pgTable('source_cursors', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** Hourly mention counts per account and source: the digest reads these instead of scanning mentions. */
export const hourlyVolume = pgTable(
  'hourly_volume',
  {
    hour: ts('hour').notNull(),
    account: text('account').notNull(),
    source: text('source').notNull(),
    count: integer('count').notNull(),
    risky: integer('risky').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.hour, t.account, t.source] })],
);


/**
 * Mentions taken by a process that is not the ingesting one (see src/pipeline/ingest-lead.ts):
 * validated, kept here until the ingesting process has stored them, then deleted.
 */
export const inbox = pgTable('inbox', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  mention: jsonb('mention').notNull(),
  receivedAt: ts('received_at').notNull().defaultNow(),
});
