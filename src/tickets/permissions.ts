import type { Actor } from '../chat/port.js';
import type { Audience, VigieConfig } from '../config/schema.js';
import type { Level } from '../core/levels.js';

/** The audience keys of `config.permissions`. */
export type PermissionKey = keyof VigieConfig['permissions'];
export type Permissions = VigieConfig['permissions'];

/** Every action someone can take, on a ticket or through `/crisis`. */
export type GuardedAction =
  | 'assign'
  | 'draft-reply'
  | 'approve-reply'
  | 'reply'
  | 'ignore'
  | 'resolve'
  | 'reopen'
  | 'crisis-open'
  | 'crisis-update'
  | 'crisis-relay'
  | 'crisis-status'
  | 'crisis-close'
  | 'crisis-tick'
  | 'hold-choice';

/**
 * Which audience of `config.permissions` guards an action, or null when anyone in the channel may.
 * Drafting is open to everyone on purpose: the second person's approval is the control.
 * Reading a crisis status is open too: the crisis cell wants the whole team informed.
 */
export function permissionFor(action: GuardedAction, level: Level = 'none'): PermissionKey | null {
  switch (action) {
    case 'approve-reply':
    case 'reply':
      return 'approveReply';
    case 'ignore':
      return level === 'critical' ? 'ignoreCritical' : null;
    case 'crisis-open':
    case 'crisis-update':
    case 'crisis-relay':
    case 'crisis-close':
    case 'crisis-tick':
    case 'hold-choice':
      return 'crisis';
    case 'assign':
    case 'draft-reply':
    case 'resolve':
    case 'reopen':
    case 'crisis-status':
      return null;
  }
}

/**
 * Whether an actor belongs to an audience. An absent audience, or one with no list for the actor's
 * platform, means everyone: an organisation that configured Slack only must not lock out the console.
 * `*` in a list also means everyone. Matches the user id or any of its groups (Slack user groups,
 * Discord roles) as resolved by the adapter.
 */
export function isAllowed(audience: Audience | undefined, actor: Pick<Actor, 'platform' | 'id' | 'groups'>): boolean {
  const list = audience?.[actor.platform];
  if (!list || list.length === 0) return true;
  if (list.includes('*') || list.includes(actor.id)) return true;
  return (actor.groups ?? []).some((g) => list.includes(g));
}

/** `permissionFor` and `isAllowed` together, against the organisation's permissions. */
export function mayDo(permissions: Permissions | undefined, action: GuardedAction, level: Level, actor: Pick<Actor, 'platform' | 'id' | 'groups'>): boolean {
  const key = permissionFor(action, level);
  if (key === null) return true;
  return isAllowed(permissions?.[key], actor);
}
