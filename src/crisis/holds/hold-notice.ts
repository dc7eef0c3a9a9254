import type { Locale, Notice } from '../../chat/card.js';
import { clip } from '../../digest/notice-limits.js';
import { formatDateTime, formatDuration } from '../../i18n/format.js';
import { messages } from '../../i18n/messages.js';
import { holdButtonId } from '../buttons.js';
import type { HoldConflict } from './conflicts.js';

/** The warning posted when a scheduled post clashes with an open crisis or story: Postpone / Keep. */
export function holdWarningNotice(conflict: HoldConflict, locale: Locale, timeZone = 'Europe/Paris'): Notice {
  const m = messages(locale).holds;
  const w = conflict.with;
  const cause = w.kind === 'crisis' ? m.crisis(w.id, w.title) : m.story(w.id, messages(locale).level[w.level], clip(w.text, 160));
  const why = conflict.reasons.map((r) => (r === 'same-subject' ? m.reason['same-subject'](conflict.subjects.join(', ')) : m.reason['same-site'](conflict.post.sites.join(', ') || m.allSites)));
  return {
    title: m.title,
    level: w.kind === 'crisis' || w.level === 'critical' ? 'critical' : 'high',
    sections: [
      { lines: [m.post(clip(conflict.post.title, 200), formatDateTime(conflict.post.at, locale, timeZone), formatDuration(conflict.inMs, locale))] },
      { heading: m.because, lines: [cause, ...why] },
    ],
    buttons: [
      { id: holdButtonId(conflict.post.id, 'postpone'), label: m.postpone },
      { id: holdButtonId(conflict.post.id, 'keep'), label: m.keep },
    ],
  };
}
