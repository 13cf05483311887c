/** The disclosure register: record transfers, and ask who received what. */
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CustodianError } from '../../errors.js';
import type { Disclosure } from '../../disclosures/disclosures.js';
import { actorOf, requireScope } from '../auth.js';
import { ErrorBody } from '../errors.js';
import { isoTime, PolicyRef } from '../schemas.js';
import type { RouteDeps } from './deps.js';

const DisclosureView = Type.Object({
  id: Type.String(),
  subjectId: Type.String(),
  recipient: Type.String(),
  recipientKind: Type.String(),
  country: Type.String(),
  crossBorder: Type.Boolean(),
  safeguard: Type.Union([Type.String(), Type.Null()]),
  purpose: Type.String(),
  categories: Type.Array(Type.String()),
  bases: Type.Array(Type.String()),
  policyVersion: Type.Integer(),
  disclosedAt: Type.String({ format: 'date-time' }),
});

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 422: ErrorBody };
const view = (d: Disclosure): Static<typeof DisclosureView> => ({ ...d, disclosedAt: isoTime(d.disclosedAt) });

const Period = {
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Inclusive start (RFC 3339)' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Exclusive end (RFC 3339)' })),
};

function parsePeriod(query: { from?: string; to?: string }): { from?: number; to?: number } {
  const from = query.from ? Date.parse(query.from) : undefined;
  const to = query.to ? Date.parse(query.to) : undefined;
  if (from !== undefined && to !== undefined && from >= to) throw new CustodianError('validation_failed', 'The period is empty', [{ path: 'to', message: 'must be after from' }]);
  return { from, to };
}

export const disclosureRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { custodian }) => {
  const { disclosures, apiKeys } = custodian;

  app.post(
    '/v1/disclosures',
    {
      onRequest: requireScope(apiKeys, 'disclosures:write'),
      schema: {
        tags: ['disclosures'],
        summary: 'Record a transfer of a subject’s data to a declared recipient',
        description: 'Refused (403 `denied`, every gate reason in details) when the recipient is not declared for the purpose, a category is not declared for it, or a cross-border transfer lacks its safeguard or the subject’s separate consent.',
        security: [{ bearer: [] }],
        body: Type.Object(
          {
            subjectId: Type.String({ format: 'uuid' }),
            recipient: PolicyRef('Recipient id declared in the policy'),
            purpose: PolicyRef('Purpose id declared in the policy'),
            categories: Type.Array(PolicyRef('Data category id'), { minItems: 1, maxItems: 200 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: DisclosureView, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(view(await disclosures.record(request.body, actorOf(request)))),
  );

  app.get(
    '/v1/subjects/:id/disclosures',
    {
      onRequest: requireScope(apiKeys, 'disclosures:read'),
      schema: {
        tags: ['disclosures'],
        summary: 'Who received this subject’s data',
        security: [{ bearer: [] }],
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ disclosures: Type.Array(DisclosureView) }), ...errors },
      },
    },
    async (request) => ({ disclosures: (await disclosures.forSubject(request.params.id)).map(view) }),
  );

  app.get(
    '/v1/disclosures',
    {
      onRequest: requireScope(apiKeys, 'disclosures:read'),
      schema: {
        tags: ['disclosures'],
        summary: 'The register, filtered by recipient, country, cross-border and period',
        security: [{ bearer: [] }],
        querystring: Type.Object(
          {
            recipient: Type.Optional(PolicyRef('Recipient id')),
            country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
            crossBorder: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
            ...Period,
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ disclosures: Type.Array(DisclosureView) }), ...errors },
      },
    },
    async (request) => {
      const { recipient, country, crossBorder } = request.query;
      const list = await disclosures.list({ recipient, country, crossBorder: crossBorder === undefined ? undefined : crossBorder === 'true', ...parsePeriod(request.query) });
      return { disclosures: list.map(view) };
    },
  );

  app.get(
    '/v1/reports/cross-border',
    {
      onRequest: requireScope(apiKeys, 'disclosures:read'),
      schema: {
        tags: ['disclosures'],
        summary: 'Cross-border transfers in a period, per recipient and country',
        security: [{ bearer: [] }],
        querystring: Type.Object({ from: Type.String({ format: 'date-time' }), to: Type.String({ format: 'date-time' }) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            from: Type.String(),
            to: Type.String(),
            transfers: Type.Array(
              Type.Object({
                recipient: Type.String(),
                country: Type.String(),
                safeguard: Type.Union([Type.String(), Type.Null()]),
                purposes: Type.Array(Type.String()),
                categories: Type.Array(Type.String()),
                disclosures: Type.Integer(),
                subjects: Type.Integer(),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const { from, to } = parsePeriod(request.query) as { from: number; to: number };
      return { from: isoTime(from), to: isoTime(to), transfers: await disclosures.crossBorderReport(from, to) };
    },
  );
};
