/**
 * Working-day calendars: which local days count when a law's term is in working days
 * (Kazakhstan, Russia) or business days (California), and where the loaded data ends.
 *
 * Each calendar has a weekly pattern (`WEEKEND`) and, per year, explicit exceptions
 * (`calendars/builtin.ts`). Years are data, not code: an operator adds one (or corrects one,
 * e.g. Kurban Ait 2027) by putting a JSON file into the directory named by
 * `CUSTODIAN_CALENDARS_DIR`:
 *
 *     { "calendar": "kz", "year": 2028, "daysOff": ["2028-01-01", …], "workingWeekendDays": [], "source": "…" }
 *
 * A file's year replaces the built-in year of the same calendar. Files are checked when
 * first used; a bad one fails with the file and the field named (`CalendarFileError`).
 *
 * The `gdpr` and `uk` calendars have no built-in years: GDPR and UK GDPR month periods
 * roll over Saturdays and Sundays only (Reg. 1182/71 art. 3(4) names public holidays too,
 * but which ones depends on the operator's country). An operator that loads a `gdpr` or
 * `uk` year from a file gets its holidays counted, and horizon warnings for it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILTIN_CALENDARS } from './calendars/builtin.js';
import { dayKey, parseDayKey, weekday, type LocalDay } from './zone.js';

export const CALENDAR_IDS = ['kz', 'ru', 'us-ca', 'gdpr', 'uk'] as const;
export type CalendarId = (typeof CALENDAR_IDS)[number];

/**
 * California's convention, the conservative reading of Civ. Code §§7 and 9: Saturday is a
 * business day (§9: every day not a holiday is a business day; §7: holidays are Sundays and
 * the Government Code holidays), and a weekday counts as a holiday only where the state's
 * offices close too. Fewer days off can only make a due date earlier, so a deadline counted
 * this way is never later than one counted Monday–Friday.
 */
export const US_CA_CONVENTION = 'saturdays-are-business-days';

/** Weekend days of each calendar's usual week, 0 = Sunday. */
const WEEKEND: Readonly<Record<CalendarId, readonly number[]>> = {
  kz: [0, 6],
  ru: [0, 6],
  'us-ca': [0],
  gdpr: [0, 6],
  uk: [0, 6],
};

export interface CalendarYear {
  calendar: CalendarId;
  year: number;
  /** Days in that year that are not working days although the usual week works them (YYYY-MM-DD). */
  daysOff: readonly string[];
  /** Weekend days in that year that are working days (Russia's Sat 20 Feb 2027). */
  workingWeekendDays: readonly string[];
  source?: string;
}

export class CalendarFileError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    message: string,
  ) {
    super(`${file}: ${field}: ${message}`);
    this.name = 'CalendarFileError';
  }
}

interface LoadedCalendar {
  years: Map<number, { off: Set<string>; working: Set<string> }>;
}

let loaded: Map<CalendarId, LoadedCalendar> | undefined;
let loadedFrom: string | undefined;

/**
 * Checks one calendar year read from a file; `file` names it in errors.
 *
 * @example validateCalendarYear({ calendar: 'kz', year: 2028, daysOff: ['2028-02-30'] }, 'kz-2028.json')
 * // throws CalendarFileError 'kz-2028.json: daysOff[0]: "2028-02-30" is not a date (YYYY-MM-DD)'
 */
export function validateCalendarYear(value: unknown, file: string): CalendarYear {
  const fail = (field: string, message: string): never => {
    throw new CalendarFileError(file, field, message);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('(file)', 'must be a JSON object');
  const v = value as Record<string, unknown>;
  for (const key of Object.keys(v)) {
    if (!['calendar', 'year', 'daysOff', 'workingWeekendDays', 'source'].includes(key)) fail(key, 'unknown field (expected calendar, year, daysOff, workingWeekendDays, source)');
  }
  if (typeof v.calendar !== 'string' || !(CALENDAR_IDS as readonly string[]).includes(v.calendar)) fail('calendar', `must be one of ${CALENDAR_IDS.join(', ')}`);
  const calendar = v.calendar as CalendarId;
  if (typeof v.year !== 'number' || !Number.isInteger(v.year) || v.year < 2000 || v.year > 2200) fail('year', 'must be a whole year between 2000 and 2200');
  const year = v.year as number;
  const days = (field: 'daysOff' | 'workingWeekendDays', weekend: boolean): string[] => {
    const list = v[field] ?? [];
    if (!Array.isArray(list)) return fail(field, 'must be a list of dates (YYYY-MM-DD)');
    const seen = new Set<string>();
    return list.map((item, i) => {
      const day = typeof item === 'string' ? parseDayKey(item) : undefined;
      if (!day) return fail(`${field}[${i}]`, `${JSON.stringify(item)} is not a date (YYYY-MM-DD)`);
      if (day.year !== year) fail(`${field}[${i}]`, `${item} is not in ${year}`);
      if (seen.has(item as string)) fail(`${field}[${i}]`, `${item} is listed twice`);
      seen.add(item as string);
      const isWeekend = WEEKEND[calendar].includes(weekday(day));
      if (weekend && !isWeekend) fail(`${field}[${i}]`, `${item} is not a weekend day in the ${calendar} calendar, so it is a working day already`);
      return item as string;
    });
  };
  const daysOff = days('daysOff', false);
  const workingWeekendDays = days('workingWeekendDays', true);
  const clash = daysOff.find((d) => workingWeekendDays.includes(d));
  if (clash) fail('workingWeekendDays', `${clash} is also listed in daysOff`);
  if (v.source !== undefined && typeof v.source !== 'string') fail('source', 'must be text');
  return { calendar, year, daysOff, workingWeekendDays, ...(typeof v.source === 'string' ? { source: v.source } : {}) };
}

/** Reads every `*.json` file of a directory as a calendar year (see the module comment). */
export function readCalendarDirectory(dir: string): CalendarYear[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
  } catch {
    throw new CalendarFileError(dir, 'CUSTODIAN_CALENDARS_DIR', 'is not a readable directory');
  }
  const years = names.map((name) => {
    const file = join(dir, name);
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new CalendarFileError(file, '(file)', `is not valid JSON (${(error as Error).message})`);
    }
    return { year: validateCalendarYear(parsed, file), file };
  });
  const seen = new Map<string, string>();
  for (const { year, file } of years) {
    const key = `${year.calendar}-${year.year}`;
    if (seen.has(key)) throw new CalendarFileError(file, 'year', `${key} is also defined in ${seen.get(key)}`);
    seen.set(key, file);
  }
  return years.map((y) => y.year);
}

