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
import pino from 'pino';
import { buildApp, LOG_REDACT } from '../../src/http/app.js';
import { createTestCustodian, type TestCustodian } from '../support/custodian.js';
import { ENGINES, engineSkip, PG_ADMIN_URL } from '../support/engines.js';

const MARKERS = {
  email: 'zarina.plaintextcheck@example.kz',
  phone: '+77019998877',
  name: 'Zarina Plaintextcheckova',
  address: 'Plaintextcheck street 42',
  badValue: 'Rejectedvalue Plaintextcheck',
};

for (const engine of ENGINES) {
  describe(`no plaintext personal data at rest or in logs (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    let log = '';
    const bodies: string[] = [];

    before(async () => {
      t = await createTestCustodian(engine);
      const sink = new Writable({
        write(chunk, _enc, done) {
          log += chunk.toString();
          done();
        },
      });
      const app = await buildApp(t.custodian, { logger: pino({ level: 'trace', redact: { paths: LOG_REDACT, censor: '[redacted]' } }, sink), bodyLimit: 4096 });
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
      const read = await call('GET', `/v1/subjects/${id}/data?purpose=orders`);
      assert.equal(read.json().items.find((i: { category: string }) => i.category === 'user.name').value, MARKERS.name, 'the value is readable through the API');
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

    it('the log holds none of the values', () => {
      assert.ok(log.includes('"statusCode":201'), 'requests were logged');
      assert.deepEqual(leaks(log), []);
    });

    it('error bodies hold none of the values', () => {
      const errors = bodies.filter((b) => b.includes('"error"'));
      assert.equal(errors.length, 3);
      assert.deepEqual(leaks(errors.join('\n')), []);
    });
  });
}
