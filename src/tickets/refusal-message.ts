import type { Locale } from '../chat/card.js';
import { messages } from '../i18n/messages.js';
import type { Refusal } from './state-machine.js';

/** The sentence shown (privately) to the person whose action was refused. */
export function refusalMessage(refusal: Refusal, locale: Locale): string {
  const m = messages(locale).refusal;
  switch (refusal.code) {
    case 'invalid-transition':
      return m['invalid-transition'](refusal.status ?? '?');
    case 'unknown-team':
      return m['unknown-team'](refusal.detail ?? '?');
    case 'template-expired':
      return m['template-expired'](refusal.detail ?? '?');
    default:
      return m[refusal.code];
  }
}
