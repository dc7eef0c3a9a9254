import type { Locale, Notice } from '../chat/card.js';
import type { Actor, ChatReply, CommandRequest, MessageRef } from '../chat/port.js';
import { levelRank, LEVELS, type Level } from '../core/levels.js';
import { parseChecklistButton, parseHoldButton } from '../crisis/buttons.js';
import { parseHoldsCalendar, type ScheduledPost } from '../crisis/holds/calendar.js';
import { findHoldConflicts } from '../crisis/holds/conflicts.js';
import { holdWarningNotice } from '../crisis/holds/hold-notice.js';
import { JobName } from '../jobs/names.js';
import { readFile } from 'node:fs/promises';
import { checklistNotice, type StepTick } from '../crisis/checklist-notice.js';
import { type CrisisCommand, parseCrisisCommand } from '../crisis/command.js';
import { crisisMatches, defaultCrisisTerms } from '../crisis/match.js';
import { buildCrisisReport, type CrisisReportData, type TimelineKind } from '../crisis/report.js';
import { renderCrisisReportMarkdown } from '../crisis/report-markdown.js';
import { crisisReportNotice } from '../crisis/report-notice.js';
import { resolveCrisisTarget } from '../crisis/resolve-target.js';
import { crisisHelpNotice, crisisUsageNotice } from '../crisis/usage-notice.js';
import type { OpenCrisisContext } from '../engine/types.js';
import { refreshDelivery } from '../pipeline/ingest.js';
import { targetsOf } from '../routing/accounts.js';
import type { NewDelivery, TicketRow } from '../store/types.js';
import { mayDo, type GuardedAction } from '../tickets/permissions.js';
import { CrisisStore, type CrisisRow } from '../../adapters/db/crisis-store.js';
import type { AppCore } from './create-app.js';

const TIMELINE_KIND: Record<string, TimelineKind> = {
  'crisis-open': 'open',
  'crisis-update': 'update',
  'crisis-relay': 'relay',
  'crisis-tick': 'step',
  'crisis-hold': 'hold',
  'crisis-attach': 'attach',
  'crisis-close': 'close',
};

/** One level up, capped at critical: a story attached to a crisis is watched more closely. */
function raised(level: Level): Level {
  return LEVELS[Math.min(LEVELS.length - 1, Math.max(levelRank(level) + 1, levelRank('high')))]!;
}

/**
 * The crisis procedure: `/crisis open|update|relay|status|close`, the checklist with a button per
 * step, matching stories attached (level raised, two-person replies), and the close report. Every
 * step is a decision row with the crisis id: the timeline is the audited history.
 */
