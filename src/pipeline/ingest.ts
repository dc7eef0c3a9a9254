import type { Platform } from '../chat/card.js';
import type { VigieConfig } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import { ErrorCode, VigieError } from '../core/errors.js';
import { atLeast, type Level, levelRank, maxLevel } from '../core/levels.js';
import type { AnalyzeContext, Analysis, Engine, OpenCrisisContext } from '../engine/types.js';
import type { Mention } from '../mentions/mention.js';
import type { Logger } from '../ops/logger.js';
import { bareHandle, cardTargets, targetsOf } from '../routing/accounts.js';
import { mentionRow } from './mention-row.js';
import type { AuthorDelta, ClusterDelta, DeliveryRow, MentionRow, NewDelivery, NewTicket, TicketRow, VolumeDelta } from '../store/types.js';
import { BoundedMap } from './bounded-map.js';
import { shouldComeBack } from './comeback.js';
import { createMutex } from './mutex.js';
import type { IngestStore, MentionBatch } from '../store/ingest-port.js';

export interface IngestResult {
  accepted: number;
  duplicates: number;
  /** Tickets created by this batch. */
  newTickets: number;
}

/** Work to hand to the queue once the transaction has committed. */
export interface AfterCommit {
  deliveries: DeliveryRow[];
  /** Tickets that may need escalation jobs (new, or raised to a level that escalates). */
  escalate: TicketRow[];
}

export interface IngestDeps {
  store: IngestStore;
  engine: Engine;
  config: VigieConfig;
  platforms: readonly Platform[];
  clock: Clock;
  logger: Logger;
  afterCommit: (work: AfterCommit) => Promise<void>;
  openCrises?: () => readonly OpenCrisisContext[];
}

const HOUR_MS = 3_600_000;

/** A batch de-duplicated and scored, waiting for its transaction. */
interface Analysed {
  rows: readonly MentionRow[];
  /** `source:id` of each row, made once: the in-flight map is keyed by it. */
  keys: readonly string[];
  /** The rows encoded for the store, while the previous batch was being written. */
  prepared: MentionBatch;
  analyses: Analysis[];
  /** Engine fingerprint of each touched cluster, taken right after this batch was scored. */
  signatures: Map<string, unknown>;
  /** Clusters that are, after this batch, one quiet mention: no row until they become a story. */
  quiet: Set<string>;
  /** Each touched cluster's last analysis in this batch (its state as the engine left it). */
  lastOf: Map<string, Analysis>;
}

/** Authors whose row is known to hold this handle (process-local, so no write is needed). */
const KNOWN_AUTHORS = 200_000;
/** Mentions scored between two turns of the event loop (about a millisecond of work). */
const YIELD_EVERY = 50;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A card refresh: one row per ticket, re-armed by every change, coalesced by the delivery worker. */
export function refreshDelivery(ticketId: number): NewDelivery {
  return { key: `update:${ticketId}`, kind: 'update', platform: 'all', channel: 'all', ticketId, priority: 0 };
}

/** Priority of a card in its channel's queue: critical stories jump ahead of everything else. */
export function cardPriority(level: Level): number {
  return levelRank(level) * 10;
}

/**
 * The ingest step: de-duplicate → score and cluster → store mentions, clusters, authors, volume,
 * tickets and deliveries in ONE transaction → hand deliveries and escalations to the queue. A mention
 * is either fully recorded with everything it caused, or not at all.
 */
