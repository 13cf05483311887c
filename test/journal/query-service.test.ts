/**
 * Reading the journal through the service (the HTTP tests stop most bad input at the route
 * schema first): limits, periods and cursors checked here too, pages in time, stream and
 * sequence order that never repeat or skip, and a subject's own history.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CustodianError } from '../../src/errors.js';
import { DEFAULT_PAGE, JournalQuery, MAX_PAGE } from '../../src/journal/query.js';
import { createTestCustodian, type TestCustodian } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';

async function invalid(promise: Promise<unknown>): Promise<[string, string, string]> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof CustodianError, String(error));
    assert.equal(error.code, 'validation_failed');
    return [error.message, error.details[0].path, error.details[0].message];
  }
  assert.fail('expected the query to be refused');
}

for (const engine of ENGINES) {
  describe(`journal query service (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    let query: JournalQuery;
    let alice: string;
    let bob: string;
    let start: number;

    before(async () => {
      t = await createTestCustodian(engine);
      query = new JournalQuery({ db: t.custodian.store.db });
      await t.custodian.store.db.deleteFrom('journal_event').execute();
      await t.custodian.store.db.deleteFrom('journal_head').execute();
      start = t.clock.now();
      ({ id: alice } = await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: 'alice-q@example.kz' }] }, 'test'));
      t.clock.advance(1000);
      ({ id: bob } = await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: 'bob-q@example.kz' }] }, 'test'));
      t.clock.advance(1000);
      await t.custodian.vault.collect(alice, [{ category: 'user.name', value: 'Alice', purpose: 'orders', source: 'direct' }], 'test');
      await t.custodian.vault.collect(bob, [{ category: 'user.name', value: 'Bob', purpose: 'orders', source: 'direct' }], 'test');
      t.clock.advance(1000);
      await t.custodian.vault.readForPurpose(alice, 'orders', 'test');
    });
    after(async () => t?.dispose());

    it('pages by 100 unless asked, at most 1000, and only whole numbers from 1', async () => {
      assert.equal(DEFAULT_PAGE, 100);
      assert.equal(MAX_PAGE, 1000);
      assert.equal((await query.list({})).events.length, 5);
      assert.equal((await query.list({}, { limit: MAX_PAGE })).events.length, 5);
      for (const limit of [0, -1, 1001, 1.5, Number.NaN]) {
        assert.deepEqual(await invalid(query.list({}, { limit })), ['The query is invalid: limit must be a whole number from 1 to 1000', 'querystring.limit', 'must be a whole number from 1 to 1000'], String(limit));
      }
    });

    it('takes a period from (inclusive) to (exclusive), and refuses one that ends before it starts', async () => {
      const at = start + 2000;
      const inPeriod = await query.list({ from: at, to: at + 1 });
      assert.deepEqual(inPeriod.events.map((e) => [e.subjectId, e.operation]).sort(), [[alice, 'collection'], [bob, 'collection']].sort());
      assert.equal((await query.list({ from: at + 1 })).events.length, 1);
      assert.equal((await query.list({ to: at })).events.length, 2);
      for (const [from, to] of [[at, at], [at + 1, at]]) {
        assert.deepEqual(await invalid(query.list({ from, to })), ['The query is invalid: to must be after from', 'querystring.to', 'must be after from']);
      }
    });

    it('filters by subject, operation and purpose', async () => {
      assert.deepEqual((await query.list({ subjectId: alice })).events.map((e) => e.operation), ['collection', 'collection', 'extraction']);
      assert.deepEqual((await query.list({ operation: 'extraction' })).events.map((e) => e.subjectId), [alice]);
      assert.deepEqual((await query.list({ purpose: 'orders', subjectId: bob })).events.map((e) => e.operation), ['collection']);
      assert.deepEqual((await query.list({ purpose: 'marketing' })).events, []);
    });

    it('returns every event once across pages, in time, stream and sequence order, the last page without a cursor', async () => {
      const all = (await query.list({})).events;
      const sorted = [...all].sort((a, b) => a.at - b.at || (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : a.seq - b.seq));
      assert.deepEqual(all, sorted);
      const seen = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await query.list({}, { limit: 2, ...(cursor ? { cursor } : {}) });
        seen.push(...page.events);
        cursor = page.next ?? undefined;
        pages++;
      } while (cursor);
      assert.deepEqual(seen, all);
      assert.equal(pages, 3);
      const exact = await query.list({ subjectId: alice }, { limit: 3 });
      assert.equal(exact.events.length, 3);
      assert.equal(exact.next, null, 'a page that ends the results says so');
      assert.equal(typeof (await query.list({ subjectId: alice }, { limit: 2 })).next, 'string');
    });

    it('refuses a cursor it did not hand out', async () => {
      const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      for (const cursor of ['!!!', Buffer.from('not json').toString('base64url'), forged({ at: 1 }), forged([1, 'p00']), forged([1, 'p00', 2, 3]), forged(['1', 'p00', 2]), forged([1, 7, 2]), forged([1, 'p00', 2.5]), forged([1.5, 'p00', 2]), forged(null)]) {
        assert.deepEqual(await invalid(query.list({}, { cursor })), ['The query is invalid: cursor is not a cursor this API returned', 'querystring.cursor', 'is not a cursor this API returned'], cursor);
      }
    });

    it('answers a subject’s history, and not-found for a subject the journal never saw', async () => {
      const history = await query.subjectHistory(bob, {});
      assert.deepEqual(history.events.map((e) => [e.subjectId, e.operation]), [[bob, 'collection'], [bob, 'collection']]);
      assert.deepEqual(await query.subjectHistory(bob, { operation: 'extraction' }), { events: [], next: null }, 'a known subject with nothing matching has an empty history');
      await assert.rejects(query.subjectHistory('00000000-0000-4000-8000-000000000000', {}), (e: unknown) => e instanceof CustodianError && e.code === 'not_found' && e.message === 'The journal holds no events for this subject' && e.details[0].path === 'id');
      const beyond = Buffer.from(JSON.stringify([Number.MAX_SAFE_INTEGER, 'p99', 1])).toString('base64url');
      assert.deepEqual(await query.subjectHistory('00000000-0000-4000-8000-000000000000', {}, { cursor: beyond }), { events: [], next: null }, 'a later page is just empty');
    });
  });
}
