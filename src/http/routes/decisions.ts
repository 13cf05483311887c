/** The purpose gate over HTTP, and the metrics it feeds. */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DATA_SOURCES, PROCESSING_OPERATIONS } from '../../policy/model.js';
import { renderGauge } from '../../reports/metrics.js';
import { requireScope } from '../auth.js';
import { ErrorBody } from '../errors.js';
import { literalUnion, PolicyRef, ReasonSchema } from '../schemas.js';
import type { RouteDeps } from './deps.js';

const DecisionBody = Type.Object(
  {
    subjectId: Type.String({ format: 'uuid' }),
    purpose: PolicyRef('Purpose id declared in the policy'),
    operation: literalUnion(PROCESSING_OPERATIONS, 'A processing operation of the 94-V list'),
    categories: Type.Array(PolicyRef('Data category id'), { minItems: 1, maxItems: 200 }),
    recipient: Type.Optional(PolicyRef('For transfer: the recipient id')),
    source: Type.Optional(literalUnion(DATA_SOURCES, 'For collection: where the data comes from')),
  },
  { additionalProperties: false },
);

export const decisionRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { custodian }) => {
  const { gate, apiKeys, metrics } = custodian;

  app.post(
    '/v1/decisions',
    {
      onRequest: requireScope(apiKeys, 'decisions'),
      schema: {
        tags: ['decisions'],
        summary: 'May this purpose perform this operation on these categories of this subject?',
        description:
          'A pure check: nothing is released and nothing is journaled (decisions are counted in /metrics). Deny reasons carry stable codes: ' +
          'subject_not_found, subject_erased, purpose_not_declared, operation_not_allowed, category_not_declared_for_purpose, subject_blocked, category_blocked, no_legal_basis, ' +
          'consent_missing, consent_refused, consent_withdrawn, consent_expired, consent_renewal_needed (the consent was given under a notice that did not include what is asked), objection_upheld, opted_out_of_sale_or_sharing, retention_expired, residency_storage, ' +
          'recipient_not_declared, recipient_not_declared_for_purpose, category_not_declared_for_recipient, transfer_without_safeguard, cross_border_consent_missing, third_party_consent_missing. Destruction, deletion and depersonalization end processing and are allowed whatever consent or basis says (reason obligation_to_erase); only a block stops them.',
        security: [{ bearer: [] }],
        body: DecisionBody,
        response: { 200: Type.Object({ allow: Type.Boolean(), reasons: Type.Array(ReasonSchema), policyVersion: Type.Integer() }), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => gate.decide(request.body),
  );

  app.get(
    '/metrics',
    { onRequest: requireScope(apiKeys, 'admin'), schema: { tags: ['health'], summary: 'Counters in the Prometheus text format (no personal data)', security: [{ bearer: [] }] } },
    async (_request, reply) => {
      const jobs = await custodian.jobs.counts();
      const gauge = renderGauge('custodian_jobs', 'Jobs in the queue by state (failed: dead letters awaiting a retry)', Object.entries(jobs).map(([state, value]) => ({ labels: { state }, value })));
      return reply.type('text/plain; version=0.0.4').send(metrics.render() + gauge);
    },
  );
};
