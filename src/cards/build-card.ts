import type { Card, CardOption, Locale, TicketStatus } from '../chat/card.js';
import { IGNORE_REASONS } from '../chat/card.js';
import type { VigieConfig } from '../config/schema.js';
import type { Level } from '../core/levels.js';
import type { Reason } from '../engine/types.js';
import type { Store } from '../../adapters/db/store.js';
import { ACTION_LABELS, IGNORE_REASON_LABELS } from './labels.js';

/** Suggests reply templates for a story's categories (the template library plugs in here). */
export type TemplateSuggester = (category: string | null, locale: Locale, account: string | null) => CardOption[];

export interface CardBuilderDeps {
  store: Store;
  config: VigieConfig;
  suggest: TemplateSuggester;
  /** Hints from the author profile ("consider not replying"…). */
  authorHints?: (source: string, authorId: string, category: string | null) => Promise<string[]>;
}

const TREND_BUCKETS = 6;
const TREND_BUCKET_MS = 600_000; // 10 min: one hour of trend in six bars

/** Which actions make sense in each state (reopen only once something was decided). */
function actionsFor(status: TicketStatus): Card['actions'] {
  switch (status) {
    case 'open':
      return ['assign', 'reply', 'ignore', 'author'];
    case 'assigned':
      return ['assign', 'reply', 'ignore', 'resolve', 'author'];
    case 'replied':
      return ['resolve', 'reopen', 'author'];
    case 'ignored':
    case 'resolved':
      return ['reopen', 'author'];
  }
}

/** Renders the platform-neutral card from what is stored: the database is the source of truth. */
export function createCardBuilder(deps: CardBuilderDeps) {
  const { store, config } = deps;
  const locale = config.organisation.locale;
  const accounts = new Map(config.accounts.map((a) => [a.handle, a]));
  const teams: CardOption[] = config.teams.map((t) => ({ id: t.id, label: t.label[locale] }));
  const ignoreReasons: CardOption[] = IGNORE_REASONS.map((id) => ({ id, label: IGNORE_REASON_LABELS[locale][id] }));

  return async function buildCard(ticketId: number): Promise<Card | null> {
    const ticket = await store.ticket(ticketId);
    if (!ticket) return null;
    const cluster = await store.cluster(ticket.clusterId);
    if (!cluster) return null;
    const head = (cluster.headMentionId ? await store.mention(cluster.headMentionId) : null) ?? (await store.firstMentionOf(cluster.id));
    if (!head) return null;
    const last = await store.lastDecision(ticketId);
    const trend = await store.clusterTrend(cluster.id, cluster.lastSeen, TREND_BUCKET_MS, TREND_BUCKETS);
    const author = head.author as { handle: string; name?: string; followers?: number };
    const team = ticket.team ? teams.find((t) => t.id === ticket.team) ?? null : null;
    const notices: string[] = [];
    if (deps.authorHints) notices.push(...(await deps.authorHints(head.source, head.authorId, ticket.category)));
    if (last?.action === 'comeback') {
      notices.push(
        locale === 'fr'
          ? `Revenu : la story a encore grossi depuis qu'elle a été ignorée (${String(last.payload.ignoredAtCount)} → ${String(last.payload.count)}).`
          : `Came back: the story kept growing after it was ignored (${String(last.payload.ignoredAtCount)} → ${String(last.payload.count)}).`,
      );
    }
    if (ticket.pendingReply) {
      const draft = ticket.pendingReply as { byName?: string };
      notices.push(locale === 'fr' ? `Réponse proposée par ${draft.byName ?? '?'} : en attente d'une deuxième approbation.` : `Reply drafted by ${draft.byName ?? '?'}: waiting for a second approval.`);
    }
    return {
      ticketId,
      version: ticket.version,
      locale,
      level: maxOf(ticket.level, cluster.level),
      category: ticket.category ?? cluster.category,
      score: cluster.peakScore,
      text: head.text,
      url: head.url,
      author: { handle: author.handle, name: author.name ?? null, followers: author.followers ?? null, source: head.source },
      account: ticket.account,
      accountLabel: ticket.account ? accounts.get(ticket.account)?.label ?? null : null,
      reasons: (head.reasons as Reason[]).map((r) => r.text),
      similarCount: Math.max(0, cluster.count - 1),
      trend,
      status: ticket.status,
      team,
      lastDecision: last
        ? {
            action: last.action,
            actorId: last.actorId,
            actorName: last.actorName,
            platform: last.platform,
            at: last.at,
            detail: decisionDetail(last.action, last.payload, locale, teams),
          }
        : null,
      notices,
      teams,
      templates: deps.suggest(ticket.category ?? cluster.category, locale, ticket.account),
      ignoreReasons,
      actions: actionsFor(ticket.status),
    };
  };
}

function maxOf(a: Level, b: Level): Level {
  const order: Level[] = ['none', 'watch', 'high', 'critical'];
  return order.indexOf(a) >= order.indexOf(b) ? a : b;
}

export function decisionDetail(action: string, payload: Record<string, unknown>, locale: Locale, teams: readonly CardOption[]): string | null {
  const verb = ACTION_LABELS[locale][action] ?? action;
  if (action === 'assign' && typeof payload.teamId === 'string') {
    return `${verb} → ${teams.find((t) => t.id === payload.teamId)?.label ?? payload.teamId}`;
  }
  if (action === 'ignore' && typeof payload.reason === 'string') {
    const label = IGNORE_REASON_LABELS[locale][payload.reason as keyof (typeof IGNORE_REASON_LABELS)['fr']] ?? payload.reason;
    return `${verb} (${label})`;
  }
  if ((action === 'reply' || action === 'approve-reply' || action === 'draft-reply') && typeof payload.templateId === 'string') {
    return `${verb} (${payload.templateId})`;
  }
  return verb;
}
