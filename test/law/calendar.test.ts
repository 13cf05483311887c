/**
 * The working-day calendars against shared/reference/calendars.md, day by day: every day of
 * 2026 and 2027 in Kazakhstan and Russia is a working day exactly when the reference says
 * so (weekday days off, moved days off, Russia's working Saturday), California counts its
 * conservative business days, a year beyond the data is a warning, and an operator's
 * calendar file adds or corrects a year with errors naming the field.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { calendarHorizon, calendarWarnings, CalendarFileError, dueMoment, isWorkingDay, readCalendarDirectory, reloadCalendars, validateCalendarYear } from '../../src/law/index.js';

// The reference's lists, typed out again here (not read from the data module under test).
const REFERENCE = {
  kz: {
    off: [
      '2026-01-01', '2026-01-02', '2026-01-07', '2026-03-09', '2026-03-23', '2026-03-24', '2026-03-25', '2026-05-01', '2026-05-07', '2026-05-11', '2026-05-27', '2026-07-06', '2026-10-26', '2026-12-16',
      '2027-01-01', '2027-01-04', '2027-01-07', '2027-03-08', '2027-03-15', '2027-03-22', '2027-03-23', '2027-03-24', '2027-05-03', '2027-05-07', '2027-05-10', '2027-07-06', '2027-10-25', '2027-12-16',
    ],
    workingWeekend: [] as string[],
  },
  ru: {
    off: [
      '2026-01-01', '2026-01-02', '2026-01-05', '2026-01-06', '2026-01-07', '2026-01-08', '2026-01-09', '2026-02-23', '2026-03-09', '2026-05-01', '2026-05-11', '2026-06-12', '2026-11-04', '2026-12-31',
      '2027-01-01', '2027-01-04', '2027-01-05', '2027-01-06', '2027-01-07', '2027-01-08', '2027-02-22', '2027-02-23', '2027-03-08', '2027-05-03', '2027-05-10', '2027-06-14', '2027-11-04', '2027-11-05', '2027-12-31',
    ],
    workingWeekend: ['2027-02-20'],
  },
};

function* daysOf(year: number) {
  for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000) {
    const d = new Date(t);
    yield { key: d.toISOString().slice(0, 10), day: { year, month: d.getUTCMonth() + 1, day: d.getUTCDate() }, weekend: d.getUTCDay() === 0 || d.getUTCDay() === 6 };
  }
}

describe('Kazakhstan and Russia, 2026–2027, every day', () => {
  for (const id of ['kz', 'ru'] as const) {
    for (const year of [2026, 2027]) {
      it(`${id} ${year}: a working day exactly when the reference says so`, () => {
        const wrong: string[] = [];
        for (const { key, day, weekend } of daysOf(year)) {
          const expected = REFERENCE[id].workingWeekend.includes(key) || (!weekend && !REFERENCE[id].off.includes(key));
          const answer = isWorkingDay(id, day);
          assert.equal(answer.warning, undefined, key);
          if (answer.working !== expected) wrong.push(`${key}: ${answer.working ? 'working' : 'off'}, expected ${expected ? 'working' : 'off'}`);
        }
        assert.deepEqual(wrong, []);
      });
    }
  }

  it('names the days people notice', () => {
    assert.equal(isWorkingDay('kz', { year: 2026, month: 8, day: 31 }).working, true, 'Mon 31 Aug 2026 is no longer Constitution Day');
    assert.equal(isWorkingDay('kz', { year: 2027, month: 3, day: 15 }).working, false, 'Constitution Day from 2027');
    assert.equal(isWorkingDay('kz', { year: 2026, month: 3, day: 16 }).working, true);
    assert.equal(isWorkingDay('ru', { year: 2027, month: 2, day: 20 }).working, true, 'the working Saturday');
    assert.equal(isWorkingDay('ru', { year: 2027, month: 2, day: 27 }).working, false, 'an ordinary Saturday');
    assert.equal(isWorkingDay('ru', { year: 2026, month: 1, day: 12 }).working, true, 'the first working day of 2026');
    assert.equal(isWorkingDay('ru', { year: 2026, month: 12, day: 30 }).working, true);
  });
});

describe('California business days', () => {
  it('count Saturdays, not Sundays or the holidays both readings close', () => {
    assert.equal(isWorkingDay('us-ca', { year: 2026, month: 3, day: 7 }).working, true, 'a Saturday');
    assert.equal(isWorkingDay('us-ca', { year: 2026, month: 3, day: 8 }).working, false, 'a Sunday');
    assert.equal(isWorkingDay('us-ca', { year: 2026, month: 11, day: 26 }).working, false, 'Thanksgiving');
    assert.equal(isWorkingDay('us-ca', { year: 2026, month: 11, day: 27 }).working, true, 'the day after: not a Gov. Code §6700 holiday');
    assert.equal(isWorkingDay('us-ca', { year: 2026, month: 2, day: 12 }).working, true, 'Lincoln Day: state offices stay open');
    assert.equal(isWorkingDay('us-ca', { year: 2027, month: 12, day: 25 }).working, false, 'Christmas on a Saturday');
    assert.equal(isWorkingDay('us-ca', { year: 2027, month: 12, day: 24 }).working, true, 'not observed on the Friday');
  });
});

describe('the horizon', () => {
  it('is the last loaded year; GDPR counts weekends only and has none', () => {
    assert.equal(calendarHorizon('kz'), 2027);
    assert.equal(calendarHorizon('ru'), 2027);
    assert.equal(calendarHorizon('gdpr'), undefined);
  });

  it('is a warning on a day beyond it and in a due moment counted into it, never silence', () => {
    assert.deepEqual(isWorkingDay('ru', { year: 2028, month: 1, day: 3 }), { working: true, warning: 'calendar_horizon_passed:ru:2027' });
    const due = dueMoment('ru', 'access', Date.parse('2027-12-24T12:00:00+03:00'));
    assert.ok(due.warnings.includes('calendar_horizon_passed:ru:2027'), due.warnings.join());
    assert.deepEqual(dueMoment('ru', 'access', Date.parse('2027-06-01T12:00:00+03:00')).warnings, []);
  });

  it('warns /readyz from one month before the horizon', () => {
    assert.deepEqual(calendarWarnings(Date.parse('2027-11-30T23:00:00Z')), []);
    assert.deepEqual(calendarWarnings(Date.parse('2027-12-01T00:00:00Z')), ['calendar_horizon_near:kz:2027', 'calendar_horizon_near:ru:2027', 'calendar_horizon_near:us-ca:2027']);
    assert.ok(calendarWarnings(Date.parse('2028-01-02T00:00:00Z')).includes('calendar_horizon_passed:kz:2027'));
  });
});

describe('calendar files from the operator', () => {
  const dir = mkdtempSync(join(tmpdir(), 'custodian-calendars-'));
  after(() => {
    delete process.env.CUSTODIAN_CALENDARS_DIR;
    reloadCalendars();
    rmSync(dir, { recursive: true, force: true });
  });

  it('add a year without a release, moving the horizon and the warnings', () => {
    writeFileSync(join(dir, 'kz-2028.json'), JSON.stringify({ calendar: 'kz', year: 2028, daysOff: ['2028-01-01', '2028-01-02', '2028-01-03'], workingWeekendDays: [], source: 'test' }));
    writeFileSync(join(dir, 'kz-2027.json'), JSON.stringify({ calendar: 'kz', year: 2027, daysOff: ['2027-05-17'] }));
    process.env.CUSTODIAN_CALENDARS_DIR = dir;
    reloadCalendars();
    assert.equal(calendarHorizon('kz'), 2028);
    assert.equal(isWorkingDay('kz', { year: 2028, month: 1, day: 3 }).working, false);
    assert.deepEqual(isWorkingDay('kz', { year: 2028, month: 1, day: 4 }), { working: true });
    assert.equal(isWorkingDay('kz', { year: 2027, month: 5, day: 17 }).working, false, 'a file replaces the built-in year');
    assert.equal(isWorkingDay('kz', { year: 2027, month: 3, day: 15 }).working, true, '…all of it');
    assert.ok(!calendarWarnings(Date.parse('2027-12-15T00:00:00Z')).some((w) => w.includes(':kz:')));
  });

  it('are refused with the file and the field named', () => {
    const bad = (value: unknown) => {
      try {
        validateCalendarYear(value, 'x.json');
      } catch (error) {
        assert.ok(error instanceof CalendarFileError);
        return error.message;
      }
      assert.fail('accepted');
    };
    assert.equal(bad({ calendar: 'kz', year: 2028, daysOff: ['2028-02-30'] }), 'x.json: daysOff[0]: "2028-02-30" is not a date (YYYY-MM-DD)');
    assert.match(bad({ calendar: 'xx', year: 2028 }), /^x\.json: calendar: must be one of kz, ru/);
    assert.match(bad({ calendar: 'kz', year: 2028.5 }), /^x\.json: year: /);
    assert.match(bad({ calendar: 'kz', year: 2028, daysOff: ['2029-01-01'] }), /daysOff\[0\]: 2029-01-01 is not in 2028/);
    assert.match(bad({ calendar: 'ru', year: 2028, workingWeekendDays: ['2028-01-05'] }), /workingWeekendDays\[0\]: 2028-01-05 is not a weekend day/);
    assert.match(bad({ calendar: 'ru', year: 2028, holidays: [] }), /^x\.json: holidays: unknown field/);
    writeFileSync(join(dir, 'broken.json'), '{');
    assert.throws(() => readCalendarDirectory(dir), (e: Error) => e instanceof CalendarFileError && e.message.includes('broken.json: (file): is not valid JSON'));
    reloadCalendars();
    assert.deepEqual(calendarWarnings(Date.now()), ['calendar_files_invalid']);
    assert.throws(() => dueMoment('kz', 'blocking', Date.now()), CalendarFileError);
  });
});
