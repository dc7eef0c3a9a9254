import type { Locale, Notice } from '../chat/card.js';
import type { Store } from '../../adapters/db/store.js';

const MAX_LINES = 40;

/** The per-channel storm card: every folded story, one line each, updated in place. */
export async function stormNotice(store: Store, ticketIds: readonly number[], locale: Locale): Promise<Notice> {
  const lines: string[] = [];
  for (const id of ticketIds.slice(-MAX_LINES)) {
    const ticket = await store.ticket(id);
    if (!ticket) continue;
    const cluster = await store.cluster(ticket.clusterId);
    const head = cluster?.headMentionId ? await store.mention(cluster.headMentionId) : null;
    const text = (head?.text ?? '').replace(/\s+/g, ' ').slice(0, 140);
    lines.push(`#${id} [${ticket.level}] ${cluster?.count ?? 1}× ${text}`);
  }
  const hidden = ticketIds.length - Math.min(ticketIds.length, MAX_LINES);
  return {
    title: locale === 'fr' ? `Tempête : ${ticketIds.length} stories regroupées` : `Storm: ${ticketIds.length} stories grouped`,
    level: 'watch',
    sections: [
      {
        heading:
          locale === 'fr'
            ? 'Trop de nouvelles cartes pour ce canal : les moins urgentes sont listées ici (les critiques gardent leur carte).'
            : 'Too many new cards for this channel: the less urgent ones are listed here (critical ones keep their own card).',
        lines: hidden > 0 ? [...lines, locale === 'fr' ? `… et ${hidden} de plus` : `… and ${hidden} more`] : lines,
      },
    ],
    footer: locale === 'fr' ? 'Agir : /vigie ticket ID' : 'Act: /vigie ticket ID',
  };
}
