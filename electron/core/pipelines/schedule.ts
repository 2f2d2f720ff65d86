/**
 * When a schedule is due, with croner (time zones and daylight-saving changes
 * are its business). Every kind is a cron pattern except "every N hours",
 * which counts from the previous run (a cron `*\/N` would restart at midnight).
 */
import { Cron } from 'croner';
import { AppError } from '../../../shared/errors';
import { WEEKDAYS, type Schedule } from '../../../shared/pipelines';

const HOUR_MS = 3_600_000;

/** The cron pattern of a schedule (null for "every N hours"). */
export function cronPattern(schedule: Schedule): string | null {
  switch (schedule.kind) {
    case 'daily': {
      const [h, m] = schedule.at.split(':').map(Number);
      return `${m} ${h} * * *`;
    }
    case 'weekly': {
      const [h, m] = schedule.at.split(':').map(Number);
      return `${m} ${h} * * ${WEEKDAYS.indexOf(schedule.day)}`;
    }
    case 'cron':
      return schedule.expression;
    case 'hours':
      return null;
  }
}

function cronOf(pattern: string, timezone: string): Cron {
  try {
    return new Cron(pattern, { timezone, paused: true });
  } catch (err) {
    throw new AppError('bad_input', `Schedule "${pattern}" in ${timezone}: ${(err as Error).message}`);
  }
}

/** Refuses a schedule croner cannot read, or a time zone it does not know, before it is saved. */
export function checkSchedule(schedule: Schedule, timezone: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
  } catch {
    throw new AppError('bad_input', `Unknown time zone "${timezone}" (use an IANA name such as Europe/Paris or Asia/Tokyo).`);
  }
  const pattern = cronPattern(schedule);
  if (pattern && !cronOf(pattern, timezone).nextRun(new Date(0))) throw new AppError('bad_input', `Schedule "${pattern}" never runs.`);
}

/** The first due time strictly after `after` (ms), or null when the schedule never runs again. */
export function nextDue(schedule: Schedule, timezone: string, after: number): number | null {
  if (schedule.kind === 'hours') return after + schedule.every * HOUR_MS;
  const next = cronOf(cronPattern(schedule)!, timezone).nextRun(new Date(after));
  return next ? next.getTime() : null;
}

/** The machine's IANA time zone (what a new pipeline's schedule is read in). */
export function localTimezone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
