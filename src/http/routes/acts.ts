/**
 * Destruction acts, the proof of an erasure, for auditors and regulators: what was
 * destroyed (categories and counts), in which systems, why, when, by whom and on which
 * request, what was kept and why, and whether the journal key's signature over every field
 * still holds. The person an act names (152-FZ) is sealed and not served here: the
 * response says only whether the act names one.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { DestructionAct } from '../../vault/erasure.js';
import { requireScope } from '../auth.js';
import { ErrorBody } from '../errors.js';
import { isoTime } from '../schemas.js';
import type { RouteDeps } from './deps.js';

const ActView = Type.Object({
  id: Type.String(),
  subjectId: Type.String(),
  requestId: Type.Union([Type.String(), Type.Null()]),
  reason: Type.String({ description: 'request, withdrawal, purpose-achieved, unlawful, court, retention or restore' }),
  actor: Type.String({ description: '`apikey:<id>`, `staff:<id>`, `system:<job>`' }),
  at: Type.String({ format: 'date-time' }),
  systems: Type.Array(Type.String(), { description: 'Where the data was destroyed; `custodian` is the vault' }),
  categories: Type.Array(Type.Object({ category: Type.String(), items: Type.Integer() })),
  kept: Type.Array(
    Type.Object({
      category: Type.String(),
      reason: Type.String({ description: '`legal-obligation` or `legal-hold`' }),
      article: Type.Optional(Type.String()),
      until: Type.Optional(Type.String({ format: 'date-time' })),
    }),
  ),
  shredded: Type.Boolean({ description: 'The subject key and every identifier index are gone' }),
  namesPerson: Type.Boolean({ description: 'The act names the person (sealed under the act’s own key)' }),
  retainUntil: Type.String({ format: 'date-time', description: 'The act is kept until then' }),
  keyId: Type.String({ description: 'The journal signing key that signed it' }),
  signature: Type.String(),
  signatureValid: Type.Boolean({ description: 'The signature holds over every field' }),
});

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

function actView(act: DestructionAct & { signatureValid: boolean }): Static<typeof ActView> {
  return {
    id: act.id,
    subjectId: act.subjectId,
    requestId: act.requestId,
    reason: act.reason,
    actor: act.actor,
    at: isoTime(act.at),
    systems: act.systems,
    categories: act.categories,
    kept: act.kept.map((k) => ({ category: k.category, reason: k.reason, ...(k.article ? { article: k.article } : {}), ...(k.until === undefined ? {} : { until: isoTime(k.until) }) })),
    shredded: act.shredded,
    namesPerson: act.person !== null,
    retainUntil: isoTime(act.retainUntil),
    keyId: act.keyId,
    signature: act.signature,
    signatureValid: act.signatureValid,
  };
}

export const actRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { custodian }) => {
  const { apiKeys, erasure } = custodian;

  app.get(
    '/v1/acts/:id',
    {
      onRequest: requireScope(apiKeys, 'journal:read'),
      schema: {
        tags: ['journal'],
        summary: 'A destruction act, with its signature checked',
        security: [{ bearer: [] }],
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
        response: { 200: ActView, ...errors },
      },
    },
    async (request) => actView(await erasure.act(request.params.id)),
  );

  app.get(
    '/v1/subjects/:id/acts',
    {
      onRequest: requireScope(apiKeys, 'journal:read'),
      schema: {
        tags: ['journal'],
        summary: 'A subject’s destruction acts, oldest first',
        security: [{ bearer: [] }],
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ acts: Type.Array(ActView) }), ...errors },
      },
    },
    async (request) => ({ acts: (await erasure.actsOf(request.params.id)).map(actView) }),
  );
};
