/**
 * Retention terms and consent validity are ISO 8601 durations counted the way a lawyer
 * counts them: calendar years and months, then exact weeks, days and hours.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addDuration, approximateDays, parseDuration } from '../../src/law/duration.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('parseDuration', () => {
  it('reads every unit, alone and together', () => {
    const none = { years: 0, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 };
    assert.deepEqual(parseDuration('P3Y'), { ...none, years: 3 });
    assert.deepEqual(parseDuration('P6M'), { ...none, months: 6 });
    assert.deepEqual(parseDuration('P2W'), { ...none, weeks: 2 });
    assert.deepEqual(parseDuration('P30D'), { ...none, days: 30 });
    assert.deepEqual(parseDuration('PT72H'), { ...none, hours: 72 });
    assert.deepEqual(parseDuration('PT15M'), { ...none, minutes: 15 });
    assert.deepEqual(parseDuration('PT45S'), { ...none, seconds: 45 });
    assert.deepEqual(parseDuration('P1Y6M2W3DT4H5M6S'), { years: 1, months: 6, weeks: 2, days: 3, hours: 4, minutes: 5, seconds: 6 });
  });

  it('tells months from minutes by the T', () => {
    assert.equal(parseDuration('P5M')?.months, 5);
    assert.equal(parseDuration('P5M')?.minutes, 0);
    assert.equal(parseDuration('PT5M')?.minutes, 5);
    assert.equal(parseDuration('PT5M')?.months, 0);
  });

  it('refuses what is not a duration', () => {
    for (const text of ['', 'P', 'PT', 'P1YT', '1Y', 'P1', 'P1.5Y', 'P-1D', 'p1y', 'P1Y ', ' P1Y', 'P1D1Y', 'PT1D', 'P1H', 'xP1Y', 'P1Yx', 'until-purpose-achieved']) {
      assert.equal(parseDuration(text), undefined, JSON.stringify(text));
    }
  });
});

describe('addDuration', () => {
  it('adds calendar months, ending on the last day of a shorter month', () => {
    assert.equal(iso(addDuration(at('2026-01-31T10:20:30.400Z'), 'P1M')), '2026-02-28T10:20:30.400Z');
    assert.equal(iso(addDuration(at('2028-01-31T00:00:00Z'), 'P1M')), '2028-02-29T00:00:00.000Z');
    assert.equal(iso(addDuration(at('2026-03-31T00:00:00Z'), 'P1M')), '2026-04-30T00:00:00.000Z');
    assert.equal(iso(addDuration(at('2026-01-15T08:00:00Z'), 'P1M')), '2026-02-15T08:00:00.000Z');
    assert.equal(iso(addDuration(at('2026-11-30T00:00:00Z'), 'P3M')), '2027-02-28T00:00:00.000Z');
  });

  it('adds calendar years: 29 February plus a year is 28 February', () => {
    assert.equal(iso(addDuration(at('2028-02-29T12:00:00Z'), 'P1Y')), '2029-02-28T12:00:00.000Z');
    assert.equal(iso(addDuration(at('2026-06-01T00:00:00Z'), 'P3Y')), '2029-06-01T00:00:00.000Z');
    assert.equal(iso(addDuration(at('2026-06-01T00:00:00Z'), 'P1Y6M')), '2027-12-01T00:00:00.000Z');
  });

  it('adds weeks, days, hours, minutes and seconds exactly', () => {
    const start = at('2026-11-22T09:00:00Z');
    assert.equal(addDuration(start, 'P2W') - start, 14 * 86_400_000);
    assert.equal(addDuration(start, 'P30D') - start, 30 * 86_400_000);
    assert.equal(addDuration(start, 'PT72H') - start, 72 * 3_600_000);
    assert.equal(addDuration(start, 'PT15M') - start, 15 * 60_000);
    assert.equal(addDuration(start, 'PT45S') - start, 45_000);
    assert.equal(iso(addDuration(start, 'P1MT1H')), '2026-12-22T10:00:00.000Z');
  });

  it('takes a parsed duration as well as its text', () => {
    const start = at('2026-01-31T00:00:00Z');
    assert.equal(addDuration(start, parseDuration('P1M1D')!), addDuration(start, 'P1M1D'));
    assert.equal(iso(addDuration(start, 'P1M1D')), '2026-03-01T00:00:00.000Z');
  });

  it('throws on text that is not a duration, naming it', () => {
    assert.throws(() => addDuration(0, 'one year'), /Not an ISO 8601 duration: one year/);
  });
});

describe('approximateDays', () => {
  it('orders durations by length, a year counting 365.25 days and a month 30.44', () => {
    assert.equal(approximateDays('P1Y'), 365.25);
    assert.equal(approximateDays('P1M'), 30.44);
    assert.equal(approximateDays('P1W'), 7);
    assert.equal(approximateDays('P1D'), 1);
    assert.equal(approximateDays('PT12H'), 0.5);
    assert.equal(approximateDays('PT36M'), 36 / 1440);
    assert.equal(approximateDays('PT864S'), 0.01);
    assert.equal(approximateDays('P1Y1M1W1DT12H'), 365.25 + 30.44 + 7 + 1 + 0.5);
    assert.ok(approximateDays('P13M') > approximateDays('P1Y'));
    assert.ok(approximateDays('P366D') > approximateDays('P1Y'));
    assert.ok(approximateDays('P6M') < approximateDays('P1Y'));
    assert.equal(approximateDays(parseDuration('P2W')!), 14);
  });

  it('throws on text that is not a duration', () => {
    assert.throws(() => approximateDays('forever'), /Not an ISO 8601 duration: forever/);
  });
});
