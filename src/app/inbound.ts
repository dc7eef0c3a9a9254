import type { Notice } from '../chat/card.js';
import type { ActionResult, Actor, ChatInbound, ChatReply, CommandRequest, MessageRef, ReplyOptions, ReplyPreview } from '../chat/port.js';
import type { VigieConfig } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../ops/logger.js';
import type { Store } from '../../adapters/db/store.js';
import type { createDecisions } from '../decisions/act.js';
import { refreshDelivery } from '../pipeline/ingest.js';
import type { DeliveryRow } from '../store/types.js';

/** Workflow services the inbound side routes to; each is optional so the spine runs without them. */
export interface WorkflowHooks {
  replyOptions?: (ticketId: number, actor: Actor) => Promise<ReplyOptions | null>;
  previewReply?: (ticketId: number, templateId: string, variables: Record<string, string>) => Promise<ReplyPreview>;
  author?: (ticketId: number, actor: Actor) => Promise<ChatReply>;
  /** `/vigie …` subcommands other than help and ticket; null when unknown. */
  vigie?: (sub: string, args: string, request: CommandRequest) => Promise<ChatReply | null>;
  crisis?: (request: CommandRequest) => Promise<ChatReply>;
  button?: (buttonId: string, actor: Actor, ref: MessageRef) => Promise<ChatReply | null>;
}

export interface InboundDeps {
  store: Store;
  config: VigieConfig;
  clock: Clock;
  logger: Logger;
  decisions: ReturnType<typeof createDecisions>;
  hooks: WorkflowHooks;
  afterCommit: (deliveries: DeliveryRow[]) => Promise<void>;
}

const USAGE: Record<'fr' | 'en', string[]> = {
  fr: [
    '/vigie help — cette aide',
    '/vigie ticket ID — le ticket et l’historique de ses décisions',
    '/vigie author HANDLE — le profil d’un auteur',
    '/vigie digest now|preview — le digest des dernières 24 h',
    '/crisis open TITRE [site:…] [severity:1-3] · update · relay · status · close',
  ],
  en: [
    '/vigie help — this help',
    '/vigie ticket ID — the ticket and its decision history',
    '/vigie author HANDLE — an author profile',
    '/vigie digest now|preview — the last 24 hours digest',
    '/crisis open TITLE [site:…] [severity:1-3] · update · relay · status · close',
  ],
};

const privately = (notice: Notice): ChatReply => ({ visibility: 'private', notice });

/** The core as chat adapters see it: every platform calls these same functions. */
export function createInbound(deps: InboundDeps): ChatInbound {
  const { store, config, hooks } = deps;
  const locale = config.organisation.locale;
  const usage = (): ChatReply => privately({ title: locale === 'fr' ? 'Utilisation de Vigie' : 'Using Vigie', sections: [{ lines: USAGE[locale] }] });

  async function ticketReply(idText: string): Promise<ChatReply> {
    const id = Number.parseInt(idText.replace(/^#/, ''), 10);
    const ticket = Number.isFinite(id) ? await store.ticket(id) : null;
    if (!ticket) return privately({ title: locale === 'fr' ? `Ticket introuvable : ${idText}` : `No such ticket: ${idText}`, sections: [] });
    const cluster = await store.cluster(ticket.clusterId);
    const history = await store.decisionsFor(id);
    const lines = history.map((d) => {
      const at = d.at.toISOString().replace('T', ' ').slice(0, 16);
      const detail = d.action === 'note' ? `: ${String(d.payload.text ?? '')}` : d.payload.teamId ? ` → ${String(d.payload.teamId)}` : d.payload.reason ? ` (${String(d.payload.reason)})` : '';
      return `${at} UTC · ${d.actorName} (${d.platform}) · ${d.action}${detail}`;
    });
    return privately({
      title: `#${id} · ${ticket.level} · ${ticket.status}${ticket.team ? ` → ${ticket.team}` : ''}`,
      sections: [
        { lines: [`${cluster?.count ?? 0} mention(s) · ${ticket.category ?? '—'} · ${ticket.account ?? '—'}`] },
        { heading: locale === 'fr' ? 'Historique' : 'History', lines: lines.length ? lines : [locale === 'fr' ? 'Aucune décision.' : 'No decision yet.'] },
      ],
    });
  }

  return {
    act: (request) => deps.decisions.act(request),
    replyOptions: async (ticketId, actor) => (hooks.replyOptions ? hooks.replyOptions(ticketId, actor) : null),
    previewReply: async (ticketId, templateId, variables) =>
      hooks.previewReply ? hooks.previewReply(ticketId, templateId, variables) : { ok: false, message: 'no template library', missing: [] },
    author: async (ticketId, actor) =>
      hooks.author ? hooks.author(ticketId, actor) : privately({ title: locale === 'fr' ? 'Profil indisponible' : 'No profile available', sections: [] }),
    async command(request: CommandRequest): Promise<ChatReply> {
      const text = request.text.trim();
      if (request.command === 'crisis') {
        return hooks.crisis ? hooks.crisis(request) : usage();
      }
      const [sub = 'help', ...rest] = text.split(/\s+/);
      const args = rest.join(' ');
      if (sub === 'help' || sub === '') return usage();
      if (sub === 'ticket') return ticketReply(args);
      const handled = hooks.vigie ? await hooks.vigie(sub, args, request) : null;
      return handled ?? usage();
    },
    button: async (buttonId, actor, ref) => (hooks.button ? hooks.button(buttonId, actor, ref) : null),
    async threadReply(ref: MessageRef, actor: Actor, text: string): Promise<void> {
      const stored = await store.refByMessage(ref);
      if (!stored?.ticketId) return;
      const ticketId = stored.ticketId;
      const rows = await store.transaction(async (tx) => {
        await tx.appendDecision({ ticketId, action: 'note', actorId: actor.id, actorName: actor.name, platform: actor.platform, payload: { text: text.slice(0, 4_000) }, at: deps.clock() });
        return tx.addDeliveries([refreshDelivery(ticketId)]);
      });
      await deps.afterCommit(rows);
    },
    async reaction(ref: MessageRef, actor: Actor, emoji: string): Promise<ActionResult | null> {
      const mapped = config.reactions[emoji] ?? config.reactions[emoji.replace(/:/g, '')];
      if (!mapped) return null;
      const stored = await store.refByMessage(ref);
      if (!stored?.ticketId) return null;
      if (mapped === 'resolve') return deps.decisions.act({ ticketId: stored.ticketId, actor, action: { kind: 'resolve' } });
      if (mapped === 'ignore-handled') return deps.decisions.act({ ticketId: stored.ticketId, actor, action: { kind: 'ignore', reason: 'handled' } });
      const team = Object.entries(config.members).find(([, who]) => {
        const list = who[actor.platform] ?? [];
        return list.includes(actor.id) || (actor.groups ?? []).some((g) => list.includes(g));
      })?.[0];
      const ticket = await store.ticket(stored.ticketId);
      const teamId = team ?? ticket?.team ?? config.teams[0]!.id;
      return deps.decisions.act({ ticketId: stored.ticketId, actor, action: { kind: 'assign', teamId } });
    },
  };
}
