/**
 * Route schemas compiled on first use behave exactly like Fastify's own eager compilers:
 * the same requests get the same statuses and bodies — rejections naming the field,
 * defaults filled in, response fields outside the schema dropped.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Type } from '@sinclair/typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { lazySchemaCompilers } from '../../src/http/schema-compilers.js';

function appWith(lazy: boolean): FastifyInstance {
  const app = Fastify({
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true, useDefaults: true } },
    ...(lazy ? { schemaController: { compilersFactory: lazySchemaCompilers() } } : {}),
  });
  app.post(
    '/orders/:id',
    {
      schema: {
        params: Type.Object({ id: Type.String({ pattern: '^[a-z]+$' }) }),
        querystring: Type.Object({ locale: Type.String({ default: 'en' }) }, { additionalProperties: false }),
        body: Type.Object({ item: Type.String({ minLength: 1 }), quantity: Type.Integer({ minimum: 1, default: 1 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ id: Type.String(), item: Type.String(), quantity: Type.Integer(), locale: Type.String() }) },
      },
    },
    // The handler returns a field the response schema does not declare; it must not reach the client.
    async (request) => ({ id: (request.params as { id: string }).id, ...(request.body as object), ...(request.query as object), secret: 'not for the client' }),
  );
  return app;
}

const requests = [
  { url: '/orders/abc', payload: { item: 'tea' } },
  { url: '/orders/abc?locale=kk', payload: { item: 'tea', quantity: 3 } },
  { url: '/orders/abc', payload: { item: '', quantity: 0 } },
  { url: '/orders/abc', payload: { item: 'tea', colour: 'red' } },
  { url: '/orders/ABC', payload: { item: 'tea' } },
  { url: '/orders/abc?debug=1', payload: { item: 'tea' } },
  { url: '/orders/abc', payload: { quantity: 'two' } },
  { url: '/orders/abc', payload: { item: 'tea' } },
];

describe('route schemas compiled on first use', () => {
  it('answer every request as the eager compilers do', async () => {
    const eager = appWith(false);
    const lazy = appWith(true);
    try {
      for (const request of requests) {
        const [expected, actual] = await Promise.all([eager, lazy].map((app) => app.inject({ method: 'POST', ...request })));
        assert.equal(actual.statusCode, expected.statusCode, `${request.url} ${JSON.stringify(request.payload)}`);
        assert.deepEqual(actual.json(), expected.json(), `${request.url} ${JSON.stringify(request.payload)}`);
      }
    } finally {
      await Promise.all([eager.close(), lazy.close()]);
    }
  });

  it('fill defaults, drop undeclared response fields and name each invalid field', async () => {
    const app = appWith(true);
    try {
      const ok = await app.inject({ method: 'POST', url: '/orders/abc', payload: { item: 'tea' } });
      assert.deepEqual(ok.json(), { id: 'abc', item: 'tea', quantity: 1, locale: 'en' });
      const bad = await app.inject({ method: 'POST', url: '/orders/abc', payload: { item: '', quantity: 0 } });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.json().message, /body\/item/);
      assert.match(bad.json().message, /body\/quantity/);
      // A later failure reports its own errors, not the previous request's.
      const other = await app.inject({ method: 'POST', url: '/orders/abc', payload: { item: 'tea', colour: 'red' } });
      assert.equal(other.statusCode, 400);
      assert.match(other.json().message, /additional properties/);
      assert.doesNotMatch(other.json().message, /body\/item/);
    } finally {
      await app.close();
    }
  });
});
