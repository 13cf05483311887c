/**
 * The policy: the active version as JSON, published versions, publishing, the JSON Schema
 * of the language and the public notice.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { publishPolicy } from '../../custodian.js';
import { CustodianError } from '../../errors.js';
import type { PublishedPolicy } from '../../policy/versions.js';
import { LOCALES, type Locale } from '../../policy/model.js';
import { renderNotice } from '../../policy/render/notice.js';
import { policyJsonSchema } from '../../policy/schema.js';
import { literalUnion } from '../schemas.js';
import { actorOf, requireScope } from '../auth.js';
import { ErrorBody } from '../errors.js';
import type { RouteDeps } from './deps.js';

const VersionSummary = Type.Object({
  number: Type.Integer(),
  policyId: Type.String(),
  label: Type.Union([Type.String(), Type.Null()]),
  effectiveAt: Type.String({ format: 'date-time' }),
  publishedAt: Type.String({ format: 'date-time' }),
  hash: Type.String(),
  active: Type.Boolean(),
});

/** The compiled policy is public information (it is the notice); its schema is the language's. */
const PolicyDocument = Type.Object(
  {
    id: Type.String(),
    purposes: Type.Array(Type.Object({ id: Type.String(), categories: Type.Array(Type.String()) }, { additionalProperties: true })),
    publishedVersion: VersionSummary,
  },
  { additionalProperties: true },
);

const Publication = Type.Object({
  version: VersionSummary,
  created: Type.Boolean(),
  changes: Type.Array(
    Type.Object({ kind: Type.String(), code: Type.String(), path: Type.String(), message: Type.String(), purposes: Type.Array(Type.String()), affectsConsents: Type.Boolean() }),
    { description: 'Changes from the previous version, material first' },
  ),
  renewalsMarked: Type.Integer({ description: 'Consents now needing renewal because of a material change' }),
  renewalMarking: Type.Union([Type.Literal('done'), Type.Literal('queued'), Type.Literal('none')], {
    description: '`queued`: the marking was cut short and a background job finishes it (the gate already enforces the new version either way)',
  }),
});

const PublishBody = Type.Object({ source: Type.String({ minLength: 1, maxLength: 1_000_000, description: 'The policy as YAML or JSON text' }) }, { additionalProperties: false });

/** The first of the policy's locales the Accept-Language header asks for. */
function preferredLocale(header: string | undefined, available: readonly Locale[]): Locale | undefined {
  if (!header) return undefined;
  const wanted = header
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^q=([\d.]+)$/.exec(p.trim())).find(Boolean);
      return { lang: tag.toLowerCase().split('-')[0], q: q ? Number(q[1]) : 1 };
    })
    .sort((a, b) => b.q - a.q);
  return wanted.map((w) => w.lang).find((lang): lang is Locale => (available as readonly string[]).includes(lang));
}

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 415: ErrorBody, 422: ErrorBody, 503: ErrorBody };

