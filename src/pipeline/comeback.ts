import type { TicketRow } from '../store/types.js';

/**
 * An ignored story comes back when it keeps growing: after its snooze if one was set, or as soon as
 * it has doubled (and grown by at least `minGrowth`) if not. Ignoring is a decision, not a mute.
 */
export function shouldComeBack(ticket: TicketRow, clusterCount: number, now: Date, minGrowth = 10): boolean {
  if (ticket.status !== 'ignored' || ticket.ignoredAtCount === null) return false;
  const grown = clusterCount - ticket.ignoredAtCount;
  if (ticket.snoozeUntil) return now.getTime() >= ticket.snoozeUntil.getTime() && grown > 0;
  return grown >= minGrowth && clusterCount >= ticket.ignoredAtCount * 2;
}
