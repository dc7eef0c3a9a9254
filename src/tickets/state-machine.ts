import type { IgnoreReason, Platform, TicketStatus } from '../chat/card.js';
import type { Actor } from '../chat/port.js';
import type { Level } from '../core/levels.js';
import type { TemplateFreshness } from '../templates/freshness.js';
import { mayDo, type Permissions, type PermissionKey } from './permissions.js';

/**
 * The ticket state machine, pure: the caller locks the ticket row, calls `applyAction`, and writes
 * `patch` plus `decision` in the same transaction (or answers the refusal). Nothing here reads a
 * clock or a database.
 *
 * | from \ action  | assign   | reply / approve-reply | draft-reply | ignore  | resolve  | reopen |
 * |----------------|----------|-----------------------|-------------|---------|----------|--------|
 * | open           | assigned | replied (1)           | open (2)    | ignored | resolved | —      |
 * | assigned       | assigned | replied (1)           | assigned (2)| ignored | resolved | —      |
 * | replied        | —        | —                     | —           | —       | resolved | open   |
 * | ignored        | —        | —                     | —           | —       | resolved | open   |
 * | resolved       | —        | —                     | —           | —       | —        | open   |
 *
 * (1) When two-person approval applies (critical ticket, or a crisis is open on it), `reply` with no
 *     pending draft records a `draft-reply` and leaves the status alone; `reply` or `approve-reply`
 *     with a pending draft approves it, and is refused to whoever drafted it. Without two-person
 *     approval, `reply` publishes directly and `approve-reply` still approves a pending draft.
 * (2) A draft never changes the status; a new draft replaces a pending one (the decision row keeps
 *     the history). Ignore, resolve and reopen discard a pending draft.
 * Reassigning to another team is allowed; to the same team it is refused (`no-change`), so a double
 * click does not write two rows. Reopen goes back to `open` and keeps the team; a snooze is lifted.
 * "—" is refused with `invalid-transition`.
 */

export interface PendingReply {
  templateId: string;
  templateVersion: number;
  text: string;
  /** Compact edit against the rendered template (see templates/diff.ts), or null when untouched. */
  edit: unknown;
  byId: string;
  byName: string;
  platform: Platform;
  at: string;
}

/** The part of a ticket row the machine reads. */
export interface TicketState {
  status: TicketStatus;
  level: Level;
  version: number;
  team: string | null;
  /** A reply drafted and awaiting a second person, as returned in an earlier `patch`. */
  pendingReply?: PendingReply | null | undefined;
  firstDecisionAt?: Date | null | undefined;
}

export interface ReplyContent {
  templateId: string;
  templateVersion: number;
  /** Freshness of the template at decision time: an expired template cannot be approved. */
  freshness: TemplateFreshness;
  /** The final text, as it will be posted. */
  text: string;
  edit?: unknown;
}

export type TicketAction =
  | { kind: 'assign'; teamId: string }
  | ({ kind: 'reply' } & ReplyContent)
  | ({ kind: 'draft-reply' } & ReplyContent)
  /** Approves the pending draft; `text` and `freshness` override the draft's when the approver edited it. */
  | { kind: 'approve-reply'; freshness: TemplateFreshness; text?: string; edit?: unknown }
  | { kind: 'ignore'; reason: IgnoreReason; snoozeMinutes?: number }
  | { kind: 'resolve' }
  | { kind: 'reopen' };

export type TicketActionKind = TicketAction['kind'];

export interface ActionContext {
  actor: Actor;
  now: Date;
  /** The version the actor saw on the card; absent means "whatever is current". */
  expectedVersion?: number | undefined;
  /** True while a crisis is open on this ticket: replies need a second person. */
  crisisOpen?: boolean | undefined;
  /** Known team ids (config.teams). */
  teams: readonly string[];
  /** config.permissions; absent means everyone may do everything. */
  permissions?: Permissions | undefined;
}

export type DecisionAction = 'assign' | 'reply' | 'draft-reply' | 'approve-reply' | 'ignore' | 'resolve' | 'reopen';