export const policyRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { custodian }) => {
  const { policies, apiKeys } = custodian;
  const summary = (v: PublishedPolicy) => ({
    number: v.number,
    policyId: v.policyId,
    label: v.label,
    effectiveAt: new Date(v.effectiveAt).toISOString(),
    publishedAt: new Date(v.publishedAt).toISOString(),
    hash: v.hash,
    active: safeActive() === v.number,
  });
  const safeActive = () => {
    try {
      return policies.active().number;
    } catch {
      return undefined;
    }
  };

  app.get('/schemas/policy.json', { schema: { tags: ['policy'], summary: 'JSON Schema of the policy language, for editors' } }, async (_request, reply) =>
    reply.type('application/schema+json').send(policyJsonSchema),
  );

  app.get(
    '/privacy/notice',
    {
      schema: {
        tags: ['policy'],
        summary: 'The privacy notice of the active policy, for people (public)',
        description: 'HTML by default; `format=md` gives Markdown. Without `lang`, the browser’s Accept-Language picks among en, ru and kk, else the policy’s default language.',
        querystring: Type.Object({ lang: Type.Optional(literalUnion(LOCALES)), format: Type.Optional(literalUnion(['html', 'md'] as const)), version: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,8}$' })) }, { additionalProperties: false }),
        response: { 200: Type.String({ description: 'The notice as HTML or Markdown' }), 404: ErrorBody, 400: ErrorBody, 503: ErrorBody },
      },
    },
    async (request, reply) => {
      const version = request.query.version ? policies.get(Number(request.query.version)) : policies.active();
      if (!version) throw new CustodianError('not_found', `Policy version ${request.query.version} not found`, [{ path: 'version', message: 'no such version' }]);
      const policy = version.index.policy;
      const locale = request.query.lang ?? preferredLocale(request.headers['accept-language'], policy.locales) ?? policy.defaultLocale;
      const format = request.query.format ?? 'html';
      const body = renderNotice(policy, { locale, format, version: { number: version.number, publishedAt: new Date(version.publishedAt).toISOString() } });
      return reply
        .header('content-language', locale)
        .header('cache-control', 'public, max-age=300')
        .type(format === 'html' ? 'text/html; charset=utf-8' : 'text/markdown; charset=utf-8')
        .send(body);
    },
  );

  app.addContentTypeParser(['application/yaml', 'application/x-yaml', 'text/yaml', 'text/plain'], { parseAs: 'string' }, (_request, body, done) => done(null, { source: body }));

  app.get(
    '/v1/policy',
    { onRequest: requireScope(apiKeys, 'policy:read'), schema: { tags: ['policy'], summary: 'The active policy, compiled', security: [{ bearer: [] }], response: { 200: PolicyDocument, ...errors } } },
    async () => {
      const active = policies.active();
      return { ...active.index.policy, publishedVersion: summary(active) };
    },
  );

  app.get(
    '/v1/policy/versions',
    {
      onRequest: requireScope(apiKeys, 'policy:read'),
      schema: { tags: ['policy'], summary: 'Published versions, oldest first', security: [{ bearer: [] }], response: { 200: Type.Object({ versions: Type.Array(VersionSummary) }), ...errors } },
    },
    async () => ({ versions: policies.list().map(summary) }),
  );

  app.get(
    '/v1/policy/versions/:number',
    {
      onRequest: requireScope(apiKeys, 'policy:read'),
      schema: {
        tags: ['policy'],
        summary: 'One published version: its summary, source and compiled form',
        security: [{ bearer: [] }],
        params: Type.Object({ number: Type.String({ pattern: '^[1-9][0-9]{0,8}$' }) }),
        response: { 200: Type.Object({ version: VersionSummary, source: Type.String(), policy: Type.Object({}, { additionalProperties: true }) }), ...errors },
      },
    },
    async (request) => {
      const version = policies.get(Number(request.params.number));
      if (!version) throw new CustodianError('not_found', `Policy version ${request.params.number} not found`, [{ path: 'number', message: 'no such version' }]);
      return { version: summary(version), source: (await policies.source(version.number))!, policy: version.index.policy as unknown as Record<string, unknown> };
    },
  );

  app.post(
    '/v1/policy/versions',
    {
      onRequest: requireScope(apiKeys, 'policy:write'),
      schema: {
        tags: ['policy'],
        summary: 'Publish a new policy version',
        description: 'Send the policy as `application/yaml` (or `text/plain`) or as JSON `{ "source": "…" }`. Errors list every compiler diagnostic; nothing is published. Publishing the same policy as the newest version returns 200 and that version.',
        security: [{ bearer: [] }],
        body: PublishBody,
        response: { 200: Publication, 201: Publication, ...errors },
      },
    },
    async (request, reply) => {
      const result = await publishPolicy(custodian, request.body.source, 'request body', actorOf(request));
      return reply.status(result.created ? 201 : 200).send({
        version: summary(result.version),
        created: result.created,
        changes: result.changes.map(({ kind, code, path, message, purposes, affectsConsents }) => ({ kind, code, path, message, purposes, affectsConsents })),
        renewalsMarked: result.renewalsMarked,
        renewalMarking: result.renewalMarking,
      });
    },
  );
};