function build(extra: readonly CalendarYear[]): Map<CalendarId, LoadedCalendar> {
  const map = new Map<CalendarId, LoadedCalendar>(CALENDAR_IDS.map((id) => [id, { years: new Map() }]));
  for (const y of [...BUILTIN_CALENDARS, ...extra]) {
    map.get(y.calendar)!.years.set(y.year, { off: new Set(y.daysOff), working: new Set(y.workingWeekendDays) });
  }
  return map;
}

function calendars(): Map<CalendarId, LoadedCalendar> {
  const dir = process.env.CUSTODIAN_CALENDARS_DIR || undefined;
  if (!loaded || loadedFrom !== dir) {
    loaded = build(dir ? readCalendarDirectory(dir) : []);
    loadedFrom = dir;
  }
  return loaded;
}

/** Forgets loaded calendar files, so the next use reads `CUSTODIAN_CALENDARS_DIR` again. */
export function reloadCalendars(): void {
  loaded = undefined;
}

/** The years loaded for a calendar, ascending. */
export function calendarYears(id: CalendarId): number[] {
  return [...calendars().get(id)!.years.keys()].sort((a, b) => a - b);
}

/**
 * The last year of the unbroken run of loaded years, or `undefined` when the calendar has
 * none (GDPR and UK by default: weekends only, no horizon).
 */
export function calendarHorizon(id: CalendarId): number | undefined {
  const years = calendarYears(id);
  if (years.length === 0) return undefined;
  let last = years[0]!;
  while (years.includes(last + 1)) last += 1;
  return last;
}

export interface DayAnswer {
  working: boolean;
  /** Set when the day lies outside the loaded years, so only the weekly pattern decided. */
  warning?: string;
}

/**
 * Is this local day a working (business) day in the calendar?
 *
 * @example isWorkingDay('ru', { year: 2027, month: 2, day: 20 }).working // true (a working Saturday)
 */
export function isWorkingDay(id: CalendarId, day: LocalDay): DayAnswer {
  const calendar = calendars().get(id)!;
  const key = dayKey(day);
  const weekend = WEEKEND[id].includes(weekday(day));
  const year = calendar.years.get(day.year);
  if (!year) {
    const horizon = calendarHorizon(id);
    const warning = horizon === undefined ? undefined : day.year > horizon ? `calendar_horizon_passed:${id}:${horizon}` : `calendar_year_missing:${id}:${day.year}`;
    return { working: !weekend, ...(warning ? { warning } : {}) };
  }
  if (year.off.has(key)) return { working: false };
  if (year.working.has(key)) return { working: true };
  return { working: !weekend };
}

/** The weekend days of a calendar's usual week (0 = Sunday). */
export function weekendOf(id: CalendarId): readonly number[] {
  return WEEKEND[id];
}

/**
 * Warnings for /readyz: a calendar whose loaded years end within a month of `now` (or have
 * ended), as codes: `calendar_horizon_near:kz:2027`, `calendar_horizon_passed:ru:2027`,
 * and `calendar_files_invalid` when the operator's calendar directory cannot be read.
 */
export function calendarWarnings(now: number): string[] {
  try {
    calendars();
  } catch {
    return ['calendar_files_invalid'];
  }
  const warnings: string[] = [];
  for (const id of CALENDAR_IDS) {
    const horizon = calendarHorizon(id);
    if (horizon === undefined) continue;
    const end = Date.UTC(horizon + 1, 0, 1);
    const monthBefore = Date.UTC(horizon, 11, 1);
    if (now >= end) warnings.push(`calendar_horizon_passed:${id}:${horizon}`);
    else if (now >= monthBefore) warnings.push(`calendar_horizon_near:${id}:${horizon}`);
  }
  return warnings;
}
