import type { Locale, Notice, NoticeSection } from '../chat/card.js';
import { formatDate, formatNumber } from '../i18n/format.js';
import { messages } from '../i18n/messages.js';
import type { AuthorProfile } from './profile.js';

/** The author card, shown only to the person who clicked "Author". */
export function renderAuthorNotice(profile: AuthorProfile, locale: Locale, timeZone = 'Europe/Paris'): Notice {
  const m = messages(locale).author;
  const reach = [
    profile.followers === null ? m.unknownFollowers : m.followers(formatNumber(profile.followers, locale)),
    m.reachLevel[profile.reach],
    ...(profile.verified ? [m.verified] : []),
  ].join(' · ');
  const sections: NoticeSection[] = [{ heading: m.reach, lines: [`${reach} (${profile.source})`] }];
  if (profile.bio) sections.push({ heading: m.bio, lines: [profile.bio.slice(0, 280)] });

  const history: string[] = [m.counts(formatNumber(profile.mentions, locale), formatNumber(profile.tickets, locale))];
  if (profile.history.replied + profile.history.ignored > 0) history.push(m.decisions(profile.history.replied, profile.history.ignored));
  else history.push(m.noHistory);
  if (profile.history.ignoredFor.length > 0) {
    const reasons = messages(locale).ignoreReason;
    history.push(m.ignoredFor(profile.history.ignoredFor.map((r) => `${reasons[r.reason] ?? r.reason} (${r.count})`).join(', ')));
  }
  if (profile.firstSeen && profile.lastSeen) history.push(m.seen(formatDate(profile.firstSeen, locale, timeZone), formatDate(profile.lastSeen, locale, timeZone)));
  sections.push({ heading: m.history, lines: history });

  if (profile.flags.length > 0) {
    sections.push({
      heading: m.flags,
      lines: profile.flags.map((f) => `${m.flag[f.flag] ?? f.flag} — ${m.origin[f.origin]}${f.count ? ` (${m.learnedCount(f.count)})` : ''}`),
    });
  }
  sections.push(
    profile.hint.considerNotReplying
      ? { heading: m.hintTitle, lines: profile.hint.reasons.map((r) => `• ${m.hintReason[r]}`) }
      : { lines: [m.noHint] },
  );
  return { title: m.title(profile.handle, profile.name), ...(profile.hint.considerNotReplying ? { level: 'watch' as const } : {}), sections };
}
