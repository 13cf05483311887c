/**
 * `GET /v1/journal` for auditors and `GET /v1/subjects/{id}/journal` for a subject's own
 * processing history: filtered, paged in a stable order, values never included.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { streamFor } from '../../src/journal/journal.js';
import { createTestApp, type TestApp } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';

const EVENT_FIELDS = ['actor', 'at', 'categories', 'details', 'hash', 'id', 'operation', 'purpose', 'seq', 'stream', 'subjectId'];
const SECRET_NAME = 'Aigerim Zhaksylykovna';
const SECRET_PHONE = '+77015550123';

interface EventBody {
  id: string;
  stream: string;
  seq: number;
  at: string;
  operation: string;
  subjectId: string | null;
  purpose: string | null;
  hash: string;
}

for (const engine of ENGINES) {
  describe(`journal queries over HTTP (${engine})`, { skip: engineSkip(engine) }, () => {
    let a: TestApp;
    let auditor: Record<string, string>;
    let alice: string;
    let bob: string;
    let start: number;
    let middle: number;

    before(async () => {
      a = await createTestApp(engine);
      auditor = { authorization: `Bearer ${(await a.t.custodian.apiKeys.create('auditor', ['journal:read'])).key}` };
      const { vault, store } = a.t.custodian;
      await store.db.deleteFrom('journal_event').execute();
      await store.db.deleteFrom('journal_head').execute();
      start = a.t.clock.now();
      // Events at one moment (the clock stands still here) fall back to stream, then sequence
      // order: the subject in the lower stream gets more of them, so sequence order alone differs.
      ({ id: alice } = await vault.upsertSubject({ identifiers: [{ type: 'email', value: 'alice@example.kz' }] }, 'test'));
      ({ id: bob } = await vault.upsertSubject({ identifiers: [{ type: 'email', value: 'bob@example.kz' }] }, 'test'));
      const lower = streamFor(alice) < streamFor(bob) ? alice : bob;
      await vault.collect(lower, [{ category: 'user.contact.phone_number', value: SECRET_PHONE, purpose: 'orders', source: 'direct' }], 'test');
      await vault.collect(lower, [{ category: 'user.contact.address', value: 'Abay 1', purpose: 'orders', source: 'direct' }], 'test');
      a.t.clock.advance(60_000);
      middle = a.t.clock.now();
      await vault.collect(alice, [{ category: 'user.name', value: SECRET_NAME, purpose: 'orders', source: 'direct' }], 'test');
      await vault.collect(bob, [{ category: 'user.name', value: 'Bob', purpose: 'orders', source: 'direct' }], 'test');
      a.t.clock.advance(60_000);
      await vault.readForPurpose(alice, 'orders', 'test');
    });
    after(async () => a.close());

    const get = (url: string, headers = auditor) => a.app.inject({ method: 'GET', url, headers });
    const all = async () => a.t.custodian.store.db.selectFrom('journal_event').selectAll().orderBy('at').orderBy('stream').orderBy('seq').execute();

    async function everyPage(url: string, limit: number): Promise<{ events: EventBody[]; pages: number }> {
      const events: EventBody[] = [];
      let pages = 0;
      for (let cursor: string | null = null; ; ) {
        const response = await get(`${url}${url.includes('?') ? '&' : '?'}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(response.statusCode, 200, response.body);
        const page = response.json() as { events: EventBody[]; next: string | null };
        assert.ok(page.events.length <= limit);
        events.push(...page.events);
        pages++;
        if (!page.next) break;
        cursor = page.next;
      }
      return { events, pages };
    }

    it('needs the journal:read scope', async () => {
      assert.equal((await get('/v1/journal', {})).statusCode, 401);
      const other = { authorization: `Bearer ${(await a.t.custodian.apiKeys.create('reader', ['subjects:read'])).key}` };
      const forbidden = await get('/v1/journal', other);
      assert.equal(forbidden.statusCode, 403);
      assert.equal(forbidden.json().error.code, 'forbidden');
      assert.equal((await get(`/v1/subjects/${alice}/journal`, other)).statusCode, 403);
      assert.equal((await get('/v1/journal')).statusCode, 200);
    });

    it('returns every event in time, stream, sequence order across pages, each once, with the event fields only', async () => {
      const rows = await all();
      assert.equal(rows.length, 7);
      assert.equal(new Set(rows.slice(0, 4).map((r) => r.at)).size, 1, 'four events share a time');
      const { events, pages } = await everyPage('/v1/journal', 2);
      assert.equal(pages, Math.ceil(rows.length / 2));
      assert.deepEqual(
        events.map((e) => [e.id, e.stream, e.seq, Date.parse(e.at), e.hash]),
        rows.map((r) => [r.id, r.stream, Number(r.seq), Number(r.at), r.hash]),
      );
      for (const event of events) assert.deepEqual(Object.keys(event).sort(), EVENT_FIELDS);
      const first = (await get('/v1/journal')).json();
      assert.equal(first.events.length, rows.length, 'the default page holds them all');
      assert.equal(first.next, null);
    });

    it('never includes personal-data values', async () => {
      const text = (await get('/v1/journal?limit=1000')).body + (await get(`/v1/subjects/${alice}/journal`)).body;
      assert.ok(!text.includes(SECRET_NAME) && !text.includes(SECRET_PHONE) && !text.includes('alice@example.kz'));
    });

    it('filters by subject, operation, purpose and period', async () => {
      const rows = await all();
      const expect = (filter: (r: (typeof rows)[number]) => boolean) => rows.filter(filter).map((r) => r.id);
      const ids = async (query: string) => ((await get(`/v1/journal?${query}`)).json().events as EventBody[]).map((e) => e.id);

      assert.deepEqual(await ids(`subjectId=${bob}`), expect((r) => r.subject_id === bob));
      assert.deepEqual(await ids('operation=extraction'), expect((r) => r.operation === 'extraction'));
      assert.ok((await ids('operation=extraction')).length > 0);
      assert.deepEqual(await ids('purpose=orders'), expect((r) => r.purpose === 'orders'));
      assert.deepEqual(await ids(`from=${new Date(middle).toISOString()}`), expect((r) => Number(r.at) >= middle));
      assert.deepEqual(await ids(`to=${new Date(middle).toISOString()}`), expect((r) => Number(r.at) < middle));
      assert.deepEqual(
        await ids(`subjectId=${alice}&operation=collection&from=${new Date(start).toISOString()}&to=${new Date(middle + 1).toISOString()}`),
        expect((r) => r.subject_id === alice && r.operation === 'collection' && Number(r.at) >= start && Number(r.at) < middle + 1),
      );
      assert.deepEqual(await ids('operation=destruction'), []);
    });

    it('does not repeat or skip events appended while someone pages', async () => {
      const first = (await get('/v1/journal?limit=3')).json();
      await a.t.custodian.vault.readForPurpose(bob, 'orders', 'test');
      let cursor: string | null = first.next;
      const seen: EventBody[] = [...first.events];
      while (cursor) {
        const page = (await get(`/v1/journal?limit=3&cursor=${cursor}`)).json();
        seen.push(...page.events);
        cursor = page.next;
      }
      assert.deepEqual(
        seen.map((e) => e.id),
        (await all()).map((r) => r.id),
      );
    });

    it('answers a subject’s own history with the same page shape', async () => {
      const rows = (await all()).filter((r) => r.subject_id === alice);
      const { events, pages } = await everyPage(`/v1/subjects/${alice}/journal`, 1);
      assert.equal(pages, rows.length);
      assert.deepEqual(
        events.map((e) => e.id),
        rows.map((r) => r.id),
      );
      assert.ok(events.every((e) => e.subjectId === alice));
      const extraction = (await get(`/v1/subjects/${alice}/journal?operation=extraction`)).json();
      assert.deepEqual(
        extraction.events.map((e: EventBody) => e.operation),
        rows.filter((r) => r.operation === 'extraction').map(() => 'extraction'),
      );
      const unknown = await get(`/v1/subjects/${randomUUID()}/journal`);
      assert.equal(unknown.statusCode, 404);
      assert.deepEqual(unknown.json().error.details, [{ path: 'id', message: 'no journal events for this subject' }]);
      // A narrow period with nothing in it is an empty history, not an unknown subject.
      const quiet = await get(`/v1/subjects/${alice}/journal?to=${new Date(start).toISOString()}`);
      assert.equal(quiet.statusCode, 200);
      assert.deepEqual(quiet.json(), { events: [], next: null });
    });

    for (const [query, path] of [
      ['from=yesterday', 'querystring.from'],
      ['to=2026-13-01T00:00:00Z', 'querystring.to'],
      ['from=2026-11-23T00:00:00Z&to=2026-11-22T00:00:00Z', 'querystring.to'],
      ['limit=0', 'querystring.limit'],
      ['limit=1001', 'querystring.limit'],
      ['limit=ten', 'querystring.limit'],
      ['cursor=bm90LWEtY3Vyc29y', 'querystring.cursor'],
      ['cursor=%3Cscript%3E', 'querystring.cursor'],
      ['operation=peeking', 'querystring.operation'],
      ['subjectId=alice%40example.kz', 'querystring.subjectId'],
      ['purpose=Secret%20Value', 'querystring.purpose'],
      ['colour=red', 'querystring.colour'],
    ] as const) {
      it(`rejects ${query} with 400 naming ${path}, echoing nothing`, async () => {
        const response = await get(`/v1/journal?${query}`);
        assert.equal(response.statusCode, 400, response.body);
        const { error } = response.json();
        assert.equal(error.code, 'validation_failed');
        assert.ok(
          error.details.some((d: { path: string }) => d.path === path),
          JSON.stringify(error.details),
        );
        for (const echoed of ['yesterday', 'alice@example.kz', 'Secret Value', 'peeking']) assert.ok(!response.body.includes(echoed), response.body);
      });
    }

    it('rejects a malformed subject id in the path', async () => {
      const response = await get('/v1/subjects/not-a-uuid/journal');
      assert.equal(response.statusCode, 400);
      assert.equal(response.json().error.details[0].path, 'params.id');
    });
  });
}