export interface TicketPatch {
  status: TicketStatus;
  version: number;
  lastDecisionAt: Date;
  firstDecisionAt?: Date;
  team?: string;
  pendingReply?: PendingReply | null;
  snoozeUntil?: Date | null;
  assigneeId?: string;
  assigneeName?: string;
}

export interface DecisionRecord {
  action: DecisionAction;
  actorId: string;
  actorName: string;
  platform: Platform;
  at: Date;
  payload: Record<string, unknown>;
}

export type RefusalCode =
  | 'stale-version'
  | 'invalid-transition'
  | 'forbidden'
  | 'unknown-team'
  | 'no-change'
  | 'no-draft'
  | 'same-drafter'
  | 'template-expired'
  | 'empty-reply'
  | 'invalid-snooze';

export interface Refusal {
  code: RefusalCode;
  /** For `forbidden`: which audience was missing. For `invalid-transition`: the status. */
  detail?: string;
  /** For `same-drafter` and `stale-version`: who holds the draft / current version. */
  status?: TicketStatus;
  version?: number;
  permission?: PermissionKey;
}

export type Transition =
  | { ok: true; status: TicketStatus; patch: TicketPatch; decision: DecisionRecord; /** Every decision cancels the pending escalations. */ cancelEscalations: true }
  | { ok: false; refusal: Refusal };

/** Statuses each action may start from. */
export const ALLOWED_FROM: Record<TicketActionKind, readonly TicketStatus[]> = {
  assign: ['open', 'assigned'],
  reply: ['open', 'assigned'],
  'draft-reply': ['open', 'assigned'],
  'approve-reply': ['open', 'assigned'],
  ignore: ['open', 'assigned'],
  resolve: ['open', 'assigned', 'replied', 'ignored'],
  reopen: ['replied', 'ignored', 'resolved'],
};

/** Two-person approval applies to critical tickets and to any ticket while a crisis is open on it. */
export function needsTwoPersons(ticket: Pick<TicketState, 'level'>, crisisOpen: boolean | undefined): boolean {
  return ticket.level === 'critical' || crisisOpen === true;
}

/** Longest snooze accepted: beyond a week an ignore is not a snooze any more. */
const MAX_SNOOZE_MINUTES = 7 * 24 * 60;

function refuse(code: RefusalCode, extra: Omit<Refusal, 'code'> = {}): Transition {
  return { ok: false, refusal: { code, ...extra } };
}

