/**
 * DESIGN principle 3: no plaintext personal data in database files, dumps, logs or error
 * bodies. Writes distinctive values through the API, then searches the raw SQLite files
 * (database and WAL), a pg_dump of the PostgreSQL database, the server log and every
 * response body for them.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { buildApp } from '../../src/http/app.js';
import { createLogger } from '../../src/http/logging.js';
import { createTestCustodian, type TestCustodian } from '../support/custodian.js';
import { marketingConsent } from '../support/consents.js';
import { ENGINES, engineSkip, PG_ADMIN_URL } from '../support/engines.js';

const MARKERS = {
  email: 'zarina.plaintextcheck@example.kz',
  phone: '+77019998877',
  name: 'Zarina Plaintextcheckova',
  address: 'Plaintextcheck street 42',
  badValue: 'Rejectedvalue Plaintextcheck',
  consentName: 'Zarina Consentnamecheck Nurlanovna',
  rectified: 'Zarina Rectifiedcheckova',
  street: 'Depersonalizedcheck avenue 7',
};

for (const engine of ENGINES) {
  describe(`no plaintext personal data at rest or in logs (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    let log = '';
    const bodies: string[] = [];
    let metrics = '';
    let unsubscribeToken = '';

    before(async () => {
      t = await createTestCustodian(engine);
      const sink = new Writable({
        write(chunk, _enc, done) {
          log += chunk.toString();
          done();
        },
      });
      const app = await buildApp(t.custodian, { logger: createLogger('trace', sink), bodyLimit: 4096 });
      const key = (await t.custodian.apiKeys.create('test', ['admin'])).key;
      const headers = { authorization: `Bearer ${key}` };
      const call = async (method: 'GET' | 'POST', url: string, payload?: unknown) => {
        const res = await app.inject({ method, url, headers, payload: payload as object });
        bodies.push(res.body);
        return res;
      };
      const subject = await call('POST', '/v1/subjects', { identifiers: [{ type: 'email', value: MARKERS.email }, { type: 'phone', value: MARKERS.phone }] });
      const id = subject.json().id;
      await call('POST', `/v1/subjects/${id}/data`, {
        items: [
          { category: 'user.name', value: MARKERS.name, purpose: 'orders', source: 'direct' },
          { category: 'user.contact.address', value: { line: MARKERS.address }, purpose: 'orders', source: 'direct' },
        ],
      });
      // Rejected requests carrying values: validation, policy and parse errors.
      await call('POST', `/v1/subjects/${id}/data`, { items: [{ category: 'user.name', value: MARKERS.badValue, purpose: 'profiling', source: 'direct' }] });
      await call('POST', `/v1/subjects/${id}/data`, { items: [{ category: 'user.name', value: MARKERS.badValue, purpose: 'orders', source: 'direct', extra: MARKERS.badValue }] });
      await call('POST', '/v1/subjects', { identifiers: [{ type: 'email', value: `not-an-email ${MARKERS.badValue}` }] });
      // Consent with the subject's full name (94-V art. 8(4)), a receipt and its readable copy.
      const version = t.custodian.policies.active().number;
      const consent = await call('POST', `/v1/subjects/${id}/consents`, marketingConsent(version, { subjectFullName: MARKERS.consentName }));
      assert.equal(consent.statusCode, 201, consent.body);
      await call('GET', `/v1/consents/${consent.json().id}/receipt`);
      // Rectification, a disclosure, and depersonalization of an address.
      const items = (await call('GET', `/v1/subjects/${id}/data?purpose=orders`)).json().items as { id: string; category: string }[];
      const nameItem = items.find((i) => i.category === 'user.name')!;
      assert.equal((await app.inject({ method: 'PATCH', url: `/v1/subjects/${id}/data/${nameItem.id}`, headers, payload: { value: MARKERS.rectified } })).statusCode, 200);
      assert.equal((await call('POST', '/v1/disclosures', { subjectId: id, recipient: 'courier', purpose: 'orders', categories: ['user.name'] })).statusCode, 201);
      const other = (await call('POST', '/v1/subjects', { identifiers: [{ type: 'email', value: 'deperson.plaintextcheck@example.kz' }] })).json().id;
      await call('POST', `/v1/subjects/${other}/data`, { items: [{ category: 'user.contact.address', value: { city: 'Almaty', street: MARKERS.street }, purpose: 'orders', source: 'direct' }] });
      assert.equal((await call('POST', `/v1/subjects/${other}/depersonalize`, {})).statusCode, 200);
      const read = await call('GET', `/v1/subjects/${id}/data?purpose=orders`);
      assert.equal(read.json().items.find((i: { category: string }) => i.category === 'user.name').value, MARKERS.rectified, 'the value is readable through the API');
      // An unsubscribe link opened from an e-mail: its token must not reach the log.
      unsubscribeToken = new URL(await t.custodian.consents.unsubscribeLink(id, 'marketing'), 'http://x').searchParams.get('token')!;
      assert.equal((await app.inject({ method: 'GET', url: `/unsubscribe?token=${encodeURIComponent(unsubscribeToken)}` })).statusCode, 200);
      // A value misplaced into a path, sent without a key: refused, and not logged.
      assert.equal((await app.inject({ method: 'GET', url: `/v1/subjects/${encodeURIComponent(MARKERS.email)}/consents` })).statusCode, 401);
      metrics = (await call('GET', '/metrics')).body;
      await t.custodian.checkpoint();
      await app.close();
    });
    after(async () => t.dispose());

    const leaks = (text: string) => Object.entries(MARKERS).filter(([, value]) => text.includes(value) || text.includes(value.toLowerCase()));

    it('the database files hold none of the values', () => {
      let raw = '';
      if (t.database.location.engine === 'sqlite') {
        for (const suffix of ['', '-wal', '-shm']) {
          const path = `${t.database.location.path}${suffix}`;
          if (existsSync(path)) raw += readFileSync(path).toString('latin1');
        }
        assert.ok(raw.length > 10_000, 'read the SQLite files');
      } else {
        const url = new URL(PG_ADMIN_URL);
        raw = execFileSync('pg_dump', ['-h', url.hostname, '-p', url.port || '5432', '-U', url.username || 'postgres', '--no-owner', t.database.pgDatabase!], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
        assert.match(raw, /COPY public\.data_item/, 'pg_dump dumped the tables');
      }
      assert.deepEqual(leaks(raw), []);
    });

    it('the log holds none of the values, and no link tokens', () => {
      assert.ok(log.includes('"statusCode":201'), 'requests were logged');
      assert.ok(log.includes('"url":"/unsubscribe"'), 'the unsubscribe request was logged');
      assert.deepEqual(leaks(log), []);
      assert.ok(unsubscribeToken.length > 20 && !log.includes(unsubscribeToken.slice(0, 20)));
    });

    it('the metrics hold none of the values and no subject ids', () => {
      assert.match(metrics, /custodian_decisions_total\{operation="collection",outcome="allow",purpose="orders"\}/);
      assert.deepEqual(leaks(metrics), []);
      assert.ok(!/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-/.test(metrics));
    });

    it('error bodies hold none of the values', () => {
      const errors = bodies.filter((b) => b.includes('"error"'));
      assert.equal(errors.length, 3);
      assert.deepEqual(leaks(errors.join('\n')), []);
    });
  });
}
