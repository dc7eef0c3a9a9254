import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Platform } from '../chat/card.js';
import type { ChatInbound, ChatPlatform } from '../chat/port.js';
import type { LoadedConfig } from '../config/load.js';
import type { VigieEnv } from '../config/env.js';
import { systemClock, type Clock } from '../core/clock.js';
import { createCardBuilder, type CardBuilderDeps, type TemplateSuggester } from '../cards/build-card.js';
import { createDecisions, type ReplyRenderer } from '../decisions/act.js';
import { createDeliveryWorker, DeliveryJob } from '../delivery/worker.js';
import type { Engine, OpenCrisisContext } from '../engine/types.js';
import { createHttpServer } from '../http/server.js';
import type { JobQueue } from '../jobs/queue.js';
import { type Mention, parseMention } from '../mentions/mention.js';
import { describeIssues } from '../core/zod-issues.js';
import type { Logger } from '../ops/logger.js';
import { createIngest } from '../pipeline/ingest.js';
import { createIngestLead } from '../pipeline/ingest-lead.js';
import { globalTimers, type Timers } from '../core/timers.js';
import { createSpikeSignals } from '../pipeline/spike-signals.js';
import type { Source } from '../sources/port.js';
import type { TicketRow } from '../store/types.js';
import type { Database } from '../../adapters/db/connect.js';
import { Store } from '../../adapters/db/store.js';
import { createInbound, type WorkflowHooks } from './inbound.js';
import { describeSourceNotice, SourceDownReporter } from '../../adapters/sources/status.js';
import { targetsOf } from '../routing/accounts.js';

export interface AppDeps {
  env: VigieEnv;
  loaded: LoadedConfig;
  logger: Logger;
  database: Database;
  queue: JobQueue;
  engine: Engine;
  platforms: readonly ChatPlatform[];
  sources?: readonly Source[];
  clock?: Clock;
  /** Serve the webhook and health endpoints (off for one-shot commands). */
  http?: boolean;
  /** Slack's HTTP mode mounts its request listener on our server. */
  mounts?: ReadonlyMap<string, (req: IncomingMessage, res: ServerResponse) => void>;
  /** Template library, author profiles, crisis and digest: the workflow plugs in here. */
  workflow?: (core: AppCore) => WorkflowPlugin;
  timers?: Timers;
  /** How often a standby tries to take over ingestion (default 5 s). */
  ingestLeaseCheckMs?: number;
}

/** What the workflow layer gets to build on. */
export interface AppCore {
  store: Store;
  queue: JobQueue;
  clock: Clock;
  logger: Logger;
  loaded: LoadedConfig;
  platforms: readonly Platform[];
  enqueueDeliveries: ReturnType<typeof createDeliveryWorker>['enqueue'];
}

export interface WorkflowPlugin {
  hooks: WorkflowHooks;
  /** The digest, for tests and the CLI. */
  digest?: { model(now: Date): Promise<unknown> };
  renderReply?: ReplyRenderer;
  needsSecondApproval?: (ticket: TicketRow) => boolean;
  suggestTemplates?: TemplateSuggester;
  authorHints?: CardBuilderDeps['authorHints'];
  openCrises?: () => readonly OpenCrisisContext[];
  /** Called after new tickets are committed (escalation jobs). */
  onTickets?: (tickets: readonly TicketRow[]) => Promise<void>;
  /** Called after a decision (cancel escalations). */
  onDecision?: (ticket: TicketRow) => Promise<void>;
  register?: () => void;
  start?: () => Promise<void>;
  stop?: () => Promise<void>;
}

