import type { Locale, Notice, } from '../chat/card.js';
import type { ActionRequest, ActionResult } from '../chat/port.js';
import type { VigieConfig } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../ops/logger.js';
import { refreshDelivery } from '../pipeline/ingest.js';
import type { DecisionRow, DeliveryRow, NewDelivery, TicketRow } from '../store/types.js';
import type { Store, TxStore } from '../../adapters/db/store.js';
import { decisionDetail } from '../cards/build-card.js';
import { applyAction, type PendingReply, type Refusal, type TicketAction } from '../tickets/state-machine.js';
import type { TemplateFreshness } from '../templates/freshness.js';
import { diffAgainstTemplate } from '../templates/diff.js';
import { formatTime } from '../i18n/format.js';

/** Renders an approved reply; the template library plugs in here. */
export type ReplyRenderer = (
  ticket: TicketRow,
  templateId: string,
  variables: Record<string, string>,
) => Promise<{ ok: true; text: string; templateVersion: number; freshness: TemplateFreshness; edit: unknown } | { ok: false; message: string }>;

type Rendered = Awaited<ReturnType<ReplyRenderer>>;

export interface DecisionDeps {
  store: Store;
  config: VigieConfig;
  clock: Clock;
  logger: Logger;
  renderReply: ReplyRenderer;
  /** True when a reply on this ticket needs a second person (critical, or an open crisis on it). */
  needsSecondApproval: (ticket: TicketRow) => boolean;
  /** Sends an approved reply through the source when it can; returns null when it must be posted by hand. */
  sendReply?: (ticket: TicketRow, text: string) => Promise<{ url: string | null } | null>;
  /** Hands committed deliveries and cancelled escalations to the queue. */
  afterCommit: (deliveries: DeliveryRow[], ticket: TicketRow) => Promise<void>;
}

const T = {
  fr: {
    notFound: (id: number) => `Le ticket #${id} n'existe pas.`,
    conflict: (who: string, what: string, at: string) => `Déjà traité : ${what} par ${who} à ${at}.`,
    invalidFrom: (status: string) => `Impossible dans l'état « ${status} ».`,
    forbidden: 'Vous n’avez pas le droit de faire cela sur ce ticket ; demandez à la cellule ou à un responsable.',
    unknownTeam: (id: string) => `Équipe inconnue : « ${id} ».`,
    drafted: 'Réponse proposée : une deuxième personne doit l’approuver.',
    sameDrafter: 'Vous avez proposé cette réponse : une autre personne doit l’approuver.',
    done: 'C’est noté.',
    byHand: (text: string) => `Réponse approuvée. À publier à la main :\n${text}`,
    expired: (id: string) => `Le modèle « ${id} » a dépassé sa date limite de relecture : il ne peut plus être approuvé.`,
    invalid: (code: string) => `Action refusée (${code}).`,
  },
  en: {
    notFound: (id: number) => `Ticket #${id} does not exist.`,
    conflict: (who: string, what: string, at: string) => `Already handled: ${what} by ${who} at ${at}.`,
    invalidFrom: (status: string) => `Not possible while the ticket is "${status}".`,
    forbidden: 'You are not allowed to do that on this ticket; ask the crisis cell or a lead.',
    unknownTeam: (id: string) => `Unknown team "${id}".`,
    drafted: 'Reply drafted: a second person must approve it.',
    sameDrafter: 'You drafted this reply: someone else must approve it.',
    done: 'Done.',
    byHand: (text: string) => `Reply approved. Post it by hand:\n${text}`,
    expired: (id: string) => `Template "${id}" is past its hard review limit: it cannot be approved.`,
    invalid: (code: string) => `Refused (${code}).`,
  },
} as const;

type Outcome =
  | { kind: 'refused'; result: ActionResult }
  | { kind: 'done'; result: ActionResult; ticket: TicketRow; decision: DecisionRow; deliveries: DeliveryRow[] };

/**
 * Turns a chat action into a ticket change: one transaction locks the ticket, checks the version the
 * actor saw (two clicks at once: one wins, the other is told who decided and when), checks
 * permissions, appends the decision to the audit chain and queues the card refresh and thread note.
 */
