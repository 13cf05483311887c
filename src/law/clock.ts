/**
 * Counting a term from a start moment to its due moment, on a calendar, in a zone. The
 * conventions are those of `TermUnit` (types.ts); every due moment but an hour count is
 * the last millisecond (23:59:59.999) of its day in the zone.
 */
import { isWorkingDay, type CalendarId } from './calendar.js';
import type { Term } from './types.js';
import { addDays, endOfDay, localDay, type LocalDay } from './zone.js';

export interface Counted {
  dueAt: number;
  /** The last day of the term (for day and month units), to continue counting an extension from. */
  lastDay?: LocalDay;
  warnings: string[];
}

function working(calendar: CalendarId, day: LocalDay, warnings: Set<string>): boolean {
  const answer = isWorkingDay(calendar, day);
  if (answer.warning) warnings.add(answer.warning);
  return answer.working;
}

/** Day `n` working days after `day` (`day` itself never counts). */
function addWorkingDays(calendar: CalendarId, day: LocalDay, n: number, warnings: Set<string>): LocalDay {
  let d = day;
  for (let counted = 0; counted < n; ) {
    d = addDays(d, 1);
    if (working(calendar, d, warnings)) counted += 1;
  }
  return d;
}

/** Reg. 1182/71 art. 3(2)(c): the same date `n` months on, or that month's last day. */
function addMonths(day: LocalDay, n: number): LocalDay {
  const index = day.year * 12 + (day.month - 1) + n;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { year, month, day: Math.min(day.day, last) };
}

/** Art. 3(4): a period ending on a non-working day ends on the next working day. */
function rollToWorkingDay(calendar: CalendarId, day: LocalDay, warnings: Set<string>): LocalDay {
  let d = day;
  while (!working(calendar, d, warnings)) d = addDays(d, 1);
  return d;
}

/**
 * Counts `term` from `fromDay` (day units: the day after it is day one) or from
 * `startAt` (hours).
 */
export function countTerm(term: Term, startAt: number, zone: string, calendar: CalendarId, fromDay?: LocalDay): Counted {
  const warnings = new Set<string>();
  const base = fromDay ?? localDay(startAt, zone);
  let last: LocalDay;
  switch (term.unit) {
    case 'hours':
      return { dueAt: startAt + term.amount * 3_600_000, warnings: [] };
    case 'working-days':
    case 'business-days':
      last = addWorkingDays(calendar, base, term.amount, warnings);
      break;
    case 'calendar-days':
      last = addDays(base, term.amount);
      break;
    case 'months':
      last = rollToWorkingDay(calendar, addMonths(base, term.amount), warnings);
      break;
  }
  return { dueAt: endOfDay(last, zone), lastDay: last, warnings: [...warnings] };
}
