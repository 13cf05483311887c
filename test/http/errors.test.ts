import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { CustodianError } from '../../src/errors.js';
import { buildApp } from '../../src/http/app.js';
import { toErrorResponse } from '../../src/http/errors.js';
import { createLogger } from '../../src/http/logging.js';
import { createTestApp, type TestApp } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';

/** The one error shape, and nothing else in it. */
function assertErrorShape(body: unknown, code: string): void {
  const error = (body as { error?: Record<string, unknown> }).error;
  assert.ok(error && typeof error === 'object', `an error object: ${JSON.stringify(body)}`);
  assert.deepEqual(Object.keys(body as object), ['error']);
  assert.deepEqual(Object.keys(error).sort(), ['code', 'details', 'message']);
  assert.equal(error.code, code);
  assert.equal(typeof error.message, 'string');
  assert.ok(Array.isArray(error.details));
  for (const detail of error.details as Record<string, unknown>[]) {
    assert.equal(typeof detail.path, 'string');
    assert.equal(typeof detail.message, 'string');
  }
}

describe('error mapping', () => {
  it('passes a detail’s code through and leaves it out when there is none', () => {
    const { status, body } = toErrorResponse(
      new CustodianError('denied', 'Refused', [
        { path: 'items[0]', message: 'no consent', code: 'consent_missing' },
        { path: 'purpose', message: 'is not declared' },
      ]),
    );
    assert.equal(status, 403);
    assert.deepEqual(body.error.details, [
      { path: 'items[0]', message: 'no consent', code: 'consent_missing' },
      { path: 'purpose', message: 'is not declared' },
    ]);
  });

  it('names unknown fields only when the name looks like one, never quoting an odd key', () => {
    const validation = (instancePath: string, params: Record<string, unknown>, keyword = 'additionalProperties') =>
      Object.assign(new Error('body/x must NOT have additional properties'), { validation: [{ instancePath, keyword, params, message: 'must NOT have additional properties' }], validationContext: 'body' });
    assert.deepEqual(toErrorResponse(validation('/items/0', { additionalProperty: 'colour' })).body.error.details, [{ path: 'items[0].colour', message: 'unknown field' }]);
    for (const odd of ['aigerim@example.kz', 'x'.repeat(200), 'a\u0000b', 'пароль', '\ud800', '😀']) {
      const { body } = toErrorResponse(validation('', { additionalProperty: odd }));
      assert.deepEqual(body.error.details, [{ path: '*', message: 'unknown field' }]);
      // A user-chosen key inside a record is not quoted either.
      const nested = toErrorResponse(validation(`/transforms/${odd}`, { allowedValues: [] }, 'enum')).body;
      assert.deepEqual(nested.error.details.map((d) => d.path), ['transforms.*']);
    }
  });

  it('names the body itself when the whole body has the wrong type', () => {
    const error = Object.assign(new Error('body must be object'), { validation: [{ instancePath: '', keyword: 'type', params: { type: 'object' }, message: 'must be object' }], validationContext: 'body' });
    assert.deepEqual(toErrorResponse(error).body.error.details, [{ path: 'body', message: 'must be object' }]);
  });

  it('maps router errors to fixed text', () => {
    const badUrl = Object.assign(new URIError("'/v1/subjects/%E0%A4%A' is not a valid url component"), { code: 'FST_ERR_BAD_URL', statusCode: 400 });
    assert.deepEqual(toErrorResponse(badUrl), { status: 400, body: { error: { code: 'bad_url', message: 'The URL is not valid: it has a malformed percent-encoding', details: [{ path: 'url', message: 'is not valid percent-encoded UTF-8' }] } } });
    const tooLong = Object.assign(new URIError("'/v1/subjects/aaaa' is exceeding the max param length"), { code: 'FST_ERR_MAX_PARAM_LENGTH', statusCode: 414 });
    assert.equal(toErrorResponse(tooLong).status, 414);
    assert.equal(toErrorResponse(tooLong).body.error.code, 'uri_too_long');
    assert.ok(!JSON.stringify(toErrorResponse(tooLong).body).includes('aaaa'));
  });
});

