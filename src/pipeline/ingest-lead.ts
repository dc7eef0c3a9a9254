import type { Timers } from '../core/timers.js';
import { type Mention, parseMention } from '../mentions/mention.js';
import type { Logger } from '../ops/logger.js';
import type { InboxStore } from '../store/ingest-port.js';
import type { IngestResult } from './ingest.js';

/**
 * One process at a time ingests: the engine's live stories, spike baselines and held quiet mentions
 * are in its memory, so two processes scoring the same traffic would split a story in two and post
 * two cards. The ingesting process holds a lease (a Postgres advisory lock; the embedded database
 * is one process anyway); the others are standbys. A standby still answers the webhook: it checks
 * the mentions and keeps them in the inbox table, which the lead drains into the pipeline. When the
 * lead dies, its lock goes with its connection and a standby takes over within `checkEveryMs`.
 */

/** Exclusive hold on ingestion, shared by every process on one database. */
export interface IngestLease {
  /** Takes the lease when nobody holds it; true when this process holds it. */
  tryAcquire(): Promise<boolean>;
  /** Whether this process still holds it (its connection may have been lost). */
  check(): Promise<boolean>;
  release(): Promise<void>;
}

export type IngestRole = 'lead' | 'standby';

export interface IngestLeadDeps {
  lease: IngestLease;
  inbox: InboxStore;
  /** The pipeline (only ever called on the lead). */
  ingest: (mentions: readonly Mention[]) => Promise<IngestResult>;
  /** Becoming the lead: warm the engine from the database, start the sources. */
  onLead: () => Promise<void>;
  /** No longer the lead: stop the sources. */
  onStandby: () => Promise<void>;
  logger: Logger;
  timers: Timers;
  /** How often a standby tries the lease, and the lead checks it still holds it. */
  checkEveryMs?: number;
  /** How often the lead looks at the inbox when it was empty. */
  drainEveryMs?: number;
}

const DEFAULTS = {
  checkEveryMs: 5_000,
  drainEveryMs: 250,
  /** Inbox rows per pipeline batch. */
  drainBatch: 1_000,
} as const;

export function createIngestLead(deps: IngestLeadDeps) {
  const checkEveryMs = deps.checkEveryMs ?? DEFAULTS.checkEveryMs;
  const drainEveryMs = deps.drainEveryMs ?? DEFAULTS.drainEveryMs;
  const { timers, logger } = deps;
  let role: IngestRole = 'standby';
  let running = false;
  let checkTimer: unknown = null;
  let drainTimer: unknown = null;
  /** The drain in progress, awaited on stop so no batch is cut in half. */
  let draining: Promise<void> = Promise.resolve();
  /** Role changes one at a time (a check and a stop can overlap). */
  let changing: Promise<void> = Promise.resolve();

  /** `stopping` is a shutdown stepping down on purpose, not a lease lost (nothing to warn about). */
  function change(to: IngestRole, stopping = false): Promise<void> {
    changing = changing.then(async () => {
      if (role === to) return;
      if (to === 'lead') {
        await deps.onLead();
        role = 'lead';
        logger.info('this process ingests (it holds the ingest lease)');
        scheduleDrain(0);
      } else {
        role = 'standby';
        if (drainTimer !== null) timers.clearTimeout(drainTimer);
        drainTimer = null;
        await draining;
        await deps.onStandby();
        if (stopping) logger.info('ingest stopped; the lease is released for another process');
        else logger.warn('this process no longer holds the ingest lease: mentions it receives go to the inbox');
      }
    });
    return changing;
  }

  async function check(): Promise<void> {
    let holds: boolean;
    try {
      holds = role === 'lead' ? await deps.lease.check() : await deps.lease.tryAcquire();
    } catch (err) {
      // A lead that cannot confirm its lease steps down: another process may have it by now.
      logger.warn({ err }, 'ingest lease check failed');
      holds = false;
    }
    try {
      await change(holds ? 'lead' : 'standby');
    } catch (err) {
      logger.error({ err }, 'could not change ingest role');
    }
  }

  function scheduleCheck(): void {
    if (!running) return;
    checkTimer = timers.setTimeout(() => {
      void check().finally(scheduleCheck);
    }, checkEveryMs);
  }

  function scheduleDrain(ms: number): void {
    if (!running || role !== 'lead') return;
    drainTimer = timers.setTimeout(() => {
      drainTimer = null;
      draining = drainOnce().then(
        (more) => scheduleDrain(more ? 0 : drainEveryMs),
        (err: unknown) => {
          logger.warn({ err }, 'inbox drain failed; retrying');
          scheduleDrain(checkEveryMs);
        },
      );
    }, ms);
  }

  /** One batch from the inbox through the pipeline; true when there may be more. */
  async function drainOnce(): Promise<boolean> {
    const rows = await deps.inbox.takeInbox(DEFAULTS.drainBatch);
    if (rows.length === 0) return false;
    const mentions: Mention[] = [];
    for (const row of rows) {
      // Checked when taken, checked again: the row may come from an older version of Vigie.
      const parsed = parseMention(row.mention);
      if (parsed.success) mentions.push(parsed.data);
      else logger.warn({ inboxId: row.id }, 'unreadable mention in the inbox dropped');
    }
    // Stored first, then cleared: a crash between the two only replays mentions ingest knows.
    if (mentions.length > 0) await deps.ingest(mentions);
    await deps.inbox.clearInbox(rows.map((r) => r.id));
    return rows.length === DEFAULTS.drainBatch;
  }

  return {
    get role(): IngestRole {
      return role;
    },
    /** Takes the lease if it is free; a standby keeps trying. */
    async start(): Promise<void> {
      running = true;
      await check();
      scheduleCheck();
    },
    /** Mentions for the pipeline: scored here on the lead, kept in the inbox on a standby. */
    async submit(mentions: readonly Mention[]): Promise<IngestResult> {
      if (role === 'lead') return deps.ingest(mentions);
      const unique = new Map(mentions.map((m) => [`${m.source}:${m.id}`, m]));
      const stored = await deps.inbox.existingKeys([...unique.values()]);
      const fresh = [...unique.entries()].filter(([k]) => !stored.has(k)).map(([, m]) => m);
      if (fresh.length > 0) await deps.inbox.queueMentions(fresh);
      return { accepted: fresh.length, duplicates: mentions.length - fresh.length, newTickets: 0 };
    },
    async stop(): Promise<void> {
      running = false;
      if (checkTimer !== null) timers.clearTimeout(checkTimer);
      if (drainTimer !== null) timers.clearTimeout(drainTimer);
      drainTimer = null;
      await changing;
      await draining;
      if (role === 'lead') await change('standby', true);
      await deps.lease.release();
    },
  };
}

export type IngestLead = ReturnType<typeof createIngestLead>;