/** The composition root: wires store, engine, queue, chat platforms and sources. No I/O until start(). */
export function createApp(deps: AppDeps) {
  const clock = deps.clock ?? systemClock;
  const { logger, queue, engine } = deps;
  const config = deps.loaded.config;
  const store = new Store(deps.database);
  const platformNames = deps.platforms.map((p) => p.platform);
  const platformMap = new Map<Platform, ChatPlatform>(deps.platforms.map((p) => [p.platform, p]));

  let delivery: ReturnType<typeof createDeliveryWorker>;
  const core: AppCore = {
    store,
    queue,
    clock,
    logger,
    loaded: deps.loaded,
    platforms: platformNames,
    enqueueDeliveries: (rows) => delivery.enqueue(rows),
  };
  const plugin: WorkflowPlugin = deps.workflow?.(core) ?? { hooks: {} };
  const buildCard = createCardBuilder({
    store,
    config,
    suggest: plugin.suggestTemplates ?? (() => []),
    ...(plugin.authorHints ? { authorHints: plugin.authorHints } : {}),
  });
  delivery = createDeliveryWorker({ store, queue, platforms: platformMap, buildCard, config, clock, logger });

  const ingest = createIngest({
    store,
    engine,
    config,
    platforms: platformNames,
    clock,
    logger,
    ...(plugin.openCrises ? { openCrises: plugin.openCrises } : {}),
    afterCommit: async (work) => {
      await delivery.enqueue(work.deliveries);
      if (work.escalate.length > 0) await plugin.onTickets?.(work.escalate);
    },
  });

  const spikeSignals = createSpikeSignals({ engine, store, config, platforms: platformNames, enqueue: (rows) => delivery.enqueue(rows) });
  async function ingestAndSignal(mentions: readonly Mention[]) {
    const result = await ingest.ingest(mentions);
    if (result.accepted > 0) {
      let latest = 0;
      for (const m of mentions) latest = Math.max(latest, Date.parse(m.createdAt));
      await spikeSignals(new Date(latest)).catch((err: unknown) => logger.warn({ err }, 'spike check failed'));
    }
    return result;
  }

  /** Sources are outside input too: every mention is validated; a bad one is logged and skipped. */
  function validFromSource(sourceId: string, mentions: readonly unknown[]): Mention[] {
    const out: Mention[] = [];
    for (const m of mentions) {
      const r = parseMention(m);
      if (r.success) out.push(r.data);
      else logger.warn({ source: sourceId, problems: describeIssues(r.error) }, 'invalid mention from a source skipped');
    }
    return out;
  }

  const decisions = createDecisions({
    store,
    config,
    clock,
    logger,
    renderReply: plugin.renderReply ?? (async () => ({ ok: false, message: 'no template library configured' })),
    needsSecondApproval: plugin.needsSecondApproval ?? ((t) => t.level === 'critical'),
    afterCommit: async (rows, ticket) => {
      await delivery.enqueue(rows);
      await plugin.onDecision?.(ticket);
    },
  });
  const inbound: ChatInbound = createInbound({
    store,
    config,
    clock,
    logger,
    decisions,
    hooks: plugin.hooks,
    afterCommit: (rows) => delivery.enqueue(rows),
  });

  let sourceWatch: NodeJS.Timeout | null = null;
  const lead = createIngestLead({
    lease: deps.database.ingestLease(),
    inbox: store,
    ingest: ingestAndSignal,
    logger,
    timers: deps.timers ?? globalTimers,
    ...(deps.ingestLeaseCheckMs !== undefined ? { checkEveryMs: deps.ingestLeaseCheckMs } : {}),
    async onLead() {
      // Warm the engine's live clusters so a restart (or a takeover) does not split running stories.
      const live = await store.liveClusters(new Date(clock().getTime() - 24 * 3_600_000), 50_000);
      engine.restore(live.map((c) => ({ id: c.id, firstSeen: c.firstSeen, lastSeen: c.lastSeen, count: c.count, level: c.level, category: c.category, signature: c.signature })));
      if ((deps.sources ?? []).length > 0) {
        sourceWatch = setInterval(() => void reportSources().catch((err: unknown) => logger.warn({ err }, 'source report failed')), 60_000);
        sourceWatch.unref();
      }
      for (const s of deps.sources ?? []) await s.start((mentions) => ingestAndSignal(validFromSource(s.id, mentions)));
    },
    async onStandby() {
      if (sourceWatch) clearInterval(sourceWatch);
      sourceWatch = null;
      for (const s of deps.sources ?? []) await s.stop().catch((err: unknown) => logger.warn({ err }, 'source stop failed'));
    },
  });

  const http = createHttpServer({
    ingest: (mentions) => lead.submit(mentions),
    health,
    webhookSecret: deps.env.WEBHOOK_SECRET,
    toleranceSeconds: deps.env.WEBHOOK_TOLERANCE_SECONDS,
    clock,
    logger,
    ...(deps.mounts ? { mounts: deps.mounts } : {}),
  });

  async function health() {
    const [db, q] = await Promise.all([deps.database.ping(), queue.health().catch(() => ({ ok: false, kind: queue.kind }))]);
    const chat = Object.fromEntries(deps.platforms.map((p) => [p.platform, p.health()]));
    const sources = (deps.sources ?? []).map((s) => s.health());
    const ok = db && q.ok && Object.values(chat).every((c) => c.ok);
    return { ok, ingest: lead.role, database: { ok: db, kind: deps.database.kind }, queue: q, chat, sources };
  }

  let started = false;
  let port: number | null = null;
  const downReporter = new SourceDownReporter();

  /** A source that stays down is reported in the watch channel once, and once when it recovers. */
  async function reportSources(): Promise<void> {
    const now = clock();
    const notices = downReporter.observe((deps.sources ?? []).map((s) => s.health()), now);
    for (const n of notices) {
      const rows = targetsOf(config.channels.watch, platformNames).map((target) => ({
        key: `source:${n.id}:${n.type}:${n.downSince.getTime()}:${target.platform}:${target.channel}`,
        kind: 'notice' as const,
        ...target,
        ticketId: null,
        priority: 5,
        payload: { notice: { title: describeSourceNotice(n), level: n.type === 'down' ? ('high' as const) : ('watch' as const), sections: [] } },
      }));
      await delivery.enqueue(await store.addDeliveries(rows));
    }
  }

  return {
    store,
    engine,
    workflow: plugin,
    inbound,
    health,
    /** Mentions into the pipeline: scored here when this process ingests, else kept for the one that does. */
    ingest: (mentions: readonly Mention[]) => lead.submit(mentions),
    /** Whether this process ingests (`lead`) or hands mentions over (`standby`). */
    get ingestRole() {
      return lead.role;
    },
    get port() {
      return port;
    },
    async start(): Promise<void> {
      await deps.database.migrate();
      delivery.register();
      plugin.register?.();
      await queue.schedule('delivery-sweep', { cron: '*/30 * * * * *', tz: 'UTC' }, DeliveryJob.sweep, {});
      await queue.start();
      for (const p of deps.platforms) await p.start(inbound);
      const recovered = await delivery.recover();
      if (recovered > 0) logger.info({ recovered }, 'unfinished deliveries re-enqueued');
      await plugin.start?.();
      // Before the webhook opens, so a lead scores its first requests itself.
      await lead.start();
      if (deps.http !== false) {
        port = await http.start(deps.env.PORT, deps.env.HOST);
        logger.info({ url: `http://${deps.env.HOST}:${port}` }, 'webhook listening on /v1/mentions');
      }
      started = true;
    },
    /** Graceful: stop intake, finish in-flight jobs, disconnect, close the database. */
    async stop(): Promise<void> {
      await http.stop();
      // Sources stop with the lead role; the inbox batch in flight is finished first.
      await lead.stop().catch((err: unknown) => logger.warn({ err }, 'ingest stop failed'));
      await plugin.stop?.();
      await queue.close();
      for (const p of deps.platforms) await p.stop().catch((err: unknown) => logger.warn({ err }, 'chat stop failed'));
      if (started) await deps.database.close();
      started = false;
    },
    /** Waits until nothing is left to deliver (demo and tests). */
    async drained(timeoutMs = 60_000): Promise<boolean> {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const pending = await store.unfinishedDeliveries();
        const h = await queue.health();
        if (pending.length === 0 && (h.waiting ?? 0) === 0) return true;
        await new Promise((r) => setTimeout(r, 100));
      }
      return false;
    },
  };
}

export type App = ReturnType<typeof createApp>;