/** Computes the next state of a ticket and the decision row to append, or a coded refusal. */
export function applyAction(ticket: TicketState, action: TicketAction, ctx: ActionContext): Transition {
  if (ctx.expectedVersion !== undefined && ctx.expectedVersion !== ticket.version) {
    return refuse('stale-version', { status: ticket.status, version: ticket.version });
  }
  if (!ALLOWED_FROM[action.kind].includes(ticket.status)) {
    return refuse('invalid-transition', { status: ticket.status, detail: ticket.status });
  }

  const twoPersons = needsTwoPersons(ticket, ctx.crisisOpen);
  const draft = ticket.pendingReply ?? null;
  const { actor, now } = ctx;
  const base = { status: ticket.status, version: ticket.version + 1, lastDecisionAt: now, ...(ticket.firstDecisionAt ? {} : { firstDecisionAt: now }) };
  let decided: DecisionAction;
  let patch: TicketPatch;
  let payload: Record<string, unknown>;

  // `reply` is the single button of the card: it resolves into a draft, an approval or a direct reply.
  let kind: TicketActionKind = action.kind;
  if (action.kind === 'reply' && twoPersons) kind = draft ? 'approve-reply' : 'draft-reply';

  switch (kind) {
    case 'assign': {
      const a = action as Extract<TicketAction, { kind: 'assign' }>;
      if (!ctx.teams.includes(a.teamId)) return refuse('unknown-team', { detail: a.teamId });
      if (ticket.status === 'assigned' && ticket.team === a.teamId) return refuse('no-change', { detail: a.teamId });
      decided = 'assign';
      patch = { ...base, status: 'assigned', team: a.teamId, assigneeId: actor.id, assigneeName: actor.name };
      payload = { teamId: a.teamId, ...(ticket.team && ticket.team !== a.teamId ? { fromTeam: ticket.team } : {}) };
      break;
    }
    case 'draft-reply': {
      const a = action as ReplyContent & { kind: 'reply' | 'draft-reply' };
      if (a.text.trim() === '') return refuse('empty-reply');
      if (a.freshness === 'expired') return refuse('template-expired', { detail: a.templateId });
      const pending: PendingReply = {
        templateId: a.templateId,
        templateVersion: a.templateVersion,
        text: a.text,
        edit: a.edit ?? null,
        byId: actor.id,
        byName: actor.name,
        platform: actor.platform,
        at: now.toISOString(),
      };
      decided = 'draft-reply';
      patch = { ...base, pendingReply: pending };
      payload = { templateId: a.templateId, templateVersion: a.templateVersion, text: a.text, edit: a.edit ?? null, ...(draft ? { replacesDraftBy: draft.byName } : {}) };
      break;
    }
    case 'approve-reply': {
      if (!draft) return refuse('no-draft');
      if (draft.byId === actor.id && draft.platform === actor.platform) return refuse('same-drafter', { detail: draft.byName });
      const override = action as { text?: string; edit?: unknown; freshness: TemplateFreshness };
      if (override.freshness === 'expired') return refuse('template-expired', { detail: draft.templateId });
      const text = override.text ?? draft.text;
      if (text.trim() === '') return refuse('empty-reply');
      decided = 'approve-reply';
      patch = { ...base, status: 'replied', pendingReply: null, assigneeId: actor.id, assigneeName: actor.name };
      payload = {
        templateId: draft.templateId,
        templateVersion: draft.templateVersion,
        text,
        edit: override.text !== undefined ? (override.edit ?? null) : draft.edit,
        draftedBy: draft.byName,
        draftedById: draft.byId,
        editedOnApproval: override.text !== undefined && override.text !== draft.text,
      };
      break;
    }
    case 'reply': {
      const a = action as Extract<TicketAction, { kind: 'reply' }>;
      if (a.text.trim() === '') return refuse('empty-reply');
      if (a.freshness === 'expired') return refuse('template-expired', { detail: a.templateId });
      decided = 'reply';
      patch = { ...base, status: 'replied', pendingReply: null, assigneeId: actor.id, assigneeName: actor.name };
      payload = { templateId: a.templateId, templateVersion: a.templateVersion, text: a.text, edit: a.edit ?? null };
      break;
    }
    case 'ignore': {
      const a = action as Extract<TicketAction, { kind: 'ignore' }>;
      const snooze = a.snoozeMinutes;
      if (snooze !== undefined && (!Number.isInteger(snooze) || snooze <= 0 || snooze > MAX_SNOOZE_MINUTES)) {
        return refuse('invalid-snooze', { detail: String(snooze) });
      }
      const snoozeUntil = snooze === undefined ? null : new Date(now.getTime() + snooze * 60_000);
      decided = 'ignore';
      patch = { ...base, status: 'ignored', pendingReply: null, snoozeUntil };
      payload = { reason: a.reason, snoozeMinutes: snooze ?? null, ...(snoozeUntil ? { snoozeUntil: snoozeUntil.toISOString() } : {}) };
      break;
    }
    case 'resolve':
      decided = 'resolve';
      patch = { ...base, status: 'resolved', pendingReply: null };
      payload = { from: ticket.status };
      break;
    case 'reopen':
      decided = 'reopen';
      patch = { ...base, status: 'open', pendingReply: null, snoozeUntil: null };
      payload = { from: ticket.status };
      break;
  }

  const permission = permissionCheck(decided, ticket.level, ctx);
  if (permission) return refuse('forbidden', { permission, detail: permission });

  return {
    ok: true,
    status: patch.status,
    patch,
    decision: { action: decided, actorId: actor.id, actorName: actor.name, platform: actor.platform, at: now, payload },
    cancelEscalations: true,
  };
}

/** Permissions are checked on the resolved action: a `reply` that becomes a draft needs no right. */
function permissionCheck(action: DecisionAction, level: Level, ctx: ActionContext): PermissionKey | null {
  if (mayDo(ctx.permissions, action, level, ctx.actor)) return null;
  return action === 'ignore' ? 'ignoreCritical' : 'approveReply';
}
