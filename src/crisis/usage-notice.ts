import type { Locale, Notice } from '../chat/card.js';
import { messages } from '../i18n/messages.js';
import type { CrisisCommandError, CrisisVerb } from './command.js';
import type { TargetError } from './resolve-target.js';

const ORDER: readonly Exclude<CrisisVerb, 'help'>[] = ['open', 'update', 'relay', 'status', 'close'];

/** `/crisis help`: every verb with its syntax and an example. */
export function crisisHelpNotice(locale: Locale): Notice {
  const m = messages(locale).crisis.usage;
  return { title: m.title, sections: [{ lines: ORDER.map((v) => `${m.syntax[v]} — ${m.what[v]}`) }, { heading: m.examplesHeading, lines: m.examples }] };
}

/** What went wrong in words a person can act on, and the syntax of what they tried. Never a stack trace. */
export function crisisUsageNotice(error: CrisisCommandError | TargetError, locale: Locale): Notice {
  const m = messages(locale).crisis;
  const line = describeError(error, locale);
  const verb = 'verb' in error ? error.verb : undefined;
  const syntax = verb && verb !== 'help' ? [m.usage.syntax[verb]] : ORDER.map((v) => m.usage.syntax[v]);
  return { title: m.usage.errorTitle, level: 'watch', sections: [{ lines: [line] }, { heading: m.usage.syntaxHeading, lines: syntax }] };
}

function describeError(error: CrisisCommandError | TargetError, locale: Locale): string {
  const e = messages(locale).crisis.errors;
  const list = (open: ReadonlyArray<{ id: number; title: string }>) => open.map((c) => `#${c.id} ${c.title}`).join(', ');
  switch (error.code) {
    case 'no-open-crisis':
      return e.noOpenCrisis;
    case 'ambiguous':
      return e.ambiguous(list(error.open));
    case 'not-open':
      return error.open.length > 0 ? e.notOpen(error.id, list(error.open)) : e.notOpenNone(error.id);
    case 'unknown-verb':
      return e.unknownVerb(error.detail ?? '');
    case 'unknown-site':
      return e.unknownSite(error.detail ?? '', (error.known ?? []).join(', '));
    case 'unclosed-quote':
      return e.unclosedQuote(error.detail ?? '"');
    case 'too-long':
      return e.tooLong(error.detail ?? '');
    case 'bad-site':
    case 'bad-severity':
    case 'bad-option':
      return e[error.code](error.detail ?? '');
    case 'missing-title':
    case 'missing-text':
      return e[error.code];
  }
}