for (const engine of ENGINES) {
  describe(`framework errors over HTTP (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(engine);
    });
    after(async () => {
      await t?.close();
    });

    it('answers a too-long path parameter in the error shape, without the URL', async () => {
      const long = 'a'.repeat(300);
      for (const url of [`/v1/subjects/${long}`, `/v1/subjects/${long}/data?purpose=orders`, `/v1/consents/${long}/receipt`]) {
        const res = await t.app.inject({ method: 'GET', url, headers: t.headers });
        assert.equal(res.statusCode, 414, res.body);
        assert.match(String(res.headers['content-type']), /^application\/json/);
        assertErrorShape(res.json(), 'uri_too_long');
        assert.deepEqual(res.json().error.details.map((d: { path: string }) => d.path), ['url']);
        assert.ok(!res.body.includes('aaaaaaaaaa') && !res.body.includes('/v1/'), res.body);
      }
    });

    it('answers a badly encoded path in the error shape, without the URL', async () => {
      for (const url of ['/v1/subjects/%E0%A4%A', '/v1/subjects/%E0%A4%A/data', '/%E0%A4%A', '/v1/nothing-here/%E0%A4%A', '/unsubscribe/%FF']) {
        const res = await t.app.inject({ method: 'GET', url, headers: t.headers });
        assert.equal(res.statusCode, 400, res.body);
        assertErrorShape(res.json(), 'bad_url');
        assert.ok(!res.body.includes('%E0') && !res.body.includes('%FF') && !res.body.includes('/v1/'), res.body);
      }
    });

    it('answers without a key the same way: the router fails before authentication', async () => {
      const res = await t.app.inject({ method: 'POST', url: '/v1/subjects/%E0%A4%A/data', payload: { items: [] } });
      assert.equal(res.statusCode, 400);
      assertErrorShape(res.json(), 'bad_url');
    });

    it('answers an unknown route and an unsupported content type in the error shape, without the URL', async () => {
      const missing = await t.app.inject({ method: 'GET', url: '/v1/no-such-thing/aigerim@example.kz?q=secret', headers: t.headers });
      assert.equal(missing.statusCode, 404);
      assertErrorShape(missing.json(), 'route_not_found');
      assert.ok(!missing.body.includes('aigerim') && !missing.body.includes('secret'), missing.body);

      const xml = await t.app.inject({ method: 'POST', url: '/v1/subjects', headers: { ...t.headers, 'content-type': 'application/xml' }, payload: '<email>aigerim@example.kz</email>' });
      assert.equal(xml.statusCode, 415);
      assertErrorShape(xml.json(), 'unsupported_media_type');
      assert.ok(!xml.body.includes('aigerim'));
    });

    it('logs router failures without the URL', async () => {
      let logged = '';
      const logger = createLogger('info', new Writable({ write: (chunk, _encoding, done) => ((logged += chunk), done()) }));
      const app = await buildApp(t.t.custodian, { logger });
      try {
        for (const url of ['/v1/subjects/%E0%A4%A?email=aigerim', `/v1/subjects/aigerim${'a'.repeat(300)}`, '/v1/nothing/aigerim']) {
          assert.ok((await app.inject({ method: 'GET', url, headers: t.headers })).statusCode >= 400);
        }
      } finally {
        await app.close();
      }
      assert.equal(logged.split('\n').filter((line) => line.includes('incoming request')).length, 3, logged);
      assert.ok(!logged.includes('aigerim') && !logged.includes('%E0'), logged);
    });

    it('answers a malformed HTTP request on the socket in the error shape', async () => {
      const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = new URL(address);
      const raw = await new Promise<string>((resolve, reject) => {
        let received = '';
        const socket = connect(Number(port), '127.0.0.1', () => socket.write('GET /v1/subjects HTTP/1.1\r\nHost: x\r\nBad Header With Spaces: aigerim@example.kz\r\n\r\n'));
        socket.on('data', (d) => (received += d));
        socket.on('close', () => resolve(received));
        socket.on('error', reject);
      });
      assert.match(raw, /^HTTP\/1\.1 400 /);
      const body = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4));
      assertErrorShape(body, 'bad_request');
      assert.ok(!raw.includes('aigerim'));
    });
  });
}
