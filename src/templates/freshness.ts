import type { ReplyTemplate } from './schema.js';

/**
 * fresh: reviewed recently enough; due: past its review date, still usable but flagged (card, digest);
 * expired: past the hard limit, cannot be approved until someone reviews it.
 */
export type TemplateFreshness = 'fresh' | 'due' | 'expired';

const DAY_MS = 86_400_000;

export function templateReviewDates(t: Pick<ReplyTemplate, 'reviewedAt' | 'reviewEveryDays' | 'hardLimitDays'>): { dueAt: Date; expiresAt: Date } {
  return {
    dueAt: new Date(t.reviewedAt.getTime() + t.reviewEveryDays * DAY_MS),
    expiresAt: new Date(t.reviewedAt.getTime() + t.hardLimitDays * DAY_MS),
  };
}

export function templateFreshness(t: Pick<ReplyTemplate, 'reviewedAt' | 'reviewEveryDays' | 'hardLimitDays'>, now: Date): TemplateFreshness {
  const { dueAt, expiresAt } = templateReviewDates(t);
  if (now.getTime() >= expiresAt.getTime()) return 'expired';
  if (now.getTime() >= dueAt.getTime()) return 'due';
  return 'fresh';
}

/** Whole days past the review date (0 when not due), for the digest's "due for review" list. */
export function daysOverdue(t: Pick<ReplyTemplate, 'reviewedAt' | 'reviewEveryDays' | 'hardLimitDays'>, now: Date): number {
  const late = now.getTime() - templateReviewDates(t).dueAt.getTime();
  return late <= 0 ? 0 : Math.floor(late / DAY_MS);
}
