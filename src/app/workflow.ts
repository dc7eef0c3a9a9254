import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CardOption, Locale } from '../chat/card.js';
import type { Actor, ChatReply, ReplyPreview } from '../chat/port.js';
import { renderAuthorNotice, authorProfile, type AuthorFlagLists, type AuthorProfile } from '../authors/index.js';
import { escalationJobIds, escalationNotice, escalationPlan, escalationStillDue } from '../escalation/index.js';
import { JobName } from '../jobs/names.js';
import { targetsOf } from '../routing/accounts.js';
import type { TicketRow } from '../store/types.js';
import {
  buildLibrary,
  type LoadedTemplate,
  NETWORK_LIMITS,
  networkOfSource,
  renderTemplate,
  suggestTemplates,
  templateFreshness,
} from '../templates/index.js';
import type { AppCore, WorkflowPlugin } from './create-app.js';
import { createCrisisWorkflow } from './crisis-workflow.js';
import { createDigestWorkflow } from './digest-workflow.js';

interface EscalateJob {
  ticketId: number;
  stepIndex: number;
}

function readLibrary(dir: string): LoadedTemplate[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort()
    .map((f) => ({ file: f, text: readFileSync(join(dir, f), 'utf8') }));
  return buildLibrary(files);
}

/**
 * The human workflow on top of the spine: reply templates, author profiles, escalation, crisis
 * procedures and the digest. Pure logic lives in src/templates, src/authors, src/escalation,
 * src/crisis and src/digest; this wires it to the store, the queue and the chat platforms.
 */
