/**
 * Subjects and their personal data. Handlers parse, call one vault function, and map the
 * result; the rules live in the vault.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DATA_SOURCES, JURISDICTIONS, LOCALES } from '../../policy/model.js';
import { IDENTIFIER_TYPES } from '../../vault/identifiers.js';
import type { DataItem } from '../../vault/vault.js';
import { actorOf, requireScope } from '../auth.js';
import { ErrorBody } from '../errors.js';
import { isoTime, literalUnion, PolicyRef, ReasonSchema } from '../schemas.js';
import type { RouteDeps } from './deps.js';


const Identifier = Type.Object(
  {
    type: literalUnion(IDENTIFIER_TYPES, 'Identifier type'),
    value: Type.String({ minLength: 1, maxLength: 320 }),
  },
  { additionalProperties: false },
);

const SubjectBody = Type.Object(
  {
    identifiers: Type.Array(Identifier, { minItems: 1, maxItems: 20 }),
    jurisdiction: Type.Optional(literalUnion(JURISDICTIONS, 'Where the subject resides, for deadlines and rules')),
    locale: Type.Optional(literalUnion(LOCALES, 'Language the subject reads')),
  },
  { additionalProperties: false },
);

const SubjectId = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });

const Subject = Type.Object({
  id: Type.String(),
  state: Type.String(),
  jurisdiction: Type.Union([Type.String(), Type.Null()]),
  locale: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});

const ItemValue = Type.Union([Type.String({ maxLength: 65536 }), Type.Number(), Type.Boolean(), Type.Object({}, { additionalProperties: true }), Type.Array(Type.Unknown())], {
  description: 'The personal-data value; stored encrypted',
});

const Reason = ReasonSchema;

const ItemInput = Type.Object(
  {
    category: PolicyRef('Data category id declared in the policy'),
    value: ItemValue,
    purpose: PolicyRef('Purpose id declared in the policy'),
    source: literalUnion(DATA_SOURCES, 'Where the data came from'),
  },
  { additionalProperties: false },
);

const CollectBody = Type.Object({ items: Type.Array(ItemInput, { minItems: 1, maxItems: 500 }) }, { additionalProperties: false });

const Item = Type.Object({
  id: Type.String(),
  category: Type.String(),
  value: Type.Unknown(),
  purposes: Type.Array(Type.String()),
  source: Type.String(),
  collectedAt: Type.String({ format: 'date-time' }),
  retentionDueAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  state: Type.String(),
  policyVersion: Type.Integer(),
  revision: Type.Integer(),
});

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 413: ErrorBody, 422: ErrorBody };

function itemView(item: DataItem): Static<typeof Item> {
  return { ...item, collectedAt: isoTime(item.collectedAt), retentionDueAt: isoTime(item.retentionDueAt) };
}

export const subjectRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { custodian }) => {
  const { vault, lookup, apiKeys } = custodian;

  app.post(
    '/v1/subjects',
    {
      onRequest: requireScope(apiKeys, 'subjects:write'),
      schema: {
        tags: ['subjects'],
        summary: 'Create a subject, or find the existing one by any of its identifiers',
        security: [{ bearer: [] }],
        body: SubjectBody,
        response: { 200: Type.Object({ id: Type.String(), created: Type.Boolean() }), 201: Type.Object({ id: Type.String(), created: Type.Boolean() }), ...errors },
      },
    },
    async (request, reply) => {
      const result = await vault.upsertSubject(request.body, actorOf(request));
      return reply.status(result.created ? 201 : 200).send(result);
    },
  );

  app.get(
    '/v1/subjects',
    {
      onRequest: requireScope(apiKeys, 'subjects:read'),
      schema: {
        tags: ['subjects'],
        summary: 'Find a subject by an identifier, without creating one',
        description:
          'The identifier is `type:value`, e.g. `email:aigerim@example.kz` or `phone:+77011234567`; it is normalized and looked up by its blind index. A hit is journaled as a view (the type, never the value); no subject holds it → 404. Query strings are never logged.',
        security: [{ bearer: [] }],
        querystring: Type.Object(
          { identifier: Type.String({ minLength: 3, maxLength: 340, pattern: `^(${IDENTIFIER_TYPES.join('|')}):.+$`, description: 'type:value' }) },
          { additionalProperties: false },
        ),
        response: { 200: Subject, ...errors },
      },
    },
    async (request) => {
      const raw = request.query.identifier;
      const colon = raw.indexOf(':');
      const subject = await lookup.byIdentifier({ type: raw.slice(0, colon) as (typeof IDENTIFIER_TYPES)[number], value: raw.slice(colon + 1) }, actorOf(request));
      return { ...subject, createdAt: isoTime(subject.createdAt) };
    },
  );

  app.get(
    '/v1/subjects/:id',
    {
      onRequest: requireScope(apiKeys, 'subjects:read'),
      schema: { tags: ['subjects'], summary: 'A subject’s state, jurisdiction and locale', security: [{ bearer: [] }], params: SubjectId, response: { 200: Subject, ...errors } },
    },
    async (request) => {
      const subject = await vault.getSubject(request.params.id);
      return { ...subject, createdAt: isoTime(subject.createdAt) };
    },
  );

  app.patch(
    '/v1/subjects/:id',
    {
      onRequest: requireScope(apiKeys, 'subjects:write'),
      schema: {
        tags: ['subjects'],
        summary: 'Change a subject’s jurisdiction or locale',
        security: [{ bearer: [] }],
        params: SubjectId,
        body: Type.Object(
          {
            jurisdiction: Type.Optional(Type.Union([literalUnion(JURISDICTIONS), Type.Null()])),
            locale: Type.Optional(Type.Union([literalUnion(LOCALES), Type.Null()])),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: Subject, ...errors },
      },
    },
    async (request) => {
      const subject = await vault.updateSubject(request.params.id, request.body, actorOf(request));
      return { ...subject, createdAt: isoTime(subject.createdAt) };
    },
  );

  app.post(
    '/v1/subjects/:id/data',
    {
      onRequest: requireScope(apiKeys, 'data:write'),
      schema: {
        tags: ['data'],
        summary: 'Collect personal data under declared purposes',
        description: 'Every item must name a purpose declared in the active policy and a category that purpose declares. One bad item rejects the request and nothing is stored.',
        security: [{ bearer: [] }],
        params: SubjectId,
        body: CollectBody,
        response: { 201: Type.Object({ items: Type.Array(Type.Object({ id: Type.String() })), policyVersion: Type.Integer() }), ...errors },
      },
    },
    async (request, reply) => {
      const result = await vault.collect(request.params.id, request.body.items, actorOf(request));
      return reply.status(201).send({ items: result.ids.map((id) => ({ id })), policyVersion: result.policyVersion });
    },
  );

  app.get(
    '/v1/subjects/:id/data',
    {
      onRequest: requireScope(apiKeys, 'data:read'),
      schema: {
        tags: ['data'],
        summary: 'Read a subject’s data for one declared purpose',
        security: [{ bearer: [] }],
        params: SubjectId,
        querystring: Type.Object({ purpose: PolicyRef('Purpose id declared in the policy') }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            items: Type.Array(Item),
            withheld: Type.Array(Type.Object({ category: Type.String(), reasons: Type.Array(Reason) }), { description: 'Categories the purpose gate refused on their own (blocked, past retention)' }),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const result = await vault.readForPurpose(request.params.id, request.query.purpose, actorOf(request));
      return { items: result.items.map(itemView), withheld: result.withheld };
    },
  );

  app.patch(
    '/v1/subjects/:id/data/:itemId',
    {
      onRequest: requireScope(apiKeys, 'data:write'),
      schema: {
        tags: ['data'],
        summary: 'Rectify an item',
        description: 'Replaces the value. The journal records the change (who, when, which item, new revision) without old or new values.',
        security: [{ bearer: [] }],
        params: Type.Object({ id: Type.String({ format: 'uuid' }), itemId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
        body: Type.Object({ value: ItemValue }, { additionalProperties: false }),
        response: { 200: Item, ...errors },
      },
    },
    async (request) => itemView(await vault.rectify(request.params.id, request.params.itemId, request.body.value, actorOf(request))),
  );
};
