/**
 * API keys, managed over HTTP by an `admin` key (the CLI's `apikey` commands do the same
 * from the machine). A key's secret is shown once, in the answer that creates it; the store
 * keeps a hash. Revocation applies at once on every node (the `apikey` change event).
 */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { SCOPES } from '../../access/api-keys.js';
import { notFound } from '../../errors.js';
import { requireScope } from '../auth.js';
import { ErrorBody } from '../errors.js';
import { isoTime, literalUnion } from '../schemas.js';
import type { RouteDeps } from './deps.js';

const KeyView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  scopes: Type.Array(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

const KeyId = Type.Object({ id: Type.String({ pattern: '^[a-f0-9]{16}$', description: 'The key id (the 16 hex digits after `cust_`)' }) }, { additionalProperties: false });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export const accessRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { custodian }) => {
  const { apiKeys } = custodian;
  const admin = requireScope(apiKeys, 'admin');

  app.get(
    '/v1/apikeys',
    { onRequest: admin, schema: { tags: ['access'], summary: 'API keys (never their secrets)', security: [{ bearer: [] }], response: { 200: Type.Object({ keys: Type.Array(KeyView) }), ...errors } } },
    async () => ({
      keys: (await apiKeys.list()).map((k) => ({ ...k, createdAt: isoTime(k.createdAt), lastUsedAt: isoTime(k.lastUsedAt), revokedAt: isoTime(k.revokedAt) })),
    }),
  );

  app.post(
    '/v1/apikeys',
    {
      onRequest: admin,
      schema: {
        tags: ['access'],
        summary: 'Create an API key; its secret is in this answer only',
        security: [{ bearer: [] }],
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100, description: 'Who or what uses the key' }),
            scopes: Type.Array(literalUnion(SCOPES), { minItems: 1, maxItems: SCOPES.length, uniqueItems: true, description: '`admin` grants every scope' }),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ id: Type.String(), key: Type.String({ description: 'The key to send as `Authorization: Bearer …`; shown only now' }), scopes: Type.Array(Type.String()) }), ...errors },
      },
    },
    async (request, reply) => reply.status(201).header('cache-control', 'no-store').send(await apiKeys.create(request.body.name, request.body.scopes)),
  );

  app.delete(
    '/v1/apikeys/:id',
    { onRequest: admin, schema: { tags: ['access'], summary: 'Revoke an API key, at once on every node', security: [{ bearer: [] }], params: KeyId, response: { 200: Type.Object({ id: Type.String(), revoked: Type.Literal(true) }), ...errors } } },
    async (request) => {
      if (!(await apiKeys.revoke(request.params.id))) throw notFound('Active API key', 'id');
      return { id: request.params.id, revoked: true as const };
    },
  );
};