export function createDecisions(deps: DecisionDeps) {
  const { store, config } = deps;
  const locale: Locale = config.organisation.locale;
  const t = T[locale];
  const tz = config.digest.timeZone;
  const teams = config.teams.map((x) => ({ id: x.id, label: x.label[locale] }));

  async function act(request: ActionRequest): Promise<ActionResult> {
    const now = deps.clock();
    let outcome: Outcome;
    try {
      // Rendering reads the story; it happens before the ticket is locked, since PGlite runs one
      // query at a time and a read outside the transaction would wait for it forever.
      let rendered: Rendered | null = null;
      if (request.action.kind === 'reply') {
        const current = await store.ticket(request.ticketId);
        if (!current) return { status: 'not_found', message: t.notFound(request.ticketId) };
        rendered = await deps.renderReply(current, request.action.templateId, request.action.variables);
        if (!rendered.ok) return { status: 'invalid', message: rendered.message };
      }
      outcome = await store.transaction((tx) => decide(tx, request, now, rendered));
    } catch (err) {
      deps.logger.error({ err, ticketId: request.ticketId }, 'decision failed');
      return { status: 'invalid', message: locale === 'fr' ? 'Erreur interne : réessayez.' : 'Internal error: try again.' };
    }
    if (outcome.kind === 'refused') {
      if (outcome.result.status === 'forbidden') {
        deps.logger.warn({ actor: request.actor, action: request.action.kind, ticketId: request.ticketId }, 'permission refused');
      }
      return outcome.result;
    }
    try {
      await deps.afterCommit(outcome.deliveries, outcome.ticket);
    } catch (err) {
      deps.logger.warn({ err }, 'could not enqueue after a decision; the sweep will pick it up');
    }
    if (request.action.kind === 'reply' && outcome.decision.action !== 'draft-reply' && deps.sendReply) {
      const text = String(outcome.decision.payload.text ?? '');
      try {
        const sent = await deps.sendReply(outcome.ticket, text);
        if (!sent) return { status: 'ok', message: t.byHand(text) };
      } catch (err) {
        deps.logger.error({ err, ticketId: outcome.ticket.id }, 'sending the reply failed');
        return { status: 'ok', message: t.byHand(text) };
      }
    } else if (request.action.kind === 'reply' && outcome.decision.action !== 'draft-reply') {
      return { status: 'ok', message: t.byHand(String(outcome.decision.payload.text ?? '')) };
    }
    return outcome.result;
  }

  async function decide(tx: TxStore, request: ActionRequest, now: Date, rendered: Rendered | null): Promise<Outcome> {
    const ticket = await tx.lockTicket(request.ticketId);
    if (!ticket) return refused({ status: 'not_found', message: t.notFound(request.ticketId) });
    const action = request.action;

    let machineAction: TicketAction;
    if (action.kind === 'reply') {
      if (!rendered?.ok) return refused({ status: 'invalid', message: rendered?.message ?? 'reply not rendered' });
      const text = action.finalText ?? rendered.text;
      machineAction = {
        kind: 'reply',
        templateId: action.templateId,
        templateVersion: rendered.templateVersion,
        freshness: rendered.freshness,
        text,
        edit: action.finalText !== undefined ? diffAgainstTemplate(rendered.text, action.finalText) : rendered.edit,
      };
    } else {
      machineAction = action;
    }

    const transition = applyAction(
      { status: ticket.status, level: ticket.level, version: ticket.version, team: ticket.team, pendingReply: ticket.pendingReply as PendingReply | null, firstDecisionAt: ticket.firstDecisionAt },
      machineAction,
      {
        actor: request.actor,
        now,
        expectedVersion: request.version,
        crisisOpen: deps.needsSecondApproval(ticket) && ticket.level !== 'critical',
        teams: config.teams.map((x) => x.id),
        permissions: config.permissions,
      },
    );
    if (!transition.ok) return refused(await refusalResult(tx, ticket, transition.refusal));

    const { decision: record, patch } = transition;
    let payload = record.payload;
    if (record.action === 'ignore') {
      const cluster = await store.clusterTx(tx, ticket.clusterId);
      payload = { ...payload, clusterCount: cluster?.count ?? 1 };
    }
    const decision = await tx.appendDecision({ ticketId: ticket.id, action: record.action, actorId: record.actorId, actorName: record.actorName, platform: record.platform, payload, at: record.at });
    const { version: _version, ...fields } = patch;
    const updated = await tx.updateTicket(ticket.id, {
      ...fields,
      ...(record.action === 'ignore' ? { ignoredAtCount: Number(payload.clusterCount) } : { ignoredAtCount: null }),
    });
    if (record.action === 'ignore' && payload.reason === 'troll') await store.flagAuthorsOfTx(tx, ticket.clusterId, 'troll-history');

    const deliveries = await tx.addDeliveries([refreshDelivery(ticket.id), ...(await threadNotes(tx, updated, decision))]);
    const message = decision.action === 'draft-reply' ? t.drafted : t.done;
    return { kind: 'done', result: { status: 'ok', message }, ticket: updated, decision, deliveries };
  }

  async function refusalResult(tx: TxStore, ticket: TicketRow, refusal: Refusal): Promise<ActionResult> {
    switch (refusal.code) {
      case 'stale-version':
      case 'invalid-transition':
      case 'no-change': {
        const last = await store.lastDecisionTx(tx, ticket.id);
        if (last) {
          const what = decisionDetail(last.action, last.payload, locale, teams) ?? last.action;
          return { status: 'conflict', message: t.conflict(last.actorName, what, formatTime(last.at, locale, tz)), decidedBy: last.actorName, decidedAt: last.at };
        }
        return { status: 'invalid', message: t.invalidFrom(ticket.status) };
      }
      case 'forbidden':
        return { status: 'forbidden', message: t.forbidden };
      case 'same-drafter':
        return { status: 'forbidden', message: t.sameDrafter };
      case 'unknown-team':
        return { status: 'invalid', message: t.unknownTeam(refusal.detail ?? '') };
      case 'template-expired':
        return { status: 'invalid', message: t.expired(refusal.detail ?? '') };
      case 'no-draft':
      case 'empty-reply':
      case 'invalid-snooze':
        return { status: 'invalid', message: t.invalid(refusal.code) };
    }
  }

  /** One quiet line in each card's thread: who did what, never a ping. */
  async function threadNotes(tx: TxStore, ticket: TicketRow, decision: DecisionRow): Promise<NewDelivery[]> {
    const refs = await store.refsForTicketTx(tx, ticket.id);
    const detail = decisionDetail(decision.action, decision.payload, locale, teams) ?? decision.action;
    const notice: Notice = { title: `${decision.actorName} — ${detail}`, sections: [{ lines: [`${formatTime(decision.at, locale, tz)} · ${decision.platform}`] }] };
    return refs
      .filter((r) => r.key.startsWith('card:'))
      .map((r) => ({
        key: `note:${decision.id}:${r.key}`,
        kind: 'notice' as const,
        platform: r.platform,
        channel: r.channel,
        ticketId: ticket.id,
        priority: 1,
        payload: { notice, threadKey: r.key },
      }));
  }

  return { act };
}

function refused(result: ActionResult): Outcome {
  return { kind: 'refused', result };
}
