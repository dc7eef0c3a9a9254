import { createHash } from 'node:crypto';

/** The hash of the first decision's "previous" row. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every depth: jsonb does not keep key order, the hash must not care. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export interface ChainedFields {
  ticketId: number | null;
  crisisId: number | null;
  action: string;
  actorId: string;
  actorName: string;
  platform: string;
  payload: unknown;
  at: Date;
}

export function decisionHash(prevHash: string, row: ChainedFields): string {
  const body = canonicalJson([
    prevHash,
    row.ticketId,
    row.crisisId,
    row.action,
    row.actorId,
    row.actorName,
    row.platform,
    row.payload,
    row.at.toISOString(),
  ]);
  return createHash('sha256').update(body).digest('hex');
}

export interface AuditProblem {
  decisionId: number | null;
  problem: string;
}

/**
 * Walks the chain in id order. An edited row breaks its own hash; a deleted row breaks the next
 * row's link; a deleted or edited tail no longer matches the head.
 */
export function verifyChain(
  rows: Iterable<ChainedFields & { id: number; prevHash: string; hash: string }>,
  head: { lastId: number; lastHash: string } | null,
): { checked: number; problems: AuditProblem[] } {
  const problems: AuditProblem[] = [];
  let prev = GENESIS_HASH;
  let last: { id: number; hash: string } | null = null;
  let checked = 0;
  for (const row of rows) {
    checked++;
    if (row.prevHash !== prev) problems.push({ decisionId: row.id, problem: 'link to the previous decision is broken (a row was deleted or reordered)' });
    const expected = decisionHash(row.prevHash, row);
    if (expected !== row.hash) problems.push({ decisionId: row.id, problem: 'content does not match its hash (the row was edited)' });
    prev = row.hash;
    last = { id: row.id, hash: row.hash };
  }
  if (head && (!last || last.id !== head.lastId || last.hash !== head.lastHash)) {
    problems.push({ decisionId: head.lastId, problem: 'the last recorded decision is missing or changed (tail deleted or edited)' });
  }
  if (!head && last) problems.push({ decisionId: null, problem: 'audit head is missing' });
  return { checked, problems };
}
