/**
 * The working-day calendars Custodian ships, one entry per calendar and year, exactly as
 * shared/reference/calendars.md lists them. Only exceptions are listed: `daysOff` are the
 * days that are not working days although the calendar's usual week works them, and
 * `workingWeekendDays` the days that are worked although they fall on its weekend.
 *
 * A year not listed here is beyond the calendar's horizon: counting into it still runs on
 * the weekly pattern, but every result says so (`calendar_horizon_passed:…`), and /readyz
 * warns a month ahead. Operators add or correct a year without a release by dropping a
 * JSON file of this shape into `CUSTODIAN_CALENDARS_DIR` (see `calendar.ts`).
 */
import type { CalendarYear } from '../calendar.js';

export const BUILTIN_CALENDARS: readonly CalendarYear[] = [
  // Kazakhstan: Law «О праздниках» art. 5 (a holiday on a weekend makes the next working day a
  // day off; 7 January and Kurban Ait never move). From 2026 Constitution Day is 15 March (from
  // 2027) and 30 August is no longer a holiday, so Mon 31 Aug 2026 is a working day.
  {
    calendar: 'kz',
    year: 2026,
    daysOff: ['2026-01-01', '2026-01-02', '2026-01-07', '2026-03-09', '2026-03-23', '2026-03-24', '2026-03-25', '2026-05-01', '2026-05-07', '2026-05-11', '2026-05-27', '2026-07-06', '2026-10-26', '2026-12-16'],
    workingWeekendDays: [],
    source: 'egov calendar (inform.kz 02-01-2026) without 31 August',
  },
  {
    // Kurban Ait 2027 is expected on Sun 16 May (no weekday off); should the Spiritual
    // Administration set 17 May, add it with a file in CUSTODIAN_CALENDARS_DIR.
    calendar: 'kz',
    year: 2027,
    daysOff: ['2027-01-01', '2027-01-04', '2027-01-07', '2027-03-08', '2027-03-15', '2027-03-22', '2027-03-23', '2027-03-24', '2027-05-03', '2027-05-07', '2027-05-10', '2027-07-06', '2027-10-25', '2027-12-16'],
    workingWeekendDays: [],
    source: 'Law «О праздниках» art. 5 applied to 2027',
  },
  // Russia: Labour Code art. 112 and the Government's annual transfer decree.
  {
    calendar: 'ru',
    year: 2026,
    daysOff: ['2026-01-01', '2026-01-02', '2026-01-05', '2026-01-06', '2026-01-07', '2026-01-08', '2026-01-09', '2026-02-23', '2026-03-09', '2026-05-01', '2026-05-11', '2026-06-12', '2026-11-04', '2026-12-31'],
    workingWeekendDays: [],
    source: 'Government Decree No. 1466 of 24.09.2025',
  },
  {
    calendar: 'ru',
    year: 2027,
    daysOff: ['2027-01-01', '2027-01-04', '2027-01-05', '2027-01-06', '2027-01-07', '2027-01-08', '2027-02-22', '2027-02-23', '2027-03-08', '2027-05-03', '2027-05-10', '2027-06-14', '2027-11-04', '2027-11-05', '2027-12-31'],
    workingWeekendDays: ['2027-02-20'],
    source: 'Government Decree No. 1187 of 17.09.2026',
  },
  // California business days, the conservative reading (see `US_CA_CONVENTION` in
  // calendar.ts): only Sunday is a weekend day, Saturdays are business days, and a day is a
  // holiday only where both the Government Code §6700 list and the state's paid-holiday
  // calendar close it, Saturday holidays included (Sat 4 Jul 2026, Sat 25 Dec 2027).
  // Gov. Code §6700 names 25 December although the reference's 2026 list omits it.
  {
    calendar: 'us-ca',
    year: 2026,
    daysOff: ['2026-01-01', '2026-01-19', '2026-02-16', '2026-03-31', '2026-05-25', '2026-07-04', '2026-09-07', '2026-11-11', '2026-11-26', '2026-12-25'],
    workingWeekendDays: [],
    source: 'Civ. Code §§7, 9; Gov. Code §§6700, 6701, 19853',
  },
  {
    calendar: 'us-ca',
    year: 2027,
    daysOff: ['2027-01-01', '2027-01-18', '2027-02-15', '2027-03-31', '2027-05-31', '2027-07-05', '2027-09-06', '2027-11-11', '2027-11-25', '2027-12-25'],
    workingWeekendDays: [],
    source: 'Civ. Code §§7, 9; Gov. Code §§6700, 6701, 19853',
  },
];
