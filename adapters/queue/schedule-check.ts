import { Cron } from 'croner';
import { ErrorCode, VigieError } from '../../src/core/errors.js';
import type { Schedule } from '../../src/jobs/queue.js';

let knownZones: ReadonlySet<string> | undefined;

/**
 * Rejects a bad time zone or cron pattern with a message a person can act on. BullMQ's own error
 * for a bad zone is a misleading "CronDate: unhandled timestamp", so both queues check here first.
 */
export function assertValidSchedule(scheduleId: string, schedule: Schedule): void {
  knownZones ??= new Set(Intl.supportedValuesOf('timeZone'));
  // `supportedValuesOf` lists canonical zones only: `UTC` and aliases such as `Europe/Kiev` are
  // missing from it though every engine accepts them, so fall back to asking Intl directly.
  if (!knownZones.has(schedule.tz) && !intlAcceptsZone(schedule.tz)) {
    throw new VigieError(
      ErrorCode.InputInvalid,
      `schedule "${scheduleId}": unknown time zone "${schedule.tz}" (expected an IANA name such as "Europe/Paris")`,
    );
  }
  try {
    cronFor(schedule);
  } catch (err) {
    throw new VigieError(
      ErrorCode.InputInvalid,
      `schedule "${scheduleId}": invalid cron pattern "${schedule.cron}" (five fields, or six with leading seconds): ${
        err instanceof Error ? err.message : String(err)
      }`,
      { cause: err },
    );
  }
}

/** A croner instance that never runs by itself: it only computes run times. */
export function cronFor(schedule: Schedule): Cron {
  return new Cron(schedule.cron, { timezone: schedule.tz, paused: true, mode: '5-or-6-parts' });
}

function intlAcceptsZone(tz: string): boolean {
  if (tz.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
