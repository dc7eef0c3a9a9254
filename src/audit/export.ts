import type { Store } from '../../adapters/db/store.js';

export interface ExportOptions {
  from: Date;
  to: Date;
  format: 'csv' | 'jsonl';
}

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  // Quote everything and neutralise formula injection for spreadsheet users.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

/**
 * Tickets opened and decisions taken in [from, to), as CSV or JSONL. The audit chain is verified
 * first and the result is part of the export, so a reader knows the history was not altered.
 */
export async function exportRecords(store: Store, options: ExportOptions, write: (chunk: string) => void) {
  const audit = await store.verifyAudit();
  const tickets = await store.ticketsBetween(options.from, options.to);
  const decisions = await store.decisionsBetween(options.from, options.to);
  const auditOk = audit.problems.length === 0;
  if (options.format === 'jsonl') {
    write(`${JSON.stringify({ type: 'export', from: options.from, to: options.to, auditOk, auditChecked: audit.checked, auditProblems: audit.problems })}\n`);
    for (const t of tickets) write(`${JSON.stringify({ type: 'ticket', ...t })}\n`);
    for (const d of decisions) write(`${JSON.stringify({ type: 'decision', ...d })}\n`);
  } else {
    const cols = ['type', 'id', 'ticket_id', 'status_or_action', 'level', 'team', 'actor', 'platform', 'at', 'details', 'hash'];
    write(`${cols.map(csvCell).join(',')}\n`);
    for (const t of tickets) {
      write(`${['ticket', t.id, t.id, t.status, t.level, t.team, t.assigneeName, '', t.openedAt, { category: t.category, account: t.account, firstDecisionAt: t.firstDecisionAt }, ''].map(csvCell).join(',')}\n`);
    }
    for (const d of decisions) {
      write(`${['decision', d.id, d.ticketId, d.action, '', '', d.actorName, d.platform, d.at, d.payload, d.hash].map(csvCell).join(',')}\n`);
    }
    write(`${['audit', '', '', auditOk ? 'intact' : 'BROKEN', '', '', '', '', '', { checked: audit.checked, problems: audit.problems }, ''].map(csvCell).join(',')}\n`);
  }
  return { tickets: tickets.length, decisions: decisions.length, auditOk };
}
