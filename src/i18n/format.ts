import type { Locale } from '../chat/card.js';

/** Locale-aware formatting shared by notices. Time zones are always explicit: servers run in UTC. */

const TAG: Record<Locale, string> = { fr: 'fr-FR', en: 'en-GB' };

export function formatNumber(n: number, locale: Locale): string {
  // fr-FR groups with a narrow no-break space; a plain space reads the same in every chat client.
  return new Intl.NumberFormat(TAG[locale]).format(n).replace(/\u202f|\u00a0/g, ' ');
}

export function formatPercent(share: number, locale: Locale): string {
  return new Intl.NumberFormat(TAG[locale], { style: 'percent', maximumFractionDigits: 0 }).format(share).replace(/\u202f|\u00a0/g, ' ');
}

export function formatTime(at: Date, locale: Locale, timeZone: string): string {
  return new Intl.DateTimeFormat(TAG[locale], { hour: '2-digit', minute: '2-digit', timeZone, hourCycle: 'h23' }).format(at);
}

export function formatDateTime(at: Date, locale: Locale, timeZone: string): string {
  return new Intl.DateTimeFormat(TAG[locale], { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone, hourCycle: 'h23' }).format(at);
}

export function formatDate(at: Date, locale: Locale, timeZone: string): string {
  return new Intl.DateTimeFormat(TAG[locale], { day: 'numeric', month: 'long', year: 'numeric', timeZone }).format(at);
}

/** "12 min", "1 h 05", "2 j 3 h" / "2 d 3 h": durations people read at a glance. */
export function formatDuration(ms: number, locale: Locale): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${String(minutes % 60).padStart(2, '0')}`;
  const days = Math.floor(hours / 24);
  return `${days} ${locale === 'fr' ? 'j' : 'd'} ${hours % 24} h`;
}
