export { type GuardedAction, isAllowed, mayDo, type PermissionKey, permissionFor, type Permissions } from './permissions.js';
export { refusalMessage } from './refusal-message.js';
export {
  type ActionContext,
  ALLOWED_FROM,
  applyAction,
  type DecisionAction,
  type DecisionRecord,
  needsTwoPersons,
  type PendingReply,
  type Refusal,
  type RefusalCode,
  type TicketAction,
  type TicketActionKind,
  type TicketPatch,
  type TicketState,
  type Transition,
} from './state-machine.js';
