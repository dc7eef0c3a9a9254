import type { Card, Notice, Platform } from '../chat/card.js';
import { AmbiguousDeliveryError, type ChatPlatform, type MessageRef, PlatformRateLimitError } from '../chat/port.js';
import type { VigieConfig } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import { levelRank } from '../core/levels.js';
import { JobName } from '../jobs/names.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Logger } from '../ops/logger.js';
import type { DeliveryRow } from '../store/types.js';
import type { Store } from '../../adapters/db/store.js';
import { cardPriority } from '../pipeline/ingest.js';
import { createPostPacer } from './post-pacer.js';
import { stormNotice } from './storm-notice.js';

export const DeliveryJob = { send: JobName.deliver, refresh: JobName.refreshCard, sweep: JobName.deliverySweep } as const;

export interface SendJob {
  platform: Platform;
  channel: string;
}
export interface RefreshJob {
  ticketId: number;
}

export interface DeliveryDeps {
  store: Store;
  queue: JobQueue;
  platforms: ReadonlyMap<Platform, ChatPlatform>;
  buildCard: (ticketId: number) => Promise<Card | null>;
  config: VigieConfig;
  clock: Clock;
  logger: Logger;
}

const SEND_ATTEMPTS = 10;
const SEND_BACKOFF = { type: 'exponential', delayMs: 1_000 } as const;
/** Added to each channel's posting window: see register() and postSpacingMs(). */
const PACE_MARGIN_MS = 60;

/** 429s a critical post waits out in its own job before it goes back to the queue: see paced(). */
const CRITICAL_REFUSALS = 2;

/** Least time between two posts in one channel, for the platforms that enforce a pace. */
function postSpacingMs(perSecond: number): number {
  return Math.round(1_000 / perSecond) + PACE_MARGIN_MS;
}

export const rateKeyOf = (platform: string, channel: string) => `chat:${platform}:${channel}`;
export const UPDATE_RATE_KEY = 'chat-update:all';

/**
 * The outbound side: posts cards and notices paced per channel, refreshes cards coalesced per
 * window, folds low stories into a storm card when a channel falls behind, and never posts twice:
 * a send that may have landed is looked up (by its key) before it is tried again.
 */
