import type { Locale, Notice } from '../chat/card.js';
import type { VigieConfig } from '../config/schema.js';
import { formatTime } from '../i18n/format.js';
import { messages } from '../i18n/messages.js';
import { checklistButtonId } from './buttons.js';
import type { Severity } from './command.js';

export type ChecklistStep = VigieConfig['crisis']['checklist'][number];

export interface CrisisHeader {
  id: number;
  title: string;
  site: string | null;
  severity: Severity | null;
  openedAt: Date;
}

/** A tick recorded on a step (the latest per step wins; an untick is a tick with `ticked: false`). */
export interface StepTick {
  stepId: string;
  byName: string;
  at: Date;
  ticked?: boolean;
}

/** The latest state of each step from the tick decisions, in any order. */
export function currentTicks(ticks: readonly StepTick[]): Map<string, StepTick> {
  const latest = new Map<string, StepTick>();
  for (const t of [...ticks].sort((a, b) => a.at.getTime() - b.at.getTime())) {
    if (t.ticked === false) latest.delete(t.stepId);
    else latest.set(t.stepId, t);
  }
  return latest;
}

/** The procedure checklist posted when a crisis opens, updated in place on every tick. */
export function checklistNotice(crisis: CrisisHeader, steps: readonly ChecklistStep[], ticked: readonly StepTick[], locale: Locale, timeZone = 'Europe/Paris'): Notice {
  const m = messages(locale).crisis.checklist;
  const done = currentTicks(ticked);
  const lines = steps.map((step) => {
    const tick = done.get(step.id);
    return tick ? `✅ ${step.label[locale]} — ${m.tickedBy(tick.byName, formatTime(tick.at, locale, timeZone))}` : `⬜ ${step.label[locale]}`;
  });
  const count = steps.filter((s) => done.has(s.id)).length;
  return {
    title: m.title(crisis.id, crisis.title),
    level: crisis.severity === 1 ? 'critical' : 'high',
    sections: [
      { lines: [m.header(crisis.site, crisis.severity, formatTime(crisis.openedAt, locale, timeZone)), m.progress(count, steps.length)] },
      { heading: m.stepsHeading, lines },
    ],
    buttons: steps.map((step) => ({ id: checklistButtonId(crisis.id, step.id), label: `${done.has(step.id) ? '✓' : '○'} ${step.label[locale]}`.slice(0, 75) })),
  };
}
