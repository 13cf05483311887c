/**
 * Due moments for each law and obligation, counted as a DPO would by hand: the N-th
 * working day after the day of receipt in the law's zone, to 23:59:59.999; GDPR months per
 * Reg. 1182/71; hours from awareness; extensions, the UK pause, the operator's shorter term.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dueMoment, identityRule, LawError, lawsFor, obligations, refusalReasons, requestDeadlines, rightsOf, type LawId } from '../../src/law/index.js';

const at = (iso: string) => Date.parse(iso);
const due = (law: LawId, obligation: string, iso: string, options?: Parameters<typeof dueMoment>[3]) => dueMoment(law, obligation, at(iso), options).dueAtIso;

describe('Kazakhstan 94-V (working days, Asia/Almaty)', () => {
  it('blocks, corrects and destroys within 1 working day', () => {
    assert.equal(due('kz', 'blocking', '2026-03-06T22:30:00+05:00'), '2026-03-10T23:59:59.999+05:00', 'Mon 9 Mar (for 8 Mar) is off');
    assert.equal(due('kz', 'rectification', '2026-07-01T10:00:00+05:00'), '2026-07-02T23:59:59.999+05:00');
    assert.equal(due('kz', 'erasure', '2026-07-03T10:00:00+05:00'), '2026-07-07T23:59:59.999+05:00', 'Mon 6 Jul is off');
  });

  it('counts the day of receipt in Almaty, not in UTC', () => {
    // Thursday 19:30 UTC is Friday 00:30 in Almaty: the first working day after Friday is Tuesday.
    assert.equal(due('kz', 'blocking', '2026-03-05T19:30:00Z'), '2026-03-10T23:59:59.999+05:00');
    assert.equal(due('kz', 'blocking', '2026-03-05T18:59:59Z'), '2026-03-06T23:59:59.999+05:00');
  });

  it('stops processing within 15 working days of a withdrawal, over Nauryz', () => {
    assert.equal(due('kz', 'withdrawal-stop', '2026-03-20T10:00:00+05:00'), '2026-04-15T23:59:59.999+05:00');
  });

  it('answers an objection to an automated decision within 3 working days', () => {
    assert.equal(due('kz', 'automated-decision-objection', '2026-12-10T09:00:00+05:00'), '2026-12-15T23:59:59.999+05:00');
    assert.equal(due('kz', 'automated-decision-objection', '2026-12-14T09:00:00+05:00'), '2026-12-18T23:59:59.999+05:00', '16 Dec is off');
  });

  it('tells the authorised body of a breach within 1 working day of awareness, across New Year', () => {
    assert.equal(due('kz', 'breach-authority', '2026-12-31T20:00:00+05:00'), '2027-01-05T23:59:59.999+05:00');
  });

  it('flags the terms the reference could not confirm', () => {
    const access = dueMoment('kz', 'access', at('2026-06-01T10:00:00+05:00'));
    assert.equal(access.dueAtIso, '2026-06-04T23:59:59.999+05:00');
    assert.deepEqual(access.warnings, ['term_unconfirmed']);
    assert.deepEqual(dueMoment('kz', 'regulator-request', at('2026-06-01T10:00:00+05:00')).warnings, ['term_unconfirmed']);
    assert.deepEqual(dueMoment('kz', 'blocking', at('2026-06-01T10:00:00+05:00')).warnings, []);
  });

  it('has no opt-out, and says what it has', () => {
    assert.throws(
      () => dueMoment('kz', 'opt-out', at('2026-06-01T10:00:00Z')),
      (e: unknown) => e instanceof LawError && e.code === 'obligation_unknown' && /has no obligation "opt-out"; it has: access, rectification, erasure, blocking/.test(e.message),
    );
  });
});

describe('Russia 152-FZ (working days, Europe/Moscow)', () => {
  it('answers access in 10 working days, over the New Year holidays, plus 5 on extension', () => {
    const d = dueMoment('ru', 'access', at('2026-12-28T12:00:00+03:00'));
    assert.equal(d.dueAtIso, '2027-01-20T23:59:59.999+03:00');
    assert.equal(d.article, '20(1)');
    assert.equal(d.extension?.dueAtIso, '2027-01-27T23:59:59.999+03:00');
    assert.equal(d.extension?.article, '20(2)');
    assert.equal(d.extension?.noticeBy, d.dueAt, 'the person is told before the first term ends');
    const extended = dueMoment('ru', 'access', at('2026-12-28T12:00:00+03:00'), { extended: true });
    assert.equal(extended.dueAtIso, '2027-01-27T23:59:59.999+03:00');
  });

  it('corrects in 7 working days, counting the day of receipt in Moscow', () => {
    // 22:00 UTC on Thursday 4 June is Friday in Moscow; 12 June is a holiday.
    assert.equal(due('ru', 'rectification', '2026-06-04T22:00:00Z'), '2026-06-17T23:59:59.999+03:00');
    assert.equal(due('ru', 'rectification', '2026-06-04T20:59:00Z'), '2026-06-16T23:59:59.999+03:00');
  });

  it('counts the working Saturday of 20 February 2027', () => {
    assert.equal(due('ru', 'blocking', '2027-02-18T10:00:00+03:00'), '2027-02-24T23:59:59.999+03:00');
    assert.equal(due('ru', 'erasure', '2027-02-18T10:00:00+03:00'), '2027-03-05T23:59:59.999+03:00');
  });

  it('destroys within 30 days of a withdrawal or of the purpose being achieved', () => {
    assert.equal(due('ru', 'withdrawal-destroy', '2026-12-15T10:00:00+03:00'), '2027-01-14T23:59:59.999+03:00');
    assert.equal(due('ru', 'withdrawal-stop', '2026-12-15T10:00:00+03:00'), '2027-01-14T23:59:59.999+03:00');
    assert.equal(due('ru', 'purpose-achieved-destroy', '2026-01-31T10:00:00+03:00'), '2026-03-02T23:59:59.999+03:00');
  });

  it('tells Roskomnadzor of a breach within 24 hours and of the investigation within 72', () => {
    assert.equal(due('ru', 'breach-authority', '2026-06-01T10:15:00+03:00'), '2026-06-02T10:15:00.000+03:00');
    assert.equal(due('ru', 'breach-investigation', '2026-06-01T10:15:00+03:00'), '2026-06-04T10:15:00.000+03:00');
  });

  it('answers Roskomnadzor and a demand to stop in 10 working days, extendable by 5', () => {
    const r = dueMoment('ru', 'regulator-request', at('2026-06-01T10:00:00+03:00'));
    assert.equal(r.dueAtIso, '2026-06-16T23:59:59.999+03:00', '12 June is a holiday');
    assert.equal(r.extension?.dueAtIso, '2026-06-23T23:59:59.999+03:00');
    assert.equal(dueMoment('ru', 'stop-processing', at('2026-06-01T10:00:00+03:00')).article, '21(5.1)');
  });

  it('refuses an extension the law does not give', () => {
    assert.throws(() => dueMoment('ru', 'rectification', at('2026-06-01T10:00:00Z'), { extended: true }), (e: unknown) => e instanceof LawError && e.code === 'extension_not_allowed');
  });
});

describe('GDPR (months, operator zone)', () => {
  it('ends a month from the 31st on the last day of a shorter month, rolled past the weekend', () => {
    // 31 Jan + 1 month = 28 Feb 2026, a Saturday: the period ends on Monday 2 March.
    assert.equal(due('gdpr', 'access', '2026-01-31T12:00:00Z'), '2026-03-02T23:59:59.999Z');
  });

  it('ends on the same date a month on, or the next working day when that is a weekend', () => {
    assert.equal(due('gdpr', 'erasure', '2026-03-15T10:00:00Z'), '2026-04-15T23:59:59.999Z');
    assert.equal(due('gdpr', 'rectification', '2026-04-16T10:00:00Z'), '2026-05-18T23:59:59.999Z');
  });

  it('extends by two further months, the person told within the first', () => {
    const d = dueMoment('gdpr', 'access', at('2026-03-15T10:00:00Z'));
    assert.equal(d.extension?.dueAtIso, '2026-06-15T23:59:59.999Z');
    assert.equal(d.extension?.noticeBy, d.dueAt);
    assert.equal(d.article, '12(3)');
  });

  it('counts in the operator zone', () => {
    assert.equal(due('gdpr', 'access', '2026-03-31T22:30:00Z', { zone: 'Europe/Berlin' }), '2026-05-01T23:59:59.999+02:00');
    assert.equal(due('gdpr', 'access', '2026-03-31T22:30:00Z'), '2026-04-30T23:59:59.999Z');
  });

  it('gives the authority 72 hours from awareness of a breach', () => {
    assert.equal(due('gdpr', 'breach-authority', '2026-06-01T10:00:00Z'), '2026-06-04T10:00:00.000Z');
  });

  it('does not pause its clock', () => {
    const d = dueMoment('gdpr', 'access', at('2026-01-31T12:00:00Z'), { pausedMs: 3 * 86_400_000 });
    assert.equal(d.dueAtIso, '2026-03-02T23:59:59.999Z');
    assert.equal(d.pausable, false);
    assert.deepEqual(d.warnings, ['pause_not_allowed']);
    assert.equal(identityRule('gdpr', 'access').verify, 'reasonable-doubt');
  });
});

describe('UK GDPR', () => {
  it('pauses the clock while waiting for identity (art. 12A)', () => {
    const d = dueMoment('uk', 'access', at('2026-01-31T12:00:00Z'), { pausedMs: 3 * 86_400_000 });
    assert.equal(d.pausable, true);
    assert.equal(d.dueAtIso, '2026-03-03T23:59:59.999Z', 'a month from 3 February');
    assert.equal(due('uk', 'access', '2026-01-31T12:00:00Z'), '2026-03-02T23:59:59.999Z');
    assert.deepEqual(identityRule('uk', 'erasure'), { verify: 'reasonable-doubt', pausesClock: true, article: '12A' });
  });

  it('counts British Summer Time in London', () => {
    assert.equal(due('uk', 'objection', '2026-06-10T23:30:00Z', { zone: 'Europe/London' }), '2026-07-13T23:59:59.999+01:00');
  });
});

describe('CCPA/CPRA (calendar and business days)', () => {
  it('answers in 45 calendar days, plus 45 on extension', () => {
    const d = dueMoment('ccpa', 'access', at('2026-01-31T12:00:00Z'), { zone: 'America/Los_Angeles' });
    assert.equal(d.dueAtIso, '2026-03-17T23:59:59.999-07:00');
    assert.equal(d.extension?.dueAtIso, '2026-05-01T23:59:59.999-07:00');
    assert.equal(due('ccpa', 'erasure', '2026-01-31T12:00:00Z'), '2026-03-17T23:59:59.999Z');
  });

  it('counts the day of receipt in the operator zone', () => {
    assert.equal(due('ccpa', 'erasure', '2026-06-02T03:00:00Z', { zone: 'America/Los_Angeles' }), '2026-07-16T23:59:59.999-07:00');
    assert.equal(due('ccpa', 'erasure', '2026-06-02T03:00:00Z'), '2026-07-17T23:59:59.999Z');
  });

  it('confirms receipt in 10 business days (Saturdays count, Thanksgiving does not)', () => {
    assert.equal(due('ccpa', 'confirm-receipt', '2026-11-16T12:00:00Z'), '2026-11-28T23:59:59.999Z');
  });

  it('honours an opt-out in 15 business days, over Christmas and New Year', () => {
    assert.equal(due('ccpa', 'opt-out', '2026-12-16T12:00:00Z'), '2027-01-05T23:59:59.999Z');
  });

  it('tells residents of a breach within 30 days', () => {
    assert.equal(due('ccpa', 'breach-subjects', '2026-06-01T12:00:00Z'), '2026-07-01T23:59:59.999Z');
  });

  it('verifies by data points, never an opt-out', () => {
    assert.equal(identityRule('ccpa', 'opt-out').verify, 'none');
    assert.equal(identityRule('ccpa', 'limit-sensitive').verify, 'none');
    assert.equal(identityRule('ccpa', 'access').dataPoints, 2);
    assert.deepEqual(identityRule('ccpa', 'portability'), { verify: 'required', pausesClock: false, dataPoints: 3, document: true, article: '7062(c)' });
    assert.equal(identityRule('ru', 'access').document, true);
    assert.equal(identityRule('kz', 'access').article, '10(2)');
  });
});

describe('the contract lists', () => {
  it('gives every listed obligation to some law, each with its article', () => {
    const ids = ['access', 'rectification', 'erasure', 'blocking', 'objection', 'automated-decision-objection', 'withdrawal-stop', 'withdrawal-destroy', 'purpose-achieved-destroy', 'opt-out', 'confirm-receipt', 'breach-authority', 'breach-investigation', 'breach-subjects', 'regulator-request'];
    const all = (['kz', 'ru', 'gdpr', 'uk', 'ccpa'] as const).flatMap((law) => obligations(law));
    for (const id of ids) assert.ok(all.some((o) => o.id === id && o.article.length > 0), id);
    assert.deepEqual(obligations('ru').find((o) => o.id === 'access'), { id: 'access', article: '20(1)', term: '10 working days (+5 working days, art. 20(2))' });
  });

  it('maps request types to obligations per law', () => {
    assert.deepEqual(rightsOf('kz').withdrawal, { obligation: 'withdrawal-stop', article: '8' });
    assert.equal(rightsOf('kz')['opt-out'], undefined);
    assert.deepEqual(rightsOf('ccpa')['opt-out'], { obligation: 'opt-out', article: '1798.120' });
    assert.deepEqual(rightsOf('ru')['stop-processing'], { obligation: 'stop-processing', article: '21(5.1)' });
  });

  it('names refusal reasons with their articles', () => {
    assert.deepEqual(refusalReasons('gdpr').find((r) => r.code === 'manifestly-unfounded'), { code: 'manifestly-unfounded', article: '12(5)(b)' });
    assert.ok(refusalReasons('ru').some((r) => r.code === 'identity-not-confirmed' && r.article === '14(3)'));
  });

  it('resolves applicable laws, the UK with its own pack', () => {
    assert.deepEqual(lawsFor(['EU', 'UK', 'US-CA'], null), ['gdpr', 'uk', 'ccpa']);
    assert.deepEqual(lawsFor(['EU', 'UK'], 'UK'), ['uk']);
    assert.deepEqual(lawsFor(['KZ', 'RU'], 'EU'), ['kz', 'ru']);
  });
});

describe('requestDeadlines', () => {
  const received = at('2026-06-01T10:00:00Z');

  it('gives every applicable law, earliest first, leaving out laws without the right', () => {
    const list = requestDeadlines({}, ['gdpr', 'kz', 'ru'], 'access', received);
    assert.deepEqual(list.map((d) => [d.law, d.dueAtIso, d.source]), [
      ['kz', '2026-06-04T23:59:59.999+05:00', 'law'],
      ['ru', '2026-06-16T23:59:59.999+03:00', 'law'],
      ['gdpr', '2026-07-01T23:59:59.999Z', 'law'],
    ]);
    assert.deepEqual(requestDeadlines({}, ['kz', 'ccpa'], 'opt-out', received).map((d) => d.law), ['ccpa']);
  });

  it('applies the operator’s shorter declared term, in its zone', () => {
    const policy = { rightsHandling: { timeZone: 'Europe/Berlin', answerTerms: [{ law: 'gdpr' as const, request: 'access' as const, term: { amount: 14, unit: 'calendar-days' as const } }], regulators: [], consequences: [] } };
    const [gdpr] = requestDeadlines(policy, ['gdpr'], 'access', received);
    assert.equal(gdpr!.source, 'policy');
    assert.equal(gdpr!.dueAtIso, '2026-06-15T23:59:59.999+02:00');
    assert.equal(gdpr!.article, '12(3)');
    const [erasure] = requestDeadlines(policy, ['gdpr'], 'erasure', received);
    assert.equal(erasure!.source, 'law');
    assert.equal(erasure!.dueAtIso, '2026-07-01T23:59:59.999+02:00');
    const [extended] = requestDeadlines(policy, ['gdpr'], 'access', received, { extended: true });
    assert.equal(extended!.dueAtIso, '2026-09-01T23:59:59.999+02:00', 'an extension is the law’s');
  });
});
