export { type EscalationNoticeInput, escalationNotice } from './escalation-notice.js';
export {
  type EscalationJob,
  type EscalationStep,
  type EscalationTicket,
  escalationJobId,
  escalationJobIds,
  escalationPlan,
  escalationStillDue,
  stepApplies,
} from './plan.js';
