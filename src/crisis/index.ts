export { ButtonPrefix, checklistButtonId, HOLD_CHOICES, type HoldChoice, holdButtonId, parseChecklistButton, parseHoldButton } from './buttons.js';
export { type ChecklistStep, type CrisisHeader, checklistNotice, currentTicks, type StepTick } from './checklist-notice.js';
export {
  CRISIS_VERBS,
  type CrisisCommand,
  type CrisisCommandError,
  type CrisisCommandErrorCode,
  type CrisisVerb,
  type ParsedCrisisCommand,
  type ParseOptions,
  parseCrisisCommand,
  type Severity,
} from './command.js';
export { type CalendarFormat, calendarFormatOf, loadHoldsCalendar, parseHoldsCalendar, type ScheduledPost } from './holds/calendar.js';
export { findHoldConflicts, type HoldConflict, type HoldReason, type OpenCrisisForHolds, type OpenStoryForHolds } from './holds/conflicts.js';
export { holdWarningNotice } from './holds/hold-notice.js';
export { type IcsEvent, parseIcs } from './holds/ics.js';
export { zonedTimeToUtc } from './holds/zoned-time.js';
export { type CrisisScope, crisisMatches, defaultCrisisTerms, type StoryForCrisis } from './match.js';
export { buildCrisisReport, type CrisisReportData, type CrisisReportModel, type TimelineEntry, type TimelineKind, type VolumeCurve, volumeCurve } from './report.js';
export { escapeMarkdown, renderCrisisReportMarkdown } from './report-markdown.js';
export { crisisReportNotice, timelineLine } from './report-notice.js';
export { type OpenCrisisRef, type ResolvedTarget, resolveCrisisTarget, type TargetError } from './resolve-target.js';
export { crisisHelpNotice, crisisUsageNotice } from './usage-notice.js';
export { crisisReport } from './crisis-report.js';
