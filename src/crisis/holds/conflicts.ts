import type { Level } from '../../core/levels.js';
import { normalizeText } from '../../engine/normalize/normalize-text.js';
import type { ScheduledPost } from './calendar.js';

/**
 * Editorial holds: "no station-renovation post on a day the line is disrupted". A scheduled post
 * within the horizon conflicts with
 * - an open crisis on the same site, or whose terms are among the post's subjects (a crisis is
 *   serious enough that either suffices);
 * - an open high or critical story on one of the post's sites whose text mentions one of its
 *   subjects (both: a high story on the metro happens most days, and must not block every post).
 */

export interface OpenCrisisForHolds {
  id: number;
  title: string;
  terms: readonly string[];
  site: string | null;
}

export interface OpenStoryForHolds {
  /** Ticket id of the story. */
  id: number;
  level: Level;
  category: string | null;
  site: string | null;
  /** Raw or normalised text of the story's head mention. */
  text: string;
}

export type HoldReason = 'same-site' | 'same-subject';

export interface HoldConflict {
  post: ScheduledPost;
  with: { kind: 'crisis'; id: number; title: string } | { kind: 'story'; id: number; level: Level; category: string | null; text: string };
  reasons: HoldReason[];
  /** The post's subjects found in the crisis terms or the story text. */
  subjects: string[];
  /** Milliseconds from now to the scheduled time. */
  inMs: number;
}

function keysOf(text: string): string[] {
  return normalizeText(text).keys;
}

/** Subjects of the post whose words appear, in order, in `words`. */
function subjectsIn(subjects: readonly string[], words: readonly string[]): string[] {
  return subjects.filter((subject) => {
    const keys = keysOf(subject);
    if (keys.length === 0) return false;
    for (let i = 0; i + keys.length <= words.length; i++) {
      if (keys.every((k, j) => words[i + j] === k)) return true;
    }
    return false;
  });
}

function sameSite(post: ScheduledPost, site: string | null): boolean {
  // A post for the whole organisation (no site) clashes with any site's trouble.
  return site !== null && (post.sites.length === 0 || post.sites.includes(site));
}

export function findHoldConflicts(
  posts: readonly ScheduledPost[],
  openCrises: readonly OpenCrisisForHolds[],
  openStories: readonly OpenStoryForHolds[],
  now: Date,
  horizonHours: number,
): HoldConflict[] {
  const until = now.getTime() + horizonHours * 3_600_000;
  const upcoming = posts.filter((p) => p.at.getTime() >= now.getTime() && p.at.getTime() <= until);
  const stories = openStories
    .filter((s) => (s.level === 'high' || s.level === 'critical') && s.category !== 'praise')
    .map((s) => ({ story: s, words: keysOf(s.text) }));
  const crises = openCrises.map((c) => ({ crisis: c, words: c.terms.flatMap((t) => [...keysOf(t.replace(/\*+$/, '')), '\u0000']) }));

  const conflicts: HoldConflict[] = [];
  for (const post of upcoming) {
    const inMs = post.at.getTime() - now.getTime();
    for (const { crisis, words } of crises) {
      const reasons: HoldReason[] = [];
      // A crisis without a site concerns the whole organisation.
      if (crisis.site === null || sameSite(post, crisis.site)) reasons.push('same-site');
      const subjects = subjectsIn(post.subjects, words);
      if (subjects.length > 0) reasons.push('same-subject');
      if (reasons.length > 0) conflicts.push({ post, with: { kind: 'crisis', id: crisis.id, title: crisis.title }, reasons, subjects, inMs });
    }
    for (const { story, words } of stories) {
      if (!sameSite(post, story.site)) continue;
      const subjects = subjectsIn(post.subjects, words);
      if (subjects.length === 0) continue;
      conflicts.push({ post, with: { kind: 'story', id: story.id, level: story.level, category: story.category, text: story.text }, reasons: ['same-site', 'same-subject'], subjects, inMs });
    }
  }
  return conflicts.sort((a, b) => a.inMs - b.inMs || a.post.id.localeCompare(b.post.id));
}
