import type { Audience } from '../config/schema.js';
import type { Actor } from '../chat/port.js';

/** An absent audience (or none for this platform) means everyone may. */
export function isAllowed(audience: Audience | undefined, actor: Actor): boolean {
  const list = audience?.[actor.platform];
  if (!list || list.length === 0) return true;
  if (list.includes('*') || list.includes(actor.id)) return true;
  return (actor.groups ?? []).some((g) => list.includes(g));
}
