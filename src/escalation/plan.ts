import type { VigieConfig } from '../config/schema.js';
import type { Level } from '../core/levels.js';

/**
 * Escalation of high and critical tickets nobody decided on. Each configured step that fits the
 * ticket's level and category becomes one delayed job. Job ids are deterministic
 * (`esc:<ticketId>:<stepIndex>`, the step's index in `config.escalation`), so the first decision can
 * cancel them all without remembering what was scheduled, and re-planning after a restart does not
 * add duplicates. BullMQ accepts a custom id with exactly two colons.
 */

export type EscalationStep = VigieConfig['escalation'][number];

export interface EscalationTicket {
  id: number;
  level: Level;
  category: string | null;
  /** When the clock starts: the ticket's opening (or its reopening). */
  openedAt: Date;
  /** A decided ticket plans nothing. */
  firstDecisionAt?: Date | null | undefined;
}

export interface EscalationJob {
  jobId: string;
  ticketId: number;
  stepIndex: number;
  notify: EscalationStep['notify'];
  afterMinutes: number;
  /** When the ping is due. */
  at: Date;
  /** Delay from `now`; 0 for a step already overdue (planned late, e.g. after downtime). */
  delayMs: number;
}

export function escalationJobId(ticketId: number, stepIndex: number): string {
  return `esc:${ticketId}:${stepIndex}`;
}

/** Every job id a ticket could have: what to cancel on a decision, whatever was planned. */
export function escalationJobIds(ticketId: number, steps: readonly EscalationStep[]): string[] {
  return steps.map((_, i) => escalationJobId(ticketId, i));
}

export function stepApplies(step: EscalationStep, ticket: Pick<EscalationTicket, 'level' | 'category'>): boolean {
  if (!step.levels.includes(ticket.level)) return false;
  return step.categories.length === 0 || (ticket.category !== null && step.categories.includes(ticket.category));
}

/** The delayed jobs to schedule for a ticket, earliest first. */
export function escalationPlan(ticket: EscalationTicket, steps: readonly EscalationStep[], now: Date): EscalationJob[] {
  if (ticket.firstDecisionAt) return [];
  const jobs: EscalationJob[] = [];
  steps.forEach((step, stepIndex) => {
    if (!stepApplies(step, ticket)) return;
    const at = new Date(ticket.openedAt.getTime() + step.afterMinutes * 60_000);
    jobs.push({
      jobId: escalationJobId(ticket.id, stepIndex),
      ticketId: ticket.id,
      stepIndex,
      notify: step.notify,
      afterMinutes: step.afterMinutes,
      at,
      delayMs: Math.max(0, at.getTime() - now.getTime()),
    });
  });
  return jobs.sort((a, b) => a.at.getTime() - b.at.getTime() || a.stepIndex - b.stepIndex);
}

/**
 * Checked by the job handler when the job fires: cancellation is best effort (a job may be running
 * as the decision commits), so the handler re-reads the ticket and pings only if this still holds.
 */
export function escalationStillDue(ticket: { status: string; firstDecisionAt: Date | null; level: Level; category: string | null }, step: EscalationStep | undefined): boolean {
  return step !== undefined && ticket.status === 'open' && ticket.firstDecisionAt === null && stepApplies(step, ticket);
}