export function createWorkflow(core: AppCore): WorkflowPlugin {
  const { store, queue, clock, loaded } = core;
  const config = loaded.config;
  const locale: Locale = config.organisation.locale;
  const tz = config.digest.timeZone;
  const library = readLibrary(loaded.paths.templates);
  const byId = new Map(library.map((t) => [t.id, t]));
  const flagLists = ((config.risk as { authors?: AuthorFlagLists }).authors ?? {}) as AuthorFlagLists;
  const sites = new Map(config.accounts.map((a) => [a.handle, a.site]));
  const crisis = createCrisisWorkflow(core);
  const digest = createDigestWorkflow(core, library);

  async function headOf(ticket: TicketRow) {
    const cluster = await store.cluster(ticket.clusterId);
    return (cluster?.headMentionId ? await store.mention(cluster.headMentionId) : null) ?? (await store.firstMentionOf(ticket.clusterId));
  }

  function suggestions(category: string | null, loc: Locale, site?: string) {
    return suggestTemplates(library, category ? [category] : [], loc, { now: clock(), site });
  }

  async function profileOf(source: string, authorId: string, currentCategory: string | null): Promise<AuthorProfile | null> {
    const row = await store.author(source, authorId);
    if (!row) return null;
    const history = await store.authorHistory(source, authorId);
    return authorProfile(
      {
        source,
        snapshot: row.snapshot as AuthorProfile & { handle: string },
        storedFlags: row.flags as string[],
        mentions: row.mentions,
        tickets: await store.authorTicketCount(source, authorId),
        firstSeen: row.firstSeen,
        lastSeen: row.lastSeen,
        decisions: history.map((d) => ({
          ticketId: d.ticket_id,
          action: d.action,
          reason: typeof d.payload.reason === 'string' ? d.payload.reason : null,
          category: d.category,
          at: new Date(d.at),
        })),
        currentCategory,
      },
      flagLists,
    );
  }

  const privately = (title: string): ChatReply => ({ visibility: 'private', notice: { title, sections: [] } });

  async function escalate(job: EscalateJob): Promise<void> {
    const ticket = await store.ticket(job.ticketId);
    const step = config.escalation[job.stepIndex];
    if (!ticket || !escalationStillDue(ticket, step) || !step) return;
    if ((await store.firedEscalations(ticket.id)).has(job.stepIndex)) return;
    const head = await headOf(ticket);
    const team = config.teams.find((t) => t.id === ticket.team);
    const notice = escalationNotice(
      {
        ticketId: ticket.id,
        level: ticket.level,
        category: ticket.category,
        openedAt: ticket.openedAt,
        notify: step.notify,
        text: head?.text ?? null,
        url: head?.url ?? null,
        accountLabel: config.accounts.find((a) => a.handle === ticket.account)?.label ?? null,
        teamLabel: team?.label[locale] ?? null,
      },
      clock(),
      locale,
      tz,
    );
    // The lead group is pinged in its team's channel (else the watch channel); the crisis cell in its own.
    const channels = step.notify === 'crisis' ? config.channels.crisis : { ...config.channels.watch, ...(team?.channels ?? {}) };
    const ping = step.notify === 'lead' ? team?.leads ?? {} : {};
    const rows = await store.transaction(async (tx) => {
      await tx.appendDecision({ ticketId: ticket.id, action: 'escalate', actorId: 'vigie', actorName: 'Vigie', platform: 'system', payload: { stepIndex: job.stepIndex, notify: step.notify }, at: clock() });
      return tx.addDeliveries(
        targetsOf(channels, core.platforms).map((target) => ({
          key: `esc:${ticket.id}:${job.stepIndex}:${target.platform}:${target.channel}`,
          kind: 'notice' as const,
          ...target,
          ticketId: ticket.id,
          priority: 25,
          // The console has no groups of its own: it shows every configured lead id as text.
          payload: { notice: { ...notice, ping: target.platform === 'console' ? Object.values(ping).flat() : (ping[target.platform] ?? []) } },
        })),
      );
    });
    await core.enqueueDeliveries(rows);
  }

  async function planEscalations(tickets: readonly TicketRow[]): Promise<void> {
    for (const ticket of tickets) {
      const fired = await store.firedEscalations(ticket.id);
      for (const job of escalationPlan(ticket, config.escalation, clock())) {
        if (fired.has(job.stepIndex)) continue;
        await queue.add<EscalateJob>(JobName.escalate, { ticketId: job.ticketId, stepIndex: job.stepIndex }, { jobId: job.jobId, delayMs: job.delayMs, attempts: 5, backoff: { type: 'exponential', delayMs: 5_000 } });
      }
    }
  }

  return {
    digest,
    renderReply: async (ticket, templateId, variables) => {
      const template = byId.get(templateId);
      if (!template) return { ok: false, message: locale === 'fr' ? `Modèle inconnu : ${templateId}` : `Unknown template: ${templateId}` };
      const head = await headOf(ticket);
      const result = renderTemplate(template, variables, { network: networkOfSource(head?.source ?? 'generic') });
      if (!result.ok) {
        return {
          ok: false,
          message:
            result.code === 'missing-variables'
              ? `${locale === 'fr' ? 'Variables manquantes' : 'Missing variables'}: ${result.missing.join(', ')}`
              : `${locale === 'fr' ? 'Texte trop long' : 'Text too long'}: ${result.length}/${result.limit}`,
        };
      }
      return { ok: true, text: result.text, templateVersion: template.version, freshness: templateFreshness(template, clock()), edit: null };
    },
    needsSecondApproval: (ticket) => ticket.level === 'critical' || ticket.crisisId !== null,
    suggestTemplates: (category, loc, account) =>
      suggestions(category, loc, account ? sites.get(account) : undefined).map((s): CardOption => ({ id: s.template.id, label: `${s.template.title}${s.freshness === 'due' ? (loc === 'fr' ? ' (à relire)' : ' (review due)') : ''}` })),
    authorHints: async (source, authorId, category) => {
      const profile = await profileOf(source, authorId, category);
      if (!profile?.hint.considerNotReplying) return [];
      return [locale === 'fr' ? `Envisager de ne pas répondre (${profile.hint.reasons.join(', ')})` : `Consider not replying (${profile.hint.reasons.join(', ')})`];
    },
    openCrises: crisis.openCrises,
    onTickets: async (tickets) => {
      await planEscalations(tickets);
      await crisis.onTickets(tickets);
    },
    onDecision: async (ticket) => {
      for (const id of escalationJobIds(ticket.id, config.escalation)) await queue.cancel(id);
    },
    register() {
      queue.handle<EscalateJob>(JobName.escalate, async (job) => escalate(job.data));
      crisis.register();
      digest.register();
    },
    async start() {
      // The in-process queue forgets delayed jobs on restart: plan again from the database.
      const levels = [...new Set(config.escalation.flatMap((s) => s.levels))];
      await planEscalations(await store.openTicketsNeedingEscalation(levels));
      await crisis.start();
      await digest.start();
    },
    hooks: {
      async replyOptions(ticketId: number, _actor: Actor) {
        const ticket = await store.ticket(ticketId);
        if (!ticket) return null;
        const head = await headOf(ticket);
        const network = networkOfSource(head?.source ?? 'generic');
        return {
          ticketId,
          templates: suggestions(ticket.category, locale, ticket.account ? sites.get(ticket.account) : undefined).map((s) => ({
            id: s.template.id,
            label: s.template.title,
            variables: s.template.variables.map((v) => ({ name: v.name, label: v.label, value: v.default ?? '' })),
            maxLength: NETWORK_LIMITS[network],
            stale: s.freshness === 'due',
          })),
        };
      },
      async previewReply(ticketId, templateId, variables): Promise<ReplyPreview> {
        const ticket = await store.ticket(ticketId);
        const template = byId.get(templateId);
        if (!ticket || !template) return { ok: false, message: locale === 'fr' ? 'Modèle ou ticket inconnu' : 'Unknown template or ticket', missing: [] };
        const head = await headOf(ticket);
        const r = renderTemplate(template, variables, { network: networkOfSource(head?.source ?? 'generic') });
        if (r.ok) return { ok: true, text: r.text, length: r.length, maxLength: r.limit };
        if (r.code === 'missing-variables') return { ok: false, message: `${locale === 'fr' ? 'Variables manquantes' : 'Missing variables'}: ${r.labels.join(', ')}`, missing: r.missing };
        return { ok: false, message: `${locale === 'fr' ? 'Texte trop long' : 'Text too long'}: ${r.length}/${r.limit}`, missing: [] };
      },
      async author(ticketId) {
        const ticket = await store.ticket(ticketId);
        const head = ticket ? await headOf(ticket) : null;
        const profile = head ? await profileOf(head.source, head.authorId, ticket?.category ?? null) : null;
        if (!profile) return privately(locale === 'fr' ? 'Auteur inconnu' : 'Unknown author');
        return { visibility: 'private', notice: renderAuthorNotice(profile, locale, tz) };
      },
      async vigie(sub, args, request) {
        if (sub === 'digest') return digest.command(args, request);
        if (sub === 'author') {
          const handle = args.trim().replace(/^@/, '');
          const rows = handle ? await store.authorsByHandle(handle) : [];
          const row = rows[0];
          const profile = row ? await profileOf(row.source, row.authorId, null) : null;
          if (!profile) return privately(locale === 'fr' ? `Auteur inconnu : ${handle}` : `Unknown author: ${handle}`);
          return { visibility: 'private', notice: renderAuthorNotice(profile, locale, tz) };
        }
        return null;
      },
      crisis: (request) => crisis.command(request),
      button: (buttonId, actor, ref) => crisis.button(buttonId, actor, ref),
    },
  };
}

