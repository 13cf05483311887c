import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createTestApp, type TestCustodian } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';
import { requestCalls, requestEvents, rightsSnapshot } from './support.js';

const OFFSET = /T\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$|Z$/;

for (const engine of ENGINES) {
  describe(`rights requests: intake and the state machine (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    let app: FastifyInstance;
    let headers: Record<string, string>;
    let close: () => Promise<void>;
    let calls: ReturnType<typeof requestCalls>;
    let aigerim: string;

    before(async () => {
      ({ t, app, headers, close } = await createTestApp(engine));
      calls = requestCalls(app, headers);
      aigerim = (await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: 'aigerim@example.kz' }], jurisdiction: 'KZ', locale: 'kk' }, 'test')).id;
    });
    after(async () => close());

    it('finds the subject by identifier and answers with every applicable law’s due moment, earliest first, journaled without the identifier', async () => {
      const res = await calls.file({ type: 'access', identifiers: [{ type: 'email', value: ' Aigerim@Example.kz ' }], channel: 'email' });
      assert.equal(res.statusCode, 201, res.body);
      const body = res.json();
      assert.equal(body.type, 'access');
      assert.equal(body.state, 'received');
      assert.equal(body.subjectId, aigerim);
      assert.equal(body.subjectFound, true);
      assert.deepEqual(body.laws, ['kz'], 'a Kazakh resident of an operator declaring KZ and EU: 94-V');
      assert.equal(body.deadlines.length, 1);
      assert.match(body.deadlines[0].dueAt, OFFSET);
      assert.ok(body.deadlines[0].dueAt.endsWith('+05:00'), `KZ clocks end in Almaty: ${body.deadlines[0].dueAt}`);
      assert.equal(body.deadlines[0].article, '24(1)');
      assert.ok(Date.parse(body.deadlines[0].dueAt) > t.clock.now());

      const events = await requestEvents(t.custodian, body.id);
      assert.equal(events.length, 1);
      assert.equal(events[0].operation, 'recording');
      assert.equal(events[0].subject_id, aigerim);
      assert.ok(!JSON.stringify(events).toLowerCase().includes('aigerim@'), 'no identifier in the journal');
    });

    it('a person of unknown residence gets every declared law, earliest due first', async () => {
      const res = await calls.file({ type: 'rectification', identifiers: [{ type: 'email', value: 'stranger@example.com' }] });
      assert.equal(res.statusCode, 201, res.body);
      const { deadlines, laws, subjectFound, subjectId } = res.json();
      assert.equal(subjectFound, false, 'nobody holds that address: recorded and answered as such');
      assert.equal(subjectId, null);
      assert.deepEqual([...laws].sort(), ['gdpr', 'kz']);
      assert.deepEqual(deadlines.map((d: { law: string }) => d.law).sort(), ['gdpr', 'kz']);
      const times = deadlines.map((d: { dueAt: string }) => Date.parse(d.dueAt));
      assert.deepEqual(times, [...times].sort((a, b) => a - b), 'earliest first');
      assert.equal(deadlines.find((d: { law: string }) => d.law === 'gdpr').article, '12(3)');
    });

    it('links a repeated open request of the same type to the first instead of doubling it', async () => {
      const first = (await calls.file({ type: 'erasure', subjectId: aigerim })).json();
      const again = await calls.file({ type: 'erasure', identifiers: [{ type: 'email', value: 'aigerim@example.kz' }] });
      assert.equal(again.statusCode, 201, again.body);
      assert.equal(again.json().id, first.id);
      assert.equal(again.json().linked, true);
      assert.equal(first.linked, false);
      const rows = await t.custodian.store.db.selectFrom('rights_request').select('id').where('subject_id', '=', aigerim).where('type', '=', 'erasure').execute();
      assert.equal(rows.length, 1);
      const events = await requestEvents(t.custodian, first.id);
      assert.deepEqual(events.map((e) => e.details.event), ['received', 'repeated']);
      // Another type is another request.
      const other = (await calls.file({ type: 'restriction', subjectId: aigerim })).json();
      assert.notEqual(other.id, first.id);
    });

    it('refuses a type no applicable law grants, naming `type`, and writes nothing', async () => {
      const before = await rightsSnapshot(t.custodian);
      const res = await calls.file({ type: 'opt-out', subjectId: aigerim });
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.json().error.code, 'validation_failed');
      assert.deepEqual(res.json().error.details.map((d: { path: string }) => d.path), ['type']);
      assert.deepEqual(await rightsSnapshot(t.custodian), before);
    });

    it('refuses bad input by field and changes nothing', async () => {
      const before = await rightsSnapshot(t.custodian);
      const cases: [object, string][] = [
        [{ type: 'everything', subjectId: aigerim }, 'type'],
        [{ type: 'access', subjectId: aigerim, extra: 1 }, 'extra'],
        [{ type: 'access', identifiers: [{ type: 'email', value: 'not an address' }] }, 'identifiers[0].value'],
        [{ type: 'access', subjectId: '00000000-0000-4000-8000-000000000000' }, 'subjectId'],
        [{ type: 'access', subjectId: aigerim, receivedAt: '2099-01-01T00:00:00Z' }, 'receivedAt'],
      ];
      for (const [payload, path] of cases) {
        const res = await calls.file(payload);
        assert.ok(res.statusCode >= 400 && res.statusCode < 500, res.body);
        assert.ok(res.json().error.details.some((d: { path: string }) => d.path === path), `${path} in ${res.body}`);
        assert.ok(!res.body.includes('not an address'), 'no value echoed');
      }
      assert.deepEqual(await rightsSnapshot(t.custodian), before);
    });

    it('moves received → in-progress on a staff verification, and journals each transition without the note', async () => {
      const filed = (await calls.file({ type: 'withdrawal', subjectId: aigerim })).json();
      const verified = await calls.act(filed.id, 'verify', { method: 'staff', note: 'Saw her ID card 021234567' });
      assert.equal(verified.statusCode, 200, verified.body);
      assert.equal(verified.json().state, 'in-progress');
      assert.equal(verified.json().identity, 'verified');
      assert.equal(verified.json().verificationMethod, 'staff');
      assert.equal((await calls.get(filed.id)).json().state, 'in-progress');
      const again = await calls.act(filed.id, 'verify', { method: 'staff' });
      assert.equal(again.statusCode, 409, again.body);

      const events = await requestEvents(t.custodian, filed.id);
      const transition = events.find((e) => e.operation === 'decision')!;
      assert.deepEqual([transition.details.from, transition.details.to, transition.details.method, transition.details.noted], ['received', 'in-progress', 'staff', true]);
      assert.ok(!JSON.stringify(events).includes('021234567'), 'the note is not kept');
    });

    it('a refusal needs a reason code of the request’s law and carries its article; a closed request stays closed', async () => {
      const filed = (await calls.file({ type: 'rectification', subjectId: aigerim })).json();
      const bad = await calls.act(filed.id, 'refuse', { code: 'manifestly-unfounded' });
      assert.equal(bad.statusCode, 400, 'a GDPR reason is no reason under 94-V');
      assert.deepEqual(bad.json().error.details.map((d: { path: string }) => d.path), ['code']);
      assert.equal((await calls.get(filed.id)).json().state, 'received');

      const refused = await calls.act(filed.id, 'refuse', { code: 'identity-not-confirmed' });
      assert.equal(refused.statusCode, 200, refused.body);
      assert.equal(refused.json().state, 'refused');
      assert.deepEqual(refused.json().refusal, { code: 'identity-not-confirmed', article: '10(2)' });
      assert.ok(refused.json().closedAt);

      for (const action of ['withdraw', 'verify', 'refuse'] as const) {
        const res = await calls.act(filed.id, action, action === 'verify' ? { method: 'staff' } : action === 'refuse' ? { code: 'no-data-held' } : {});
        assert.equal(res.statusCode, 409, `${action}: ${res.body}`);
      }
      const events = await requestEvents(t.custodian, filed.id);
      assert.deepEqual(
        events.filter((e) => e.operation === 'decision').map((e) => [e.details.from, e.details.to, e.details.reason, e.details.article]),
        [['received', 'refused', 'identity-not-confirmed', '10(2)']],
      );
    });

    it('withdrawn by the person from any open state', async () => {
      const filed = (await calls.file({ type: 'access', identifiers: [{ type: 'email', value: 'someone-else@example.com' }] })).json();
      const res = await calls.act(filed.id, 'withdraw');
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().state, 'withdrawn');
      assert.equal((await calls.act(filed.id, 'withdraw')).statusCode, 409);
    });

    it('unknown requests are 404 and reading one needs requests:read', async () => {
      assert.equal((await calls.get('00000000-0000-4000-8000-000000000000')).statusCode, 404);
      const writer = (await t.custodian.apiKeys.create('writer', ['requests:write'])).key;
      const filed = (await calls.file({ type: 'access', subjectId: aigerim })).json();
      const res = await app.inject({ method: 'POST', url: `/v1/requests/${filed.id}/verify`, headers: { authorization: `Bearer ${writer}` }, payload: { method: 'staff' } });
      assert.equal(res.statusCode, 403, 'verifying identity needs requests:verify');
    });
  });
}