export function createIngest(deps: IngestDeps) {
  const { store, engine, config, clock, logger } = deps;
  const accountsByBareHandle = new Map(config.accounts.map((x) => [bareHandle(x.handle), x]));
  const accountsByHandle = new Map(config.accounts.map((a) => [a.handle, a]));
  // Two stages, each one batch at a time and in arrival order: while a batch's transaction runs,
  // the next one is parsed, checked and scored, so Node and the database work at the same time.
  const analysing = createMutex();
  const writing = createMutex();
  /** `source:id` of mentions scored by a batch whose transaction has not ended → whether it committed. */
  const inFlight = new Map<string, Promise<boolean>>();
  // Most mentions are everyday chatter: one mention, no risk, no story. Writing a cluster row for
  // each (and rewriting each author's row) cost more than the mention itself, so those wait in
  // memory until they matter: cluster id → id of its one stored mention, for as long as the engine
  // can still join the cluster.
  const held = new BoundedMap<string, number>(engine.liveSetCap);
  const knownAuthors = new BoundedMap<string, string>(KNOWN_AUTHORS);

  /** De-duplicates and scores a batch: the engine sees each mention once, in arrival order. */
  async function analyse(batch: readonly Mention[]): Promise<{ earlier: Set<Promise<boolean>>; batch: Analysed | null }> {
    // Within-batch duplicates first: the last copy of a key is as good as the first.
    const unique = new Map<string, Mention>();
    for (const m of batch) {
      const key = `${m.source}:${m.id}`;
      if (!unique.has(key)) unique.set(key, m);
    }
    // A mention an earlier batch is still writing is left out as a duplicate without waiting for
    // that write (waiting would stop scoring whenever a source resends a recent mention): this
    // batch is written after that one, and fails if that one did not commit (see `write`).
    const earlier = new Set<Promise<boolean>>();
    for (const k of unique.keys()) {
      const end = inFlight.get(k);
      if (end) {
        earlier.add(end);
        unique.delete(k);
      }
    }
    if (unique.size === 0) return { earlier, batch: null };
    const candidates = [...unique.values()];
    // The reads in one statement: flags of a duplicate's author and the ids of duplicates are unused.
    const { existing, flags, ids } = await store.batchReads(candidates, candidates.length);
    const fresh: Mention[] = [];
    const keys: string[] = [];
    for (const [k, m] of unique) {
      if (existing.has(k)) continue;
      fresh.push(m);
      keys.push(k);
    }
    if (fresh.length === 0) return { earlier, batch: null };

    const crises = deps.openCrises?.() ?? [];

    const prepared = store.mentionBatch();
    const rows = prepared.rows;
    const analyses: Analysis[] = [];
    for (let i = 0; i < fresh.length; i++) {
      // The previous batch's transaction waits on this event loop for each answer: scoring a whole
      // batch in one go would hold its statements back for as long.
      if (i > 0 && i % YIELD_EVERY === 0) await nextTurn();
      const m = fresh[i]!;
      const ctx: AnalyzeContext = { author: { flags: flags.get(`${m.source}:${m.author.id}`) ?? [] }, openCrises: crises };
      const a = engine.analyze(m, ctx);
      analyses.push(a);
      // The engine places the mention (named account, then handles, then aliases); we keep the
      // configured spelling of the handle.
      const named = m.account ?? a.account;
      prepared.add(mentionRow(ids[i]!, m, a, named ? accountsByBareHandle.get(bareHandle(named))?.handle ?? named : null));
    }

    // The cluster of a quiet mention that no other mention joined (so far) stays without a row.
    const lastOf = new Map<string, Analysis>();
    for (const a of analyses) lastOf.set(a.cluster.id, a);
    const quiet = new Set<string>();
    for (const [id, a] of lastOf) if (a.cluster.count === 1 && a.cluster.level === 'none' && a.score === 0 && a.category === null) quiet.add(id);
    // Fingerprints as of this batch: the next batch may be scored before this one is written.
    const signatures = new Map<string, unknown>();
    for (const id of lastOf.keys()) if (!quiet.has(id)) signatures.set(id, engine.snapshot(id)?.signature ?? null);
    return { earlier, batch: { rows, keys, prepared, analyses, signatures, quiet, lastOf } };
  }

  /** Counts a stored mention in its hour's volume (per account and source). */
  function countVolume(volume: Map<string, VolumeDelta>, row: MentionRow): void {
    const hour = Math.floor(row.createdAt.getTime() / HOUR_MS) * HOUR_MS;
    const account = row.account ?? '';
    const key = `${hour}|${account}|${row.source}`;
    const risky = atLeast(row.level, config.thresholds.card) ? 1 : 0;
    const v = volume.get(key);
    if (v) {
      v.count++;
      v.risky += risky;
    } else volume.set(key, { hour: new Date(hour), account, source: row.source, count: 1, risky });
  }

  /** An author to write: new to this process, or with a new handle. Known ones cost nothing. */
  function noteAuthor(authors: Map<string, AuthorDelta>, row: MentionRow): void {
    const key = `${row.source}:${row.authorId}`;
    if (knownAuthors.get(key) === row.authorHandle) return;
    const a = authors.get(key);
    if (!a) authors.set(key, { source: row.source, authorId: row.authorId, handle: row.authorHandle, seenAt: row.createdAt });
    else if (row.createdAt < a.seenAt) a.seenAt = row.createdAt;
    else a.handle = row.authorHandle;
  }

  /** Stores a scored batch and everything it caused in ONE transaction, then hands work to the queue. */
  async function write(batchLength: number, { earlier, batch: analysed }: Awaited<ReturnType<typeof analyse>>): Promise<IngestResult> {
    // Earlier batches have ended (transactions run in order). Their mentions were counted here as
    // duplicates: if one of them rolled back, so does this batch, and its sender tries again.
    for (const committed of await Promise.all(earlier)) {
      if (!committed) throw new VigieError(ErrorCode.DatabaseUnavailable, 'an earlier batch with some of these mentions was not stored; retry');
    }
    if (!analysed) return { accepted: 0, duplicates: batchLength, newTickets: 0 };
    const { rows, prepared, analyses, signatures, quiet, lastOf } = analysed;
    const now = clock();
    const after: AfterCommit = { deliveries: [], escalate: [] };
    const nowHeld = new Map<string, number>();
    const joined: string[] = [];
    const authors = new Map<string, AuthorDelta>();
    const result = await store.transaction(async (tx) => {
      const stored = await tx.insertMentions(prepared);
      if (stored.length === 0) return { accepted: 0, newTickets: 0 };
      // Another worker stored some of these meanwhile: only the rows stored here count.
      const storedIds = stored === rows ? null : new Set(stored.map((r) => r.id));

      const clusters = new Map<string, ClusterDelta & { headMentionId: number | null }>();
      const volume = new Map<string, VolumeDelta>();
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i]!;
        if (storedIds !== null && !storedIds.has(row.id)) continue;
        countVolume(volume, row);
        noteAuthor(authors, row);
        // Everyday chatter: the mention alone, no story yet. Nothing to write but the mention.
        if (quiet.has(row.clusterId)) {
          nowHeld.set(row.clusterId, row.id);
          continue;
        }
        const analysis = analyses[i]!;
        const c = clusters.get(row.clusterId);
        const level = maxLevel(analysis.cluster.level, row.level);
        if (!c) {
          clusters.set(row.clusterId, {
            id: row.clusterId,
            firstSeen: row.createdAt,
            lastSeen: row.createdAt,
            added: 1,
            level,
            peakScore: row.score,
            category: analysis.cluster.category ?? row.category,
            account: row.account,
            headMentionId: row.id,
            signature: signatures.get(row.clusterId) ?? null,
          });
        } else {
          c.added++;
          if (row.createdAt < c.firstSeen) c.firstSeen = row.createdAt;
          if (row.createdAt > c.lastSeen) c.lastSeen = row.createdAt;
          c.level = maxLevel(c.level, level);
          if (row.score > c.peakScore) {
            c.peakScore = row.score;
            c.headMentionId = row.id;
          }
          c.category ??= row.category;
          c.account ??= row.account;
        }
      }
      for (const c of clusters.values()) {
        const first = held.get(c.id);
        if (first !== undefined) {
          // The held quiet mention is the story's first: count it, and keep it as head unless beaten.
          joined.push(c.id);
          c.added++;
          c.firstSeen = lastOf.get(c.id)!.cluster.firstSeen;
          if (c.peakScore === 0) c.headMentionId = first;
        }
      }

      // Independent statements, sent together (one round trip on Postgres; PGlite runs them in turn).
      const ids = [...clusters.keys()];
      const [clusterRows, ticketRows] = await Promise.all([
        tx.upsertClusters([...clusters.values()]),
        tx.ticketsByCluster(ids),
        tx.upsertAuthors([...authors.values()]),
        tx.addVolume([...volume.values()]),
      ]);
      const tickets = new Map(ticketRows.map((t) => [t.clusterId, t]));
      const newTickets: NewTicket[] = [];
      const deliveries: NewDelivery[] = [];
      for (const c of clusterRows) {
        const ticket = tickets.get(c.id);
        if (!ticket) {
          if (atLeast(c.level, config.thresholds.card) && c.category !== 'praise') {
            const account = c.account ? accountsByHandle.get(c.account) ?? null : null;
            newTickets.push({ clusterId: c.id, level: c.level, category: c.category, account: c.account, team: account?.team ?? null, openedAt: now });
          }
          continue;
        }
        if (levelRank(c.level) > levelRank(ticket.level)) {
          await tx.setTicketLevel(ticket.id, c.level);
          const raised = { ...ticket, level: c.level };
          after.escalate.push(raised);
          // A story that crosses the paging threshold is also posted to the crisis channel.
          if (atLeast(c.level, config.thresholds.page) && !atLeast(ticket.level, config.thresholds.page)) {
            for (const target of targetsOf(config.channels.crisis, deps.platforms)) {
              deliveries.push({ key: `card:${ticket.id}:${target.platform}:${target.channel}`, kind: 'card', ...target, ticketId: ticket.id, priority: cardPriority(c.level) });
            }
          }
        }
        if (shouldComeBack(ticket, c.count, now)) {
          const decision = await tx.appendDecision({
            ticketId: ticket.id,
            action: 'comeback',
            actorId: 'vigie',
            actorName: 'Vigie',
            platform: 'system',
            payload: { ignoredAtCount: ticket.ignoredAtCount, count: c.count },
            at: now,
          });
          await tx.updateTicket(ticket.id, { status: 'open', snoozeUntil: null, ignoredAtCount: null, lastDecisionAt: now });
          const account = c.account ? accountsByHandle.get(c.account) ?? null : null;
          for (const target of cardTargets(config, account, deps.platforms)) {
            deliveries.push({ key: `card:${ticket.id}:comeback-${decision.id}:${target.platform}:${target.channel}`, kind: 'card', ...target, ticketId: ticket.id, priority: cardPriority(c.level) });
          }
        }
        // The card shows the count and trend: refresh it (coalesced by the delivery worker).
        deliveries.push(refreshDelivery(ticket.id));
      }

      const created = await tx.insertTickets(newTickets);
      for (const ticket of created) {
        const account = ticket.account ? accountsByHandle.get(ticket.account) ?? null : null;
        const targets = cardTargets(config, account, deps.platforms);
        if (atLeast(ticket.level, config.thresholds.page)) targets.push(...targetsOf(config.channels.crisis, deps.platforms));
        const seen = new Set<string>();
        for (const target of targets) {
          const key = `card:${ticket.id}:${target.platform}:${target.channel}`;
          if (seen.has(key)) continue;
          seen.add(key);
          deliveries.push({ key, kind: 'card', ...target, ticketId: ticket.id, priority: cardPriority(ticket.level) });
        }
        after.escalate.push(ticket);
      }
      after.deliveries = await tx.addDeliveries(deliveries);
      return { accepted: stored.length, newTickets: created.length };
    });
    for (const id of joined) held.delete(id);
    for (const [id, h] of nowHeld) held.set(id, h);
    for (const a of authors.values()) knownAuthors.set(`${a.source}:${a.authorId}`, a.handle);

    if (after.deliveries.length > 0 || after.escalate.length > 0) {
      try {
        await deps.afterCommit(after);
      } catch (err) {
        // The rows are committed; the periodic sweep re-enqueues what the queue did not take.
        logger.warn({ err }, 'could not enqueue deliveries after ingest; the sweep will pick them up');
      }
    }
    return { accepted: result.accepted, duplicates: batchLength - result.accepted, newTickets: result.newTickets };
  }

  return {
    ingest(batch: readonly Mention[]): Promise<IngestResult> {
      let ended!: (committed: boolean) => void;
      const end = new Promise<boolean>((resolve) => {
        ended = resolve;
      });
      /** Keys this batch put in flight (none until it is scored). */
      let keys: readonly string[] = [];
      const analysed = analysing(async () => {
        const a = await analyse(batch);
        keys = a.batch?.keys ?? [];
        for (const k of keys) inFlight.set(k, end);
        return a;
      });
      // Queued now, so transactions run in the order the batches were scored.
      const result = writing(async () => write(batch.length, await analysed));
      void result.then(
        () => settle(true),
        () => settle(false),
      );
      function settle(committed: boolean) {
        for (const k of keys) if (inFlight.get(k) === end) inFlight.delete(k);
        ended(committed);
      }
      return result;
    },
  };
}
