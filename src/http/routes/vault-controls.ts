/** Blocking, unblocking and depersonalization of a subject's data. */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { BLOCK_REASONS, type Block } from '../../vault/blocking.js';
import { TRANSFORMS } from '../../vault/depersonalize.js';
import { actorOf, requireScope } from '../auth.js';
import { ErrorBody } from '../errors.js';
import { isoTime, literalUnion, PolicyRef } from '../schemas.js';
import type { RouteDeps } from './deps.js';

const BlockView = Type.Object({
  id: Type.String(),
  categories: Type.Union([Type.Array(Type.String()), Type.Null()], { description: 'null: the whole subject' }),
  reason: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  liftedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

const SubjectParams = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody };

const view = (b: Block) => ({ id: b.id, categories: b.categories, reason: b.reason, createdAt: isoTime(b.createdAt), liftedAt: isoTime(b.liftedAt) });

export const vaultControlRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { custodian }) => {
  const { blocks, depersonalizer, apiKeys } = custodian;

  app.post(
    '/v1/subjects/:id/blocks',
    {
      onRequest: requireScope(apiKeys, 'data:write'),
      schema: {
        tags: ['data'],
        summary: 'Block a subject’s data (all of it, or some categories)',
        description: 'Blocked data stays stored but the purpose gate refuses every use and disclosure of it until the block is lifted.',
        security: [{ bearer: [] }],
        params: SubjectParams,
        body: Type.Object({ categories: Type.Optional(Type.Array(PolicyRef('Data category id'), { minItems: 1, maxItems: 200 })), reason: literalUnion(BLOCK_REASONS, 'Why the data is blocked') }, { additionalProperties: false }),
        response: { 201: BlockView, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(view(await blocks.block(request.params.id, request.body, actorOf(request)))),
  );

  app.get(
    '/v1/subjects/:id/blocks',
    { onRequest: requireScope(apiKeys, 'subjects:read'), schema: { tags: ['data'], summary: 'Blocks, current and lifted', security: [{ bearer: [] }], params: SubjectParams, response: { 200: Type.Object({ blocks: Type.Array(BlockView) }), ...errors } } },
    async (request) => ({ blocks: (await blocks.list(request.params.id)).map(view) }),
  );

  app.delete(
    '/v1/subjects/:id/blocks/:blockId',
    {
      onRequest: requireScope(apiKeys, 'data:write'),
      schema: { tags: ['data'], summary: 'Lift a block', security: [{ bearer: [] }], params: Type.Object({ id: Type.String({ format: 'uuid' }), blockId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }), response: { 200: BlockView, ...errors } },
    },
    async (request) => view(await blocks.unblock(request.params.id, request.params.blockId, actorOf(request))),
  );

  app.post(
    '/v1/subjects/:id/depersonalize',
    {
      onRequest: requireScope(apiKeys, 'data:write'),
      schema: {
        tags: ['data'],
        summary: 'Depersonalize items, or the whole subject (irreversible)',
        description:
          'Each item is transformed by category (birth date → year or age band, address/location → city, identifiers suppressed, anything else → a keyed hash whose key is discarded) and stored without any link to the subject; the original is destroyed. With neither itemIds nor categories, the whole subject is depersonalized: identifiers deleted, data key destroyed.',
        security: [{ bearer: [] }],
        params: SubjectParams,
        body: Type.Object(
          {
            itemIds: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: 1000 })),
            categories: Type.Optional(Type.Array(PolicyRef('Data category id'), { minItems: 1, maxItems: 200 })),
            transforms: Type.Optional(Type.Record(Type.String(), literalUnion(TRANSFORMS), { propertyNames: { pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' }, description: 'Transform per category id' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Integer(), wholeSubject: Type.Boolean(), transforms: Type.Record(Type.String(), Type.String()) }), ...errors },
      },
    },
    async (request) => depersonalizer.depersonalize(request.params.id, request.body, actorOf(request)),
  );
};
