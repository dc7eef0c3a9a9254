/**
 * Several crises may be open at once. A command names one (`#12`) or, when exactly one is open,
 * addresses it implicitly; anything else is an error that lists the open ones so the person can retry.
 */

export interface OpenCrisisRef {
  id: number;
  title: string;
}

export type TargetError =
  | { code: 'no-open-crisis' }
  | { code: 'ambiguous'; open: OpenCrisisRef[] }
  | { code: 'not-open'; id: number; open: OpenCrisisRef[] };

export type ResolvedTarget = { ok: true; crisisId: number } | { ok: false; error: TargetError };

export function resolveCrisisTarget(requested: number | null, open: readonly OpenCrisisRef[]): ResolvedTarget {
  const sorted = [...open].sort((a, b) => a.id - b.id);
  if (requested !== null) {
    return sorted.some((c) => c.id === requested) ? { ok: true, crisisId: requested } : { ok: false, error: { code: 'not-open', id: requested, open: sorted } };
  }
  if (sorted.length === 0) return { ok: false, error: { code: 'no-open-crisis' } };
  if (sorted.length > 1) return { ok: false, error: { code: 'ambiguous', open: sorted } };
  return { ok: true, crisisId: sorted[0]!.id };
}