export function createCrisisWorkflow(core: AppCore) {
  const { store, clock, loaded } = core;
  const config = loaded.config;
  const locale: Locale = config.organisation.locale;
  const tz = config.digest.timeZone;
  const crises = new CrisisStore(store.database);
  const sites = [...new Set(config.accounts.map((a) => a.site))];
  const siteOf = new Map(config.accounts.map((a) => [a.handle, a.site]));
  let open: CrisisRow[] = [];
  let armings = 0;
  let posts: ScheduledPost[] = [];
  /** Scheduled promotional posts are checked this far ahead. */
  const HOLD_HORIZON_HOURS = 24;

  /** The editorial calendar: a YAML or ICS file, or an ICS URL, re-read at every check. */
  async function loadPosts(): Promise<void> {
    const where = config.crisis.holds;
    if (!where) return;
    try {
      const text = /^https?:\/\//.test(where) ? await (await fetch(where, { signal: AbortSignal.timeout(10_000) })).text() : await readFile(loaded.paths.holds!, 'utf8');
      posts = parseHoldsCalendar(text, where, { timeZone: tz });
    } catch (err) {
      core.logger.warn({ err, holds: where }, 'editorial calendar unreadable; keeping the previous one');
    }
  }

  /** Warns once per (post, crisis or story) conflict in the crisis channel, with Postpone / Keep. */
  async function checkHolds(): Promise<void> {
    if (posts.length === 0) return;
    const stories = (await crises.openStories()).map((st) => ({
      id: st.ticketId,
      level: st.level,
      category: st.category,
      site: st.account ? siteOf.get(st.account) ?? null : null,
      text: st.text,
    }));
    const conflicts = findHoldConflicts(posts, open.map((c) => ({ id: c.id, title: c.title, terms: c.terms, site: c.site })), stories, clock(), HOLD_HORIZON_HOURS);
    const rows: NewDelivery[] = [];
    for (const conflict of conflicts) {
      for (const target of targetsOf(config.channels.crisis, core.platforms)) {
        rows.push({
          key: `hold:${conflict.post.id}:${conflict.with.kind}:${conflict.with.id}:${target.platform}:${target.channel}`,
          kind: 'notice',
          ...target,
          ticketId: null,
          priority: 27,
          payload: { notice: holdWarningNotice(conflict, locale, tz) },
        });
      }
    }
    if (rows.length === 0) return;
    const known = await store.existingDeliveryKeys(rows.map((r) => r.key));
    const fresh = rows.filter((r) => !known.has(r.key));
    if (fresh.length > 0) await core.enqueueDeliveries(await store.addDeliveries(fresh));
  }

  const privately = (notice: Notice): ChatReply => ({ visibility: 'private', notice });
  const inChannel = (notice: Notice): ChatReply => ({ visibility: 'channel', notice });
  const checklistKey = (id: number, platform: string, channel: string) => `crisis:${id}:checklist:${platform}:${channel}`;

  async function refreshOpen(): Promise<void> {
    open = await crises.open();
  }

  async function record(crisisId: number, action: string, actor: Actor | null, payload: Record<string, unknown>) {
    return store.transaction((tx) =>
      tx.appendDecision({
        ticketId: null,
        crisisId,
        action,
        actorId: actor?.id ?? 'vigie',
        actorName: actor?.name ?? 'Vigie',
        platform: actor?.platform ?? 'system',
        payload,
        at: clock(),
      }),
    );
  }

  async function ticks(crisisId: number): Promise<StepTick[]> {
    return (await crises.timeline(crisisId))
      .filter((d) => d.action === 'crisis-tick')
      .map((d) => ({ stepId: String((d.payload as { stepId: string }).stepId), byName: d.actorName, at: d.at, ticked: (d.payload as { ticked: boolean }).ticked }));
  }

  function header(c: CrisisRow) {
    return { id: c.id, title: c.title, site: c.site, severity: c.severity as 1 | 2 | 3, openedAt: c.openedAt };
  }

  /** Posts (or, when it exists, updates) the crisis checklist in the crisis channel. */
  async function postChecklist(c: CrisisRow): Promise<void> {
    const notice = checklistNotice(header(c), config.crisis.checklist, await ticks(c.id), locale, tz);
    const rows: NewDelivery[] = targetsOf(config.channels.crisis, core.platforms).map((target) => ({
      key: checklistKey(c.id, target.platform, target.channel),
      kind: 'notice',
      ...target,
      ticketId: null,
      priority: 29,
      payload: { notice },
    }));
    // A re-armed checklist needs a job of its own even while its previous send is still queued.
    await core.enqueueDeliveries(await store.rearmNotices(rows), `arm-${++armings}`);
  }

  async function postInCrisisThread(c: CrisisRow, key: string, notice: Notice): Promise<void> {
    const rows: NewDelivery[] = targetsOf(config.channels.crisis, core.platforms).map((target) => ({
      key: `${key}:${target.platform}:${target.channel}`,
      kind: 'notice',
      ...target,
      ticketId: null,
      priority: 28,
      payload: { notice, threadKey: checklistKey(c.id, target.platform, target.channel) },
    }));
    await core.enqueueDeliveries(await store.addDeliveries(rows));
  }

  /** Attaches matching open stories to the crisis: level raised, cards refreshed. */
  async function attachStories(c: CrisisRow, only?: ReadonlySet<number>): Promise<number> {
    let attached = 0;
    for (const story of await crises.openStories()) {
      if (story.crisisId !== null || (only && !only.has(story.ticketId))) continue;
      const hit = crisisMatches({ terms: c.terms, site: c.site }, { normalizedText: story.text, site: story.account ? siteOf.get(story.account) ?? null : null, category: story.category });
      if (!hit) continue;
      await crises.attach(story.ticketId, c.id, raised(story.level));
      await record(c.id, 'crisis-attach', null, { ticketId: story.ticketId, term: hit.term, text: story.text.slice(0, 280), url: story.url });
      await core.enqueueDeliveries(await store.addDeliveries([refreshDelivery(story.ticketId)]));
      attached++;
    }
    return attached;
  }

  function allowed(action: GuardedAction, actor: Actor): boolean {
    return mayDo(config.permissions, action, 'none', actor);
  }

  async function report(c: CrisisRow): Promise<CrisisReportData> {
    const timeline = await crises.timeline(c.id);
    const tickets = await crises.tickets(c.id);
    const decisions = await crises.ticketDecisions(tickets.map((t) => t.id));
    const cards = [];
    for (const t of tickets) {
      const head = await crises.headOf(t.id);
      cards.push({ ticketId: t.id, level: t.level as Level, status: t.status as TicketRow['status'], openedAt: t.openedAt, firstDecisionAt: t.firstDecisionAt, text: head?.text ?? null, url: head?.url ?? null });
    }
    const closing = timeline.find((d) => d.action === 'crisis-close');
    return {
      crisis: { ...header(c), closedAt: c.closedAt, openedBy: c.openedBy, closedBy: closing?.actorName ?? null, summary: c.summary },
      timeline: timeline
        .filter((d) => TIMELINE_KIND[d.action])
        .map((d) => {
          const p = d.payload as Record<string, unknown>;
          const kind = TIMELINE_KIND[d.action]!;
          const step = kind === 'step' ? config.crisis.checklist.find((s) => s.id === p.stepId)?.label[locale] : undefined;
          return { at: d.at, kind, actorName: d.actorName, text: String(step ?? p.text ?? p.title ?? p.summary ?? ''), url: typeof p.url === 'string' ? p.url : null };
        }),
      volume: await crises.volume(c.id),
      cards,
      decisions: decisions.filter((d) => d.action !== 'note' && d.ticketId !== null).map((d) => ({ ticketId: d.ticketId!, action: d.action, actorName: d.actorName, at: d.at })),
    };
  }

  async function run(command: CrisisCommand, request: CommandRequest): Promise<ChatReply> {
    const actor = request.actor;
    if (command.verb === 'help') return privately(crisisHelpNotice(locale));
    const guard = `crisis-${command.verb}` as GuardedAction;
    if (!allowed(guard, actor)) return privately({ title: locale === 'fr' ? 'Réservé à la cellule de crise' : 'Crisis cell only', sections: [] });

    if (command.verb === 'open') {
      const terms = command.terms.length > 0 ? command.terms : defaultCrisisTerms(command.title);
      const c = await crises.insert({ title: command.title, site: command.site, severity: command.severity ?? 2, terms, openedAt: clock(), openedBy: actor.name });
      await record(c.id, 'crisis-open', actor, { title: c.title, site: c.site, severity: c.severity, terms });
      await refreshOpen();
      await postChecklist(c);
      const attached = await attachStories(c);
      await checkHolds();
      return inChannel({
        title: locale === 'fr' ? `Crise #${c.id} ouverte : ${c.title}` : `Crisis #${c.id} opened: ${c.title}`,
        level: c.severity === 1 ? 'critical' : 'high',
        sections: [
          {
            lines: [
              locale === 'fr' ? `Par ${actor.name}. Termes suivis : ${terms.join(', ') || '—'}` : `By ${actor.name}. Watched terms: ${terms.join(', ') || '—'}`,
              locale === 'fr' ? `${attached} story(s) rattachée(s) ; réponses à double validation.` : `${attached} story(ies) attached; replies need two people.`,
            ],
          },
        ],
      });
    }

    const target = resolveCrisisTarget(command.crisisId, open.map((c) => ({ id: c.id, title: c.title })));
    if (!target.ok) return privately(crisisUsageNotice(target.error, locale));
    const c = (await crises.get(target.crisisId))!;

    switch (command.verb) {
      case 'update':
      case 'relay': {
        const url = command.verb === 'relay' ? command.url : null;
        const d = await record(c.id, `crisis-${command.verb}`, actor, { text: command.text, ...(url ? { url } : {}) });
        const title =
          command.verb === 'relay'
            ? locale === 'fr' ? `Communication officielle relayée (#${c.id})` : `Official statement relayed (#${c.id})`
            : locale === 'fr' ? `Point de situation (#${c.id})` : `Situation update (#${c.id})`;
        await postInCrisisThread(c, `crisis:${c.id}:${command.verb}:${d.id}`, { title, sections: [{ lines: [command.text, `— ${actor.name}`], ...(url ? { links: [{ label: url, url }] } : {}) }] });
        return privately({ title: locale === 'fr' ? 'Ajouté à la chronologie.' : 'Added to the timeline.', sections: [] });
      }
      case 'status': {
        const data = await report(c);
        const model = buildCrisisReport({ ...data, crisis: { ...data.crisis, closedAt: null } });
        const notice = checklistNotice(header(c), config.crisis.checklist, await ticks(c.id), locale, tz);
        return privately({
          ...notice,
          buttons: [],
          sections: [
            ...notice.sections,
            { lines: [locale === 'fr' ? `${model.cards.total} carte(s), ${model.decisions.total} décision(s), ${model.volume.total} mention(s) ${model.volume.sparkline}` : `${model.cards.total} card(s), ${model.decisions.total} decision(s), ${model.volume.total} mention(s) ${model.volume.sparkline}`] },
            { heading: locale === 'fr' ? 'Derniers événements' : 'Latest events', lines: data.timeline.slice(-5).map((e) => `${e.at.toISOString().slice(11, 16)} ${e.kind} · ${e.actorName ?? ''} · ${e.text.slice(0, 200)}`) },
          ],
        });
      }
      case 'close': {
        await record(c.id, 'crisis-close', actor, { summary: command.summary });
        const closedAt = clock();
        const data = await report({ ...c, closedAt, summary: command.summary });
        await crises.close(c.id, closedAt, command.summary, buildCrisisReport(data));
        await refreshOpen();
        await postInCrisisThread(c, `crisis:${c.id}:report`, crisisReportNotice(data, locale, tz));
        return inChannel({ title: locale === 'fr' ? `Crise #${c.id} close : ${c.title}` : `Crisis #${c.id} closed: ${c.title}`, sections: [{ lines: [command.summary ?? '—', locale === 'fr' ? `Rapport : vigie crisis report ${c.id}` : `Report: vigie crisis report ${c.id}`] }] });
      }
    }
  }

  return {
    openCrises: (): OpenCrisisContext[] => open.map((c) => ({ id: String(c.id), terms: c.terms, site: c.site })),
    async command(request: CommandRequest): Promise<ChatReply> {
      const parsed = parseCrisisCommand(request.text, { sites });
      if (!parsed.ok) return privately(crisisUsageNotice(parsed.error, locale));
      return run(parsed.command, request);
    },
    async button(buttonId: string, actor: Actor, _ref: MessageRef): Promise<ChatReply | null> {
      const hold = parseHoldButton(buttonId);
      if (hold) {
        if (!allowed('hold-choice', actor)) return privately({ title: locale === 'fr' ? 'Réservé à la cellule de crise' : 'Crisis cell only', sections: [] });
        const post = posts.find((p) => p.id === hold.postId);
        const only = open.length === 1 ? open[0]! : null;
        await store.transaction((tx) =>
          tx.appendDecision({ ticketId: null, crisisId: only?.id ?? null, action: 'crisis-hold', actorId: actor.id, actorName: actor.name, platform: actor.platform, payload: { postId: hold.postId, choice: hold.choice, text: post?.title ?? hold.postId }, at: clock() }),
        );
        const verb = hold.choice === 'postpone' ? (locale === 'fr' ? 'reportée' : 'postponed') : locale === 'fr' ? 'maintenue' : 'kept';
        return inChannel({ title: `${post?.title ?? hold.postId} — ${verb} (${actor.name})`, sections: [] });
      }
      const step = parseChecklistButton(buttonId);
      if (!step) return null;
      if (!allowed('crisis-tick', actor)) return privately({ title: locale === 'fr' ? 'Réservé à la cellule de crise' : 'Crisis cell only', sections: [] });
      const c = await crises.get(step.crisisId);
      if (c?.status !== 'open' || !config.crisis.checklist.some((s) => s.id === step.stepId)) {
        return privately({ title: locale === 'fr' ? 'Cette étape n’est plus active.' : 'This step is no longer active.', sections: [] });
      }
      const current = (await ticks(c.id)).filter((t) => t.stepId === step.stepId).at(-1);
      await record(c.id, 'crisis-tick', actor, { stepId: step.stepId, ticked: !(current && current.ticked !== false) });
      await postChecklist(c);
      return null;
    },
    /** New tickets of a story that matches an open crisis join it. */
    async onTickets(tickets: readonly TicketRow[]): Promise<void> {
      const ids = new Set(tickets.map((t) => t.id));
      for (const c of open) await attachStories(c, ids);
      if (tickets.some((t) => t.level === 'high' || t.level === 'critical')) await checkHolds();
    },
    /** `vigie crisis report ID`. */
    async markdown(id: number): Promise<string | null> {
      const c = await crises.get(id);
      if (!c) return null;
      return renderCrisisReportMarkdown(await report(c), locale, tz);
    },
    register(): void {
      core.queue.handle(JobName.holdsCheck, async () => {
        await loadPosts();
        await checkHolds();
      });
    },
    async start(): Promise<void> {
      await refreshOpen();
      await loadPosts();
      if (config.crisis.holds) await core.queue.schedule('holds-check', { cron: '*/15 * * * *', tz: 'UTC' }, JobName.holdsCheck, {});
    },
  };
}
