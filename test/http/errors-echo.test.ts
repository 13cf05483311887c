/**
 * Error bodies never quote what the caller sent. Each case sends input whose default
 * message (the JSON parser's, the router's, ajv's, an unexpected error's) would repeat
 * it, and checks the answer has the one error shape, the right status, and none of it.
 */
import assert from 'node:assert/strict';
import { Duplex } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { CustodianError, type ErrorCode } from '../../src/errors.js';
import { clientErrorHandler, errorBody, errorHandler, toErrorResponse } from '../../src/http/errors.js';
import { createTestApp, type TestApp } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';

const SECRET = 'aigerim.nurlanovna@example.kz';

const validation = (errors: { instancePath: string; keyword: string; params?: Record<string, unknown>; message?: string }[], context = 'body') =>
  Object.assign(new Error(`${context}/x ${SECRET}`), { validation: errors.map((e) => ({ params: {}, ...e })), validationContext: context });

describe('validation errors', () => {
  it('name the field in a path of names and indexes, with the schema’s words, not the value', () => {
    const { status, body } = toErrorResponse(
      validation([
        { instancePath: '/items/12/value', keyword: 'type', message: 'must be string' },
        { instancePath: '/items/0', keyword: 'required', params: { missingProperty: 'purpose' }, message: `must have required property 'purpose'` },
        { instancePath: '', keyword: 'additionalProperties', params: { additionalProperty: 'colour' }, message: 'must NOT have additional properties' },
        { instancePath: '/identifiers/0/type', keyword: 'enum' },
      ]),
    );
    assert.equal(status, 400);
    assert.deepEqual(body, {
      error: {
        code: 'validation_failed',
        message: 'The request is invalid',
        details: [
          { path: 'items[12].value', message: 'must be string' },
          { path: 'items[0].purpose', message: 'is required' },
          { path: 'colour', message: 'unknown field' },
          { path: 'identifiers[0].type', message: 'is invalid' },
        ],
      },
    });
  });

  it('prefix the part of the request: querystring, params, headers — the body goes unnamed', () => {
    const at = (context: string, instancePath: string) => toErrorResponse(validation([{ instancePath, keyword: 'type', message: 'must be integer' }], context)).body.error.details[0].path;
    assert.equal(at('querystring', '/limit'), 'querystring.limit');
    assert.equal(at('params', '/id'), 'params.id');
    assert.equal(at('params', ''), 'params');
    assert.equal(at('body', '/limit'), 'limit');
    assert.equal(at('body', ''), 'body');
    assert.equal(toErrorResponse(Object.assign(new Error('x'), { validation: [{ instancePath: '/a', keyword: 'type', params: {}, message: 'must be string' }] })).body.error.details[0].path, 'a', 'no context given');
  });

  it('unescape JSON-pointer segments, and show a key that is not a name as *', () => {
    const path = (instancePath: string) => toErrorResponse(validation([{ instancePath, keyword: 'type', message: 'must be string' }])).body.error.details[0].path;
    assert.equal(path('/transforms/user~1name'), 'transforms.*', 'a slash is no part of a name');
    assert.equal(path('/a~0b'), '*');
    assert.equal(path('/user.name'), 'user.name');
    assert.equal(path('/_x-1'), '_x-1');
    assert.equal(path('/1234567890'), '*', 'ten digits is not an index');
    assert.equal(path('/123456789'), '[123456789]');
    assert.equal(path(`/${'a'.repeat(64)}`), 'a'.repeat(64));
    assert.equal(path(`/${'a'.repeat(65)}`), '*');
    assert.equal(path('/9lives'), '*', 'a name starts with a letter or _');
    assert.equal(path(`/${SECRET}`), '*');
    assert.equal(path('/items/0/x'), 'items[0].x');
  });
});

