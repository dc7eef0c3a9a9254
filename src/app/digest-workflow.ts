import type { ChatReply, CommandRequest } from '../chat/port.js';
import { computeDigest, renderDigestNotice } from '../digest/index.js';
import { JobName } from '../jobs/names.js';
import { targetsOf } from '../routing/accounts.js';
import type { LoadedTemplate } from '../templates/index.js';
import { isAllowed } from '../tickets/permissions.js';
import { digestRows } from '../../adapters/db/digest-queries.js';
import type { AppCore } from './create-app.js';

const HOUR_MS = 3_600_000;

/** The daily digest: a cron job in the configured time zone, and `/vigie digest now|preview`. */
export function createDigestWorkflow(core: AppCore, templates: readonly LoadedTemplate[]) {
  const { store, queue, clock, loaded } = core;
  const config = loaded.config;
  const locale = config.digest.locale ?? config.organisation.locale;
  const accountLabels = Object.fromEntries(config.accounts.map((a) => [a.handle, a.label]));

  async function model(now: Date) {
    const to = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
    const rows = await digestRows(store.database, new Date(to.getTime() - 24 * HOUR_MS), to);
    return computeDigest({ ...rows, templates }, { now, timeZone: config.digest.timeZone, targets: config.digest.targetMinutes, locale, accountLabels });
  }

  async function build(now: Date) {
    return renderDigestNotice(await model(now), locale);
  }

  async function post(now: Date): Promise<number> {
    const notice = await build(now);
    const day = now.toISOString().slice(0, 13);
    const rows = await store.addDeliveries(
      targetsOf(config.channels.digest, core.platforms).map((target) => ({
        // One digest per hour slot and channel: a cron that fires twice (two workers) posts once.
        key: `digest:${day}:${target.platform}:${target.channel}`,
        kind: 'notice' as const,
        ...target,
        ticketId: null,
        priority: 5,
        payload: { notice },
      })),
    );
    await core.enqueueDeliveries(rows);
    return rows.length;
  }

  return {
    model,
    build,
    register(): void {
      queue.handle(JobName.digest, async () => {
        await post(clock());
      });
    },
    async start(): Promise<void> {
      await queue.schedule('daily-digest', { cron: config.digest.cron, tz: config.digest.timeZone }, JobName.digest, {});
    },
    async command(args: string, request: CommandRequest): Promise<ChatReply> {
      const mode = args.trim().split(/\s+/)[0] || 'preview';
      if (mode === 'now') {
        // Posting to leadership is the crisis cell's call; a private preview is open to all.
        if (!isAllowed(config.permissions.crisis, request.actor)) {
          return { visibility: 'private', notice: { title: locale === 'fr' ? 'Réservé à la cellule de crise : utilisez /vigie digest preview' : 'Crisis cell only: use /vigie digest preview', sections: [] } };
        }
        const n = await post(clock());
        return {
          visibility: 'private',
          notice: { title: locale === 'fr' ? `Digest publié (${n} canal/canaux)` : `Digest posted (${n} channel(s))`, sections: [] },
        };
      }
      return { visibility: 'private', notice: await build(clock()) };
    },
  };
}