export function createDeliveryWorker(deps: DeliveryDeps) {
  const { store, queue, platforms, config, logger } = deps;
  const criticalPriority = cardPriority('critical');
  // Slack and Discord budget message edits; a console-only run needs no pacing.
  const pacedUpdates = [...platforms.keys()].some((p) => p !== 'console');
  const pacer = createPostPacer({ spacingMs: postSpacingMs(config.delivery.postsPerSecond), clock: deps.clock });

  /** The platform refused a post in this channel: both its lanes and its pacer wait Retry-After. */
  async function rateLimited(platform: string, channel: string, retryAfterMs: number): Promise<void> {
    // The pacer also holds the posts of jobs already past their start (a fold loop claiming again).
    pacer.pause(rateKeyOf(platform, channel), retryAfterMs);
    await queue.pause(rateKeyOf(platform, channel), retryAfterMs);
    await queue.pause(`${rateKeyOf(platform, channel)}:urgent`, retryAfterMs);
  }

  /**
   * Posts through the channel's pacer: the queue spaced the job starts, this spaces the calls, and a
   * critical card waiting here goes before a lower one. The console enforces no pace.
   */
  async function paced<T>(d: DeliveryRow, post: () => Promise<T>): Promise<T> {
    if (d.platform === 'console') return post();
    for (let refused = 0; ; refused += 1) {
      await pacer.turn(rateKeyOf(d.platform, d.channel), d.priority);
      try {
        return await post();
      } catch (err) {
        // A 429 means nothing landed. A critical card waits Retry-After out here, first in line at the
        // pacer; back in the queue it would be claimed and rendered again after the pause, by which
        // time a low card claimed earlier would have taken the channel's first slot.
        if (!(err instanceof PlatformRateLimitError) || d.priority < criticalPriority || refused >= CRITICAL_REFUSALS) throw err;
        await rateLimited(d.platform, d.channel, err.retryAfterMs);
      }
    }
  }

  /**
   * One send job per arming of a row. A row armed again while its job is still pending or running
   * (the storm card re-armed by each fold) needs a job id of its own (`arming`), or the add is
   * de-duplicated away and a row is left without a job until the sweep.
   */
  async function enqueue(rows: readonly DeliveryRow[], arming?: string): Promise<void> {
    for (const row of rows) {
      if (row.kind === 'update' && row.ticketId !== null) await enqueueRefresh(row.ticketId);
      else if (platforms.has(row.platform as Platform)) {
        // A critical card has a lane of its own, so its job never waits for the channel's next job
        // slot behind a low card or a storm update. Like every send job it claims the most urgent
        // delivery of the channel (one post per job), and its post goes through the channel's pacer,
        // where a critical card is first in line: two lanes, still one post per slot.
        const urgent = row.kind === 'card' && row.priority >= criticalPriority;
        await queue.add<SendJob>(DeliveryJob.send, { platform: row.platform as Platform, channel: row.channel }, {
          jobId: arming === undefined ? `send:${row.id}` : `send:${row.id}:${arming}`,
          rateKey: urgent ? `${rateKeyOf(row.platform, row.channel)}:urgent` : rateKeyOf(row.platform, row.channel),
          attempts: SEND_ATTEMPTS,
          backoff: SEND_BACKOFF,
        });
      }
    }
  }

  /** One refresh job per ticket per window: a storm of changes becomes one update every few seconds. */
  async function enqueueRefresh(ticketId: number): Promise<void> {
    const interval = Math.max(1, config.delivery.updateIntervalMs);
    const now = deps.clock().getTime();
    const slot = Math.floor(now / interval);
    await queue.add<RefreshJob>(DeliveryJob.refresh, { ticketId }, {
      jobId: `refresh:${ticketId}:${slot}`,
      delayMs: (slot + 1) * interval - now,
      ...(pacedUpdates ? { rateKey: UPDATE_RATE_KEY } : {}),
      attempts: SEND_ATTEMPTS,
      backoff: SEND_BACKOFF,
    });
  }

  async function send({ platform, channel }: SendJob): Promise<void> {
    const chat = platforms.get(platform);
    if (!chat) return;
    // A folded card costs no call to the platform, so the job keeps the channel's slot and claims
    // again, cards only: the storm card (re-armed by each fold) then goes out once for the whole
    // backlog in the next slot, instead of one storm update per folded story.
    let kinds = ['card', 'notice'];
    for (;;) {
      const claimed = await store.claimDelivery(platform, channel, kinds);
      if (!claimed) return; // another job already sent what this one was created for
      try {
        if (claimed.kind !== 'card') return await sendNotice(chat, claimed);
        if ((await sendCard(chat, claimed)) === 'sent') return;
      } catch (err) {
        await handleFailure(claimed, err);
        throw err;
      }
      kinds = ['card'];
    }
  }

  async function sendCard(chat: ChatPlatform, d: DeliveryRow & { previousAttempts: number }): Promise<'sent' | 'folded' | 'failed'> {
    if (d.ticketId === null) {
      await store.finishDelivery(d.id, 'failed', 'card without ticket');
      return 'failed';
    }
    // Storm mode: a channel that has more new cards waiting than its budget folds the less urgent
    // ones into one storm card; critical stories keep their own card and go first.
    if (chat.platform !== 'console' && d.priority < criticalPriority && d.previousAttempts === 0) {
      const waiting = await store.pendingCount(d.platform as Platform, d.channel, 'card');
      if (waiting >= config.delivery.stormBacklog) {
        await fold(d);
        return 'folded';
      }
    }
    const card = await deps.buildCard(d.ticketId);
    if (!card) {
      await store.finishDelivery(d.id, 'failed', 'ticket not found');
      return 'failed';
    }
    const ref = (d.previousAttempts > 0 ? await chat.find(d.channel, d.key) : null) ?? (await paced(d, () => chat.postCard(d.channel, card, d.key)));
    await store.saveRef({ ...ref, key: d.key, ticketId: d.ticketId, renderedVersion: card.version });
    await store.finishDelivery(d.id, 'done');
    return 'sent';
  }

  async function fold(d: DeliveryRow): Promise<void> {
    await store.finishDelivery(d.id, 'folded');
    const hour = Math.floor(deps.clock().getTime() / 3_600_000);
    const key = `storm:${d.platform}:${d.channel}:${hour}`;
    const [storm] = await store.addDeliveries([
      { key, kind: 'notice', platform: d.platform, channel: d.channel, ticketId: null, priority: criticalPriority - 1, payload: { storm: true } },
    ]);
    await store.appendStormTicket(key, d.ticketId!);
    if (storm) await enqueue([storm], `fold-${d.id}`);
    logger.info({ ticketId: d.ticketId, channel: d.channel }, 'card folded into the storm card');
  }

  async function sendNotice(chat: ChatPlatform, d: DeliveryRow & { previousAttempts: number }): Promise<void> {
    const payload = (d.payload ?? {}) as { notice?: Notice; threadKey?: string; storm?: boolean; ticketIds?: number[] };
    let notice: Notice | null = payload.notice ?? null;
    if (payload.storm) notice = await stormNotice(store, payload.ticketIds ?? [], config.organisation.locale);
    if (!notice) return store.finishDelivery(d.id, 'failed', 'notice without content');
    const existing = await store.refByKey(d.key);
    if (existing) {
      await chat.updateNotice(existing, notice);
      await store.finishDelivery(d.id, 'done');
      return;
    }
    let thread: MessageRef | undefined;
    if (payload.threadKey) {
      const parent = await store.refByKey(payload.threadKey);
      if (!parent) {
        // The card this note belongs to was folded into a storm card: the note has no thread to go to.
        return store.finishDelivery(d.id, 'done', 'no card to thread under');
      }
      thread = parent;
    }
    const ref =
      (d.previousAttempts > 0 ? await chat.find(d.channel, d.key, thread) : null) ?? (await paced(d, () => chat.postNotice(d.channel, notice, d.key, thread)));
    await store.saveRef({ ...ref, key: d.key, ticketId: d.ticketId, renderedVersion: 0 });
    await store.finishDelivery(d.id, 'done');
  }

  async function refresh({ ticketId }: RefreshJob): Promise<void> {
    // Thread notes carry the ticket id too; only the cards themselves are re-rendered.
    const refs = (await store.refsForTicket(ticketId)).filter((r) => r.key.startsWith('card:'));
    const row = await store.claimDeliveryByKey(`update:${ticketId}`);
    if (refs.length === 0) {
      if (row) await store.finishDelivery(row.id, 'done');
      return;
    }
    const card = await deps.buildCard(ticketId);
    if (!card) return;
    try {
      for (const ref of refs) {
        const chat = platforms.get(ref.platform);
        if (!chat) continue;
        await chat.updateCard(ref, card);
        await store.setRenderedVersion(ref.key, card.version);
      }
      if (row) await store.finishDelivery(row.id, 'done');
    } catch (err) {
      if (row) await store.finishDelivery(row.id, 'pending', String(err));
      if (err instanceof PlatformRateLimitError) await queue.pause(UPDATE_RATE_KEY, err.retryAfterMs);
      throw err;
    }
  }

  async function handleFailure(d: DeliveryRow & { previousAttempts: number }, err: unknown): Promise<void> {
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof PlatformRateLimitError) {
      await rateLimited(d.platform, d.channel, err.retryAfterMs);
      // A 429 means the platform refused: nothing landed, so the next try need not look first.
      await store.finishDelivery(d.id, 'pending', message);
      await store.forgetAttempt(d.id);
      return;
    }
    if (!(err instanceof AmbiguousDeliveryError)) logger.warn({ err, key: d.key }, 'delivery failed; will retry');
    await store.finishDelivery(d.id, 'pending', message);
  }

  /** Start-up recovery and periodic sweep: every unfinished delivery gets a job again. */
  async function recover(olderThan?: Date): Promise<number> {
    if (!olderThan) await store.resetSending();
    const rows = await store.unfinishedDeliveries(olderThan);
    await enqueue(rows.filter((r) => r.state === 'pending' || !olderThan));
    return rows.length;
  }

  function register(): void {
    // Per-channel pace of the platforms that enforce one; the console takes cards as fast as they come.
    const perSecond = config.delivery.postsPerSecond;
    // The queue paces job starts while the platform counts arrivals; the claim and render in between
    // vary by tens of ms, so pacing exactly at the limit earns a 429 (and a whole Retry-After) on jitter.
    const pace =
      perSecond >= 1
        ? { max: Math.round(perSecond), durationMs: 1_000 + PACE_MARGIN_MS }
        : { max: 1, durationMs: Math.round(1_000 / perSecond) + PACE_MARGIN_MS };
    queue.setRateLimit('chat:slack:', pace);
    queue.setRateLimit('chat:discord:', pace);
    // chat.update is about 50 a minute: keep well within it.
    queue.setRateLimit('chat-update:', { max: 1, durationMs: 1_300 });
    queue.handle<SendJob>(DeliveryJob.send, async (job) => send(job.data), { concurrency: 4 });
    queue.handle<RefreshJob>(DeliveryJob.refresh, async (job) => refresh(job.data), { concurrency: 2 });
    queue.handle(DeliveryJob.sweep, async () => {
      await recover(new Date(deps.clock().getTime() - 30_000));
    });
  }

  return { register, enqueue, enqueueRefresh, recover, levelRank };
}