describe('other errors', () => {
  it('map every service error code to its status, keeping the message and details', () => {
    const expected: Record<ErrorCode, number> = {
      validation_failed: 400,
      not_found: 404,
      conflict: 409,
      purpose_not_declared: 422,
      category_not_declared: 422,
      category_not_allowed_for_purpose: 422,
      operation_not_allowed: 422,
      source_not_declared: 422,
      value_invalid: 422,
      consent_not_applicable: 422,
      consent_incomplete: 422,
      objection_not_applicable: 422,
      link_invalid: 400,
      public_url_missing: 503,
      denied: 403,
      subject_not_active: 409,
      policy_invalid: 422,
      policy_not_published: 503,
      unauthenticated: 401,
      forbidden: 403,
    };
    for (const [code, status] of Object.entries(expected) as [ErrorCode, number][]) {
      const response = toErrorResponse(new CustodianError(code, `about ${code}`, [{ path: 'x', message: 'y' }]));
      assert.deepEqual(response, { status, body: { error: { code, message: `about ${code}`, details: [{ path: 'x', message: 'y' }] } } }, code);
    }
    assert.deepEqual(errorBody('c', 'm'), { error: { code: 'c', message: 'm', details: [] } });
  });

  it('turn the parser’s and the framework’s errors into fixed text', () => {
    const fastify = (code: string, statusCode = 400) => Object.assign(new Error(`${code}: ${SECRET}`), { code, statusCode });
    const cases: [Error, number, string][] = [
      [Object.assign(new SyntaxError(`Unexpected token 'a', "${SECRET}" is not valid JSON`), { statusCode: 400 }), 400, 'malformed_json'],
      [fastify('FST_ERR_CTP_INVALID_JSON'), 400, 'malformed_json'],
      [fastify('FST_ERR_CTP_INVALID_JSON_BODY'), 400, 'malformed_json'],
      [fastify('FST_ERR_CTP_EMPTY_JSON_BODY'), 400, 'malformed_json'],
      [fastify('FST_ERR_CTP_BODY_TOO_LARGE', 413), 413, 'payload_too_large'],
      [fastify('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415), 415, 'unsupported_media_type'],
      [fastify('FST_ERR_CTP_INVALID_CONTENT_LENGTH'), 400, 'bad_request'],
      [fastify('FST_ERR_BAD_URL'), 400, 'bad_url'],
      [fastify('FST_ERR_INVALID_URL'), 400, 'bad_url'],
      [fastify('FST_ERR_MAX_PARAM_LENGTH', 414), 414, 'uri_too_long'],
      [fastify('FST_ERR_SOMETHING_ELSE', 405), 405, 'bad_request'],
      [fastify('FST_ERR_SOMETHING_ELSE', 499), 499, 'bad_request'],
      [fastify('FST_ERR_SOMETHING_ELSE', 500), 500, 'internal_error'],
      [fastify('FST_ERR_SOMETHING_ELSE', 399), 500, 'internal_error'],
      [new Error(SECRET), 500, 'internal_error'],
      [new SyntaxError(`Unexpected token in ${SECRET}`), 500, 'internal_error'],
    ];
    for (const [error, status, code] of cases) {
      const response = toErrorResponse(error);
      assert.equal(response.status, status, `${error.message}`);
      assert.equal(response.body.error.code, code, `${error.message}`);
      assert.ok(!JSON.stringify(response.body).includes('aigerim'), JSON.stringify(response.body));
    }
    assert.equal(toErrorResponse(fastify('FST_ERR_CTP_BODY_TOO_LARGE', 413)).body.error.message, 'The request body is larger than the limit');
    assert.equal(toErrorResponse(fastify('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415)).body.error.message, 'Unsupported Content-Type');
    assert.equal(toErrorResponse(fastify('FST_ERR_CTP_INVALID_CONTENT_LENGTH')).body.error.message, 'Content-Length does not match the body');
    assert.equal(toErrorResponse(fastify('FST_ERR_SOMETHING_ELSE', 405)).body.error.message, 'The request could not be processed');
    assert.deepEqual(toErrorResponse(new Error(SECRET)).body, { error: { code: 'internal_error', message: 'Internal error', details: [] } });
    assert.deepEqual(toErrorResponse(fastify('FST_ERR_MAX_PARAM_LENGTH', 414)).body.error.details, [{ path: 'url', message: 'a path segment is too long' }]);
    assert.equal(toErrorResponse(fastify('FST_ERR_MAX_PARAM_LENGTH', 414)).body.error.message, 'A path parameter is longer than the limit');
    assert.equal(toErrorResponse(fastify('FST_ERR_CTP_EMPTY_JSON_BODY')).body.error.message, 'The request body is not valid JSON');
  });

  it('are logged by class, code and stack only, and only when the fault is the server’s', () => {
    const logged: unknown[] = [];
    const reply = { code: 0, sent: undefined as unknown, status(n: number) { this.code = n; return this; }, send(body: unknown) { this.sent = body; return this; } };
    const request = { log: { error: (entry: unknown, message: string) => logged.push([entry, message]) } };
    const failure = Object.assign(new TypeError(`cannot read ${SECRET}`), { code: 'ERR_X' });
    errorHandler(failure, request as never, reply as never);
    assert.equal(reply.code, 500);
    assert.deepEqual(reply.sent, { error: { code: 'internal_error', message: 'Internal error', details: [] } });
    assert.equal(logged.length, 1);
    const [[entry, message]] = logged as [[{ err: { type: string; code: string; stack: string } }, string]];
    assert.equal(message, 'request failed');
    assert.equal(entry.err.type, 'TypeError');
    assert.equal(entry.err.code, 'ERR_X');
    assert.ok(entry.err.stack.length > 0 && !entry.err.stack.includes('aigerim'), 'the stack without its first line, which quotes the message');
    assert.ok(!JSON.stringify(logged).includes('aigerim'));

    errorHandler(new CustodianError('not_found', 'Subject not found'), request as never, reply as never);
    assert.equal(reply.code, 404);
    assert.equal(logged.length, 1, 'a client error is not logged as a failure');
  });
});

describe('malformed HTTP on the socket', () => {
  class FakeSocket extends Duplex {
    written = '';
    override _read() {}
    override _write(chunk: Buffer, _encoding: string, done: () => void) {
      this.written += chunk.toString();
      done();
    }
  }
  const answer = (error: Error & { code?: string }, prepare: (s: FakeSocket) => void = () => {}) => {
    const socket = new FakeSocket();
    prepare(socket);
    clientErrorHandler(error, socket);
    return socket;
  };
  const parse = (raw: string) => ({ head: raw.slice(0, raw.indexOf('\r\n\r\n')), body: JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)) });

  it('gets an answer in the error shape, with a status for timeouts and oversized headers', () => {
    const cases: [string | undefined, number, string, string][] = [
      ['ERR_HTTP_REQUEST_TIMEOUT', 408, 'Request Timeout', 'request_timeout'],
      ['HPE_HEADER_OVERFLOW', 431, 'Request Header Fields Too Large', 'headers_too_large'],
      ['HPE_INVALID_HEADER_TOKEN', 400, 'Bad Request', 'bad_request'],
      [undefined, 400, 'Bad Request', 'bad_request'],
    ];
    for (const [code, status, reason, errorCode] of cases) {
      const socket = answer(Object.assign(new Error(`Parse Error: ${SECRET}`), code ? { code } : {}));
      const { head, body } = parse(socket.written);
      const text = JSON.stringify(body);
      assert.equal(head, `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close`);
      assert.equal(body.error.code, errorCode);
      assert.ok(!socket.written.includes('aigerim'));
      assert.equal(socket.destroyed, true);
    }
    assert.equal(parse(answer(Object.assign(new Error('x'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' })).written).body.error.message, 'The request took too long to arrive');
    assert.equal(parse(answer(Object.assign(new Error('x'), { code: 'HPE_HEADER_OVERFLOW' })).written).body.error.message, 'The request headers are larger than the limit');
    assert.equal(parse(answer(new Error('x')).written).body.error.message, 'The request is not valid HTTP');
  });

  it('gets nothing written when the peer already went away', () => {
    const reset = answer(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
    assert.equal(reset.written, '');
    const gone = answer(new Error('x'), (s) => s.destroy());
    assert.equal(gone.written, '');
    const closedForWriting = answer(new Error('x'), (s) => s.end());
    assert.equal(closedForWriting.written, '');
    assert.equal(closedForWriting.destroyed, true);
  });
});

for (const engine of ENGINES) {
  describe(`request bodies that would be echoed (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(engine);
    });
    after(async () => t?.close());

    const post = (payload: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'POST', url: '/v1/subjects', headers: { ...t.headers, 'content-type': 'application/json', ...headers }, payload });

    it('answers JSON the parser cannot read with malformed_json, quoting none of it', async () => {
      for (const payload of [SECRET, `{"identifiers":[{"type":"email","value":"${SECRET}"}`, `{"identifiers": ${SECRET}}`, `"${SECRET}`]) {
        const res = await post(payload);
        assert.equal(res.statusCode, 400, payload);
        assert.deepEqual(res.json(), { error: { code: 'malformed_json', message: 'The request body is not valid JSON', details: [] } });
      }
      const empty = await post('');
      assert.equal(empty.statusCode, 400);
      assert.equal(empty.json().error.code, 'malformed_json');
    });

    it('answers a body of the wrong types without repeating the values', async () => {
      const res = await post(JSON.stringify({ identifiers: [{ type: SECRET, value: 7 }], [SECRET]: true }));
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error.code, 'validation_failed');
      assert.ok(res.json().error.details.length > 0);
      assert.ok(!res.body.includes('aigerim'), res.body);
    });

    it('documents the one error shape in the API reference, field by field', async () => {
      const openapi = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
      const response = openapi.paths['/v1/subjects'].post.responses['400'];
      assert.equal(response.description, 'The error shape of every route');
      assert.deepEqual(response.content['application/json'].schema, {
        description: 'The error shape of every route',
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            required: ['code', 'message', 'details'],
            properties: {
              code: { description: 'Stable machine-readable code', type: 'string' },
              message: { type: 'string' },
              details: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['path', 'message'],
                  properties: {
                    path: { description: 'The field at fault, e.g. `items[0].category`', type: 'string' },
                    message: { type: 'string' },
                    code: { description: 'Stable machine-readable code of this detail, e.g. a purpose-gate reason', type: 'string' },
                  },
                },
              },
            },
          },
        },
      });
    });

    it('answers a body over the limit with 413, and an unknown media type with 415', async () => {
      const large = await post(JSON.stringify({ identifiers: [{ type: 'email', value: `${SECRET}${'x'.repeat(1_100_000)}` }] }));
      assert.equal(large.statusCode, 413);
      assert.deepEqual(large.json(), { error: { code: 'payload_too_large', message: 'The request body is larger than the limit', details: [] } });
      const text = await post(`<email>${SECRET}</email>`, { 'content-type': 'application/xml' });
      assert.equal(text.statusCode, 415);
      assert.ok(!text.body.includes('aigerim'));
    });
  });
}
