/**
 * `custodian deadlines`, run as the compiled CLI a DPO would run (dist/, built by
 * `npm run build:js`): the due moment with its article, in the law's zone, as text or the
 * contract's JSON; every obligation listed; bad input refused naming the flag.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../support/cli.js';

const cli = (...args: string[]) => runCli(['deadlines', ...args], { CUSTODIAN_CALENDARS_DIR: '' });

describe('custodian deadlines', () => {
  it('prints the contract JSON with the zone offset of the law', async () => {
    const kz = await cli('--law', 'kz', '--obligation', 'blocking', '--at', '2026-03-06T22:30:00+05:00', '--json');
    assert.equal(kz.code, 0, kz.stderr);
    assert.deepEqual(JSON.parse(kz.stdout), { law: 'kz', obligation: 'blocking', dueAt: '2026-03-10T23:59:59.999+05:00', article: '25(2)' });
    const ru = await cli('--law', 'ru', '--obligation', 'access', '--at', '2026-12-28T09:00:00Z', '--extended', '--json');
    assert.equal(ru.code, 0, ru.stderr);
    assert.deepEqual(JSON.parse(ru.stdout), { law: 'ru', obligation: 'access', dueAt: '2027-01-20T23:59:59.999+03:00', article: '20(1)', extendedDueAt: '2027-01-27T23:59:59.999+03:00' });
    assert.deepEqual(Object.keys(JSON.parse(ru.stdout)), ['law', 'obligation', 'dueAt', 'article', 'extendedDueAt']);
    const gdpr = await cli('--law', 'gdpr', '--obligation', 'access', '--at', '2026-01-31T12:00:00Z', '--json');
    assert.equal(JSON.parse(gdpr.stdout).dueAt, '2026-03-02T23:59:59.999Z');
    const ccpa = await cli('--law', 'ccpa', '--obligation', 'access', '--at', '2026-01-31T12:00:00Z', '--zone', 'America/Los_Angeles', '--json');
    assert.equal(JSON.parse(ccpa.stdout).dueAt, '2026-03-17T23:59:59.999-07:00');
  });

  it('reads a time without an offset in the law’s zone, and prints text with the article', async () => {
    const r = await cli('--law', 'kz', '--obligation', 'withdrawal-stop', '--at', '2026-03-20T10:00');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'Kazakhstan 94-V, withdrawal-stop: due 2026-04-15T23:59:59.999+05:00 (art. 8(7))');
    const uk = await cli('--law', 'uk', '--obligation', 'access', '--at', '2026-01-31T12:00', '--extended');
    assert.match(uk.stdout, /^UK GDPR, access: due 2026-03-02T23:59:59\.999Z \(art\. 12\(3\)\)\nextended: due 2026-04-30T23:59:59\.999Z \(art\. 12\(3\)\); the person must be told by 2026-03-02T23:59:59\.999Z\n$/);
  });

  it('warns on stderr past the calendar horizon, keeping stdout the JSON', async () => {
    const r = await cli('--law', 'ru', '--obligation', 'access', '--at', '2027-12-24T12:00:00+03:00', '--json');
    assert.equal(r.code, 0);
    assert.match(r.stderr, /warning: calendar_horizon_passed:ru:2027/);
    assert.equal(JSON.parse(r.stdout).law, 'ru');
  });

  it('lists every obligation id per law', async () => {
    const r = await cli('--list');
    assert.equal(r.code, 0, r.stderr);
    for (const law of ['kz', 'ru', 'gdpr', 'uk', 'ccpa']) assert.match(r.stdout, new RegExp(`^${law} \\(`, 'm'));
    assert.match(r.stdout, /^ {2}breach-investigation +72 hours +art\. 21\(3\.1\)$/m);
    const json = JSON.parse((await cli('--list', '--law', 'ccpa', '--json')).stdout);
    assert.deepEqual(Object.keys(json), ['ccpa']);
    assert.ok(json.ccpa.some((o: { id: string; article: string }) => o.id === 'opt-out' && o.article === '7026(f)'));
  });

  it('refuses an obligation the law lacks, listing what it has', async () => {
    const r = await cli('--law', 'gdpr', '--obligation', 'opt-out', '--at', '2026-01-31T12:00:00Z', '--json');
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /--obligation: GDPR has no obligation "opt-out"; it has: access, portability, /);
  });

  it('refuses a bad --at, --law, --zone or --extended naming the flag', async () => {
    for (const [args, pattern] of [
      [['--law', 'kz', '--obligation', 'blocking', '--at', '2026-02-30T10:00'], /--at: "2026-02-30T10:00" is not an ISO 8601 date-time/],
      [['--law', 'kz', '--obligation', 'blocking', '--at', 'yesterday'], /--at: "yesterday" is not/],
      [['--law', 'kz', '--obligation', 'blocking'], /--at: is required/],
      [['--law', 'de', '--obligation', 'blocking', '--at', '2026-02-03T10:00'], /--law: must be one of kz, ru, gdpr, uk, ccpa/],
      [['--law', 'gdpr', '--obligation', 'access', '--at', '2026-02-03T10:00', '--zone', 'Mars/Olympus'], /--zone: "Mars\/Olympus" is not an IANA time zone/],
      [['--law', 'kz', '--obligation', 'blocking', '--at', '2026-02-03T10:00', '--extended'], /--extended: Kazakhstan 94-V does not allow extending "blocking"/],
    ] as const) {
      const r = await cli(...args);
      assert.equal(r.code, 1, args.join(' '));
      assert.match(r.stderr, pattern);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
  });

  it('reads operator calendar years from CUSTODIAN_CALENDARS_DIR, refusing a bad file by name and field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'custodian-cli-calendars-'));
    try {
      writeFileSync(join(dir, 'ru-2028.json'), JSON.stringify({ calendar: 'ru', year: 2028, daysOff: ['2028-01-03', '2028-01-04', '2028-01-05', '2028-01-06', '2028-01-07'] }));
      const args = ['deadlines', '--law', 'ru', '--obligation', 'access', '--at', '2027-12-24T12:00:00+03:00', '--json'];
      const ok = await runCli(args, { CUSTODIAN_CALENDARS_DIR: dir });
      assert.equal(ok.code, 0, ok.stderr);
      assert.equal(ok.stderr, '', 'no horizon warning once 2028 is loaded');
      assert.equal(JSON.parse(ok.stdout).dueAt, '2028-01-17T23:59:59.999+03:00');
      writeFileSync(join(dir, 'kz-2028.json'), JSON.stringify({ calendar: 'kz', year: 2028, daysOff: ['2028-13-01'] }));
      const bad = await runCli(args, { CUSTODIAN_CALENDARS_DIR: dir });
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /^Setup error: calendar file .*kz-2028\.json: daysOff\[0\]: "2028-13-01" is not a date \(YYYY-MM-DD\)\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
