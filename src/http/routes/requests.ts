/** Rights requests for staff and integrations: intake, verification, the clocks, fulfilment, packages. */
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { REQUEST_CHANNELS, REQUEST_STATES, REQUEST_TYPES, type RightsRequest } from '../../rights/model.js';
import { AGENT_KINDS, AGENT_PROOFS } from '../../rights/identity-proof.js';
import { requestReport } from '../../rights/report.js';
import { EXTENSION_REASONS } from '../../rights/requests.js';
import { IDENTIFIER_TYPES } from '../../vault/identifiers.js';
import { LOCALES } from '../../policy/model.js';
import { actorOf, requireScope } from '../auth.js';
import { ErrorBody } from '../errors.js';
import { isoTime, literalUnion, PolicyRef } from '../schemas.js';
import type { RouteDeps } from './deps.js';

const Deadline = Type.Object({
  law: Type.String(),
  obligation: Type.String(),
  dueAt: Type.String({ format: 'date-time', description: 'The end of the term, with the offset of the law’s zone' }),
  article: Type.String(),
  extendedDueAt: Type.Optional(Type.String({ format: 'date-time' })),
  extensionArticle: Type.Optional(Type.String()),
  extensionNoticeBy: Type.Optional(Type.String({ format: 'date-time', description: 'The person must be told of an extension by then' })),
});

export const RequestView = Type.Object({
  id: Type.String(),
  type: Type.String(),
  state: Type.String(),
  subjectId: Type.Union([Type.String(), Type.Null()]),
  subjectFound: Type.Boolean(),
  linked: Type.Boolean({ description: 'true: an open request of the same type for the same person already existed; this is it' }),
  laws: Type.Array(Type.String()),
  deadlines: Type.Array(Deadline, { description: 'Earliest first' }),
  receivedAt: Type.String({ format: 'date-time' }),
  channel: Type.String(),
  identity: Type.String({ description: 'unverified, verified or not-required' }),
  verificationMethod: Type.Union([Type.String(), Type.Null()]),
  paused: Type.Boolean(),
  extended: Type.Boolean(),
  extensionReason: Type.Union([Type.String(), Type.Null()]),
  refusal: Type.Union([Type.Object({ code: Type.String(), article: Type.String() }), Type.Null()]),
  outcome: Type.Union([
    Type.Object({
      subjectFound: Type.Boolean(),
      done: Type.Optional(Type.Array(Type.Object({ category: Type.String(), items: Type.Integer() }))),
      kept: Type.Optional(Type.Array(Type.Object({ category: Type.String(), reason: Type.String(), article: Type.Optional(Type.String()) }))),
      purposes: Type.Optional(Type.Array(Type.String())),
      packageId: Type.Optional(Type.String()),
      pending: Type.Optional(Type.String()),
      recipientsTold: Type.Optional(Type.Integer()),
    }),
    Type.Null(),
  ]),
  agent: Type.Union([Type.Object({ kind: Type.String(), proof: Type.String(), proofReference: Type.String() }), Type.Null()]),
  documentCaptured: Type.Boolean({ description: 'RU 152-FZ 14(3) document details were given (kept sealed under the subject’s key)' }),
  closedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export function requestView(r: RightsRequest, linked = false): Static<typeof RequestView> {
  return {
    id: r.id,
    type: r.type,
    state: r.state,
    subjectId: r.subjectId,
    subjectFound: r.subjectId !== null,
    linked,
    laws: r.laws,
    deadlines: r.deadlines.map((d) => ({
      law: d.law,
      obligation: d.obligation,
      dueAt: d.dueAtIso,
      article: d.article,
      ...(d.extension ? { extendedDueAt: d.extension.dueAtIso, extensionArticle: d.extension.article, extensionNoticeBy: isoTime(d.extension.noticeBy) } : {}),
    })),
    receivedAt: isoTime(r.receivedAt),
    channel: r.channel,
    identity: r.identity,
    verificationMethod: r.verificationMethod,
    paused: r.pausedAt !== null,
    extended: r.extended,
    extensionReason: r.extensionReason,
    refusal: r.refusal,
    outcome: r.outcome,
    agent: r.agent,
    documentCaptured: r.documentCaptured,
    closedAt: isoTime(r.closedAt),
  };
}

const PackageView = Type.Object({
  kind: Type.String(),
  requestId: Type.String(),
  generatedAt: Type.String({ format: 'date-time' }),
  locale: Type.String(),
  subject: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()]),
  vault: Type.Array(Type.Object({}, { additionalProperties: true })),
  systems: Type.Array(Type.Object({}, { additionalProperties: true })),
  information: Type.Object({}, { additionalProperties: true }),
});

const ReportLine = Type.Object({
  type: Type.String(),
  received: Type.Integer(),
  completed: Type.Integer(),
  refused: Type.Integer(),
  withdrawn: Type.Integer(),
  open: Type.Integer(),
  medianDaysToAnswer: Type.Union([Type.Number(), Type.Null()]),
});

const Params = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
const NoBody = Type.Optional(Type.Object({}, { additionalProperties: false }));
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody };

export const requestRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { custodian }) => {
  const { rights, apiKeys } = custodian;
  const requests = rights.requests;

  app.post(
    '/v1/requests',
    {
      onRequest: requireScope(apiKeys, 'requests:write'),
      schema: {
        tags: ['requests'],
        summary: 'Record a rights request; the due moment under every applicable law comes back',
        description:
          'Identifiers find the subject by blind index (as `GET /v1/subjects?identifier=` does); a request for someone unknown is recorded with `subjectFound: false` and answered as such. A second open request of the same type for the same subject returns the first (`linked: true`). A type no applicable law grants is refused (400, `type`).',
        security: [{ bearer: [] }],
        body: Type.Object(
          {
            type: literalUnion(REQUEST_TYPES, 'What the person asks for'),
            subjectId: Type.Optional(Type.String({ format: 'uuid' })),
            identifiers: Type.Optional(
              Type.Array(Type.Object({ type: literalUnion(IDENTIFIER_TYPES), value: Type.String({ minLength: 1, maxLength: 320 }) }, { additionalProperties: false }), { minItems: 1, maxItems: 10 }),
            ),
            receivedAt: Type.Optional(Type.String({ format: 'date-time', description: 'When the request reached the operator (default now); the clocks start from it' })),
            channel: Type.Optional(literalUnion(REQUEST_CHANNELS)),
            locale: Type.Optional(literalUnion(LOCALES, 'The language to answer in (default the subject’s)')),
          },
          { additionalProperties: false },
        ),
        response: { 201: RequestView, ...errors },
      },
    },
    async (request, reply) => {
      const { receivedAt, ...rest } = request.body;
      const { request: created, linked } = await requests.intake({ ...rest, receivedAt: receivedAt === undefined ? undefined : Date.parse(receivedAt) }, actorOf(request));
      return reply.status(201).send(requestView(created, linked));
    },
  );

  app.get(
    '/v1/requests',
    {
      onRequest: requireScope(apiKeys, 'requests:read'),
      schema: {
        tags: ['requests'],
        summary: 'Requests, newest first',
        security: [{ bearer: [] }],
        querystring: Type.Object(
          { state: Type.Optional(literalUnion(REQUEST_STATES)), subjectId: Type.Optional(Type.String({ format: 'uuid' })), limit: Type.Optional(Type.String({ pattern: '^([1-9][0-9]{0,1}|[1-4][0-9]{2}|500)$', description: 'At most this many (1–500, default 100)' })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ requests: Type.Array(RequestView) }), ...errors },
      },
    },
    async (request) => {
      const { limit, ...filter } = request.query;
      return { requests: (await requests.list({ ...filter, limit: limit === undefined ? undefined : Number(limit) })).map((r) => requestView(r)) };
    },
  );

  app.get(
    '/v1/requests/due',
    {
      onRequest: requireScope(apiKeys, 'requests:read'),
      schema: {
        tags: ['requests'],
        summary: 'Open requests due soon, or overdue, earliest first',
        security: [{ bearer: [] }],
        querystring: Type.Object(
          { kind: literalUnion(['due-soon', 'overdue'] as const), withinHours: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,3}$', description: 'For due-soon: how many hours ahead (default 72, at most 9999)' })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ requests: Type.Array(RequestView) }), ...errors },
      },
    },
    async (request) => ({ requests: (await requests.due(request.query.kind, Number(request.query.withinHours ?? '72') * 3600_000)).map((r) => requestView(r)) }),
  );

  app.get(
    '/v1/reports/requests',
    {
      onRequest: requireScope(apiKeys, 'requests:read'),
      schema: {
        tags: ['requests'],
        summary: 'Requests received, completed and refused in a year, and the median days to answer, per type (CCPA §7102)',
        security: [{ bearer: [] }],
        querystring: Type.Object({ year: Type.String({ pattern: '^(20[0-9]{2}|2100)$', description: 'Calendar year (UTC)' }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ year: Type.Integer(), types: Type.Array(ReportLine), total: ReportLine }), ...errors },
      },
    },
    async (request) => requestReport(custodian.store, Number(request.query.year)),
  );

  app.get(
    '/v1/requests/:id',
    { onRequest: requireScope(apiKeys, 'requests:read'), schema: { tags: ['requests'], summary: 'One request', security: [{ bearer: [] }], params: Params, response: { 200: RequestView, ...errors } } },
    async (request) => requestView(await requests.get(request.params.id)),
  );

  app.post(
    '/v1/requests/:id/verify',
    {
      onRequest: requireScope(apiKeys, 'requests:verify'),
      schema: {
        tags: ['requests'],
        summary: 'A staff member confirms the person’s identity',
        security: [{ bearer: [] }],
        params: Params,
        body: Type.Object({ method: Type.Literal('staff'), note: Type.Optional(Type.String({ maxLength: 500, description: 'Not stored; whether one was given is journaled' })) }, { additionalProperties: false }),
        response: { 200: RequestView, ...errors },
      },
    },
    async (request) => requestView(await requests.verify(request.params.id, request.body, actorOf(request))),
  );

  app.post(
    '/v1/requests/:id/verification-code',
    {
      onRequest: requireScope(apiKeys, 'requests:write'),
      schema: {
        tags: ['requests'],
        summary: 'Mail the person a one-time code to their own address',
        description: 'The code goes to the subject’s newest e-mail address, in their language; only a keyed hash is kept. It is valid for 15 minutes and 5 attempts; asking again replaces it. `sent: false`: no subject matched the request, so no mail went out.',
        security: [{ bearer: [] }],
        params: Params,
        body: NoBody,
        response: { 200: Type.Object({ sent: Type.Boolean(), expiresAt: Type.String({ format: 'date-time' }) }), ...errors },
      },
    },
    async (request) => {
      const { sent, expiresAt } = await rights.verification.sendCode(request.params.id, actorOf(request));
      return { sent, expiresAt: isoTime(expiresAt) };
    },
  );

  app.post(
    '/v1/requests/:id/verification-code/check',
    {
      onRequest: requireScope(apiKeys, 'requests:write'),
      schema: {
        tags: ['requests'],
        summary: 'Check the code the person entered; a right one verifies the request',
        security: [{ bearer: [] }],
        params: Params,
        body: Type.Object({ code: Type.String({ pattern: '^[0-9]{6}$' }) }, { additionalProperties: false }),
        response: { 200: RequestView, ...errors },
      },
    },
    async (request) => requestView(await rights.verification.checkCode(request.params.id, request.body.code, actorOf(request))),
  );

  app.post(
    '/v1/requests/:id/verification-link',
    {
      onRequest: requireScope(apiKeys, 'requests:write'),
      schema: {
        tags: ['requests'],
        summary: 'A signed, expiring link that confirms the request for a known, signed-in person',
        security: [{ bearer: [] }],
        params: Params,
        body: NoBody,
        response: { 200: Type.Object({ url: Type.String({ format: 'uri' }), expiresAt: Type.String({ format: 'date-time' }) }), ...errors },
      },
    },
    async (request) => {
      const { url, expiresAt } = await rights.verification.link(request.params.id, actorOf(request));
      return { url, expiresAt: isoTime(expiresAt) };
    },
  );

  app.post(
    '/v1/requests/:id/fulfil',
    {
      onRequest: requireScope(apiKeys, 'requests:write'),
      schema: {
        tags: ['requests'],
        summary: 'Do what the request asks in the vault, and complete it',
        description:
          'Access and portability make a package (JSON, CSV and a readable page in the person’s language, zipped, encrypted at rest); rectification applies `corrections`; restriction blocks `categories` (default all); stop-processing blocks the subject; limit-sensitive blocks the sensitive categories; withdrawal withdraws consent to `purposes` (default every one given); objection objects to `purposes` (default every one open to objection); opt-out records the opt-out of sale and sharing; erasure crypto-shreds what no legal obligation keeps, and the answer lists what was kept and why.',
        security: [{ bearer: [] }],
        params: Params,
        body: Type.Optional(
          Type.Object(
            {
              corrections: Type.Optional(Type.Array(Type.Object({ itemId: Type.String({ format: 'uuid' }), value: Type.Union([Type.String({ maxLength: 10_000 }), Type.Number(), Type.Boolean()]) }, { additionalProperties: false }), { minItems: 1, maxItems: 100 })),
              purposes: Type.Optional(Type.Array(PolicyRef('Purpose id'), { minItems: 1, maxItems: 100 })),
              categories: Type.Optional(Type.Array(PolicyRef('Data category id'), { minItems: 1, maxItems: 200 })),
            },
            { additionalProperties: false },
          ),
        ),
        response: { 200: RequestView, ...errors },
      },
    },
    async (request) => requestView(await rights.fulfilment.fulfil(request.params.id, request.body ?? {}, actorOf(request))),
  );

  app.get(
    '/v1/requests/:id/package',
    {
      onRequest: requireScope(apiKeys, 'requests:read'),
      schema: {
        tags: ['requests'],
        summary: 'The access (or portability) package: JSON, or the zip of JSON, CSV and HTML',
        description: 'Each release is journaled as an extraction.',
        security: [{ bearer: [] }],
        params: Params,
        querystring: Type.Object({ format: Type.Optional(literalUnion(['json', 'zip'] as const, 'default json')) }, { additionalProperties: false }),
        response: { 200: PackageView, ...errors },
      },
    },
    async (request, reply) => {
      if (request.query.format === 'zip') {
        const zip = await rights.fulfilment.packageZip(request.params.id, actorOf(request));
        return reply.type('application/zip').header('content-disposition', `attachment; filename="request-${request.params.id}.zip"`).send(zip as never); // a Buffer goes out as it is, unserialized
      }
      return rights.fulfilment.packageJson(request.params.id, actorOf(request));
    },
  );

  app.post(
    '/v1/requests/:id/package-link',
    {
      onRequest: requireScope(apiKeys, 'requests:write'),
      schema: {
        tags: ['requests'],
        summary: 'A signed, expiring link the person downloads their package with',
        security: [{ bearer: [] }],
        params: Params,
        body: NoBody,
        response: { 200: Type.Object({ url: Type.String({ format: 'uri' }), expiresAt: Type.String({ format: 'date-time' }) }), ...errors },
      },
    },
    async (request) => {
      const { url, expiresAt } = await rights.fulfilment.downloadLink(request.params.id);
      return { url, expiresAt: isoTime(expiresAt) };
    },
  );

  app.get(
    '/v1/requests/:id/recipients',
    {
      onRequest: requireScope(apiKeys, 'requests:read'),
      schema: {
        tags: ['requests'],
        summary: 'The recipients told of this erasure, rectification or restriction (GDPR art. 19, CCPA 1798.105(c))',
        description: '`failed` at once: no endpoint is set for that recipient, so staff must tell it another way.',
        security: [{ bearer: [] }],
        params: Params,
        response: {
          200: Type.Object({
            recipients: Type.Array(
              Type.Object({ recipient: Type.String(), channel: Type.String(), state: Type.String(), categories: Type.Array(Type.String()), sentAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]), statusCode: Type.Union([Type.Integer(), Type.Null()]) }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      await requests.get(request.params.id);
      const notices = await rights.recipientsTold.forRequest(request.params.id);
      return { recipients: notices.map((n) => ({ recipient: n.recipient, channel: n.channel, state: n.state, categories: n.categories, sentAt: isoTime(n.sentAt), statusCode: n.statusCode })) };
    },
  );

  app.put(
    '/v1/recipients/:id/endpoint',
    {
      onRequest: requireScope(apiKeys, 'requests:write'),
      schema: {
        tags: ['requests'],
        summary: 'Where a recipient is told of erasures, rectifications and restrictions: a webhook, an e-mail address, or both (webhook first)',
        security: [{ bearer: [] }],
        params: Type.Object({ id: PolicyRef('Recipient id declared in the policy') }, { additionalProperties: false }),
        body: Type.Object(
          { webhook: Type.Optional(Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2000 })), email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ recipient: Type.String(), webhook: Type.Union([Type.String(), Type.Null()]), email: Type.Union([Type.String(), Type.Null()]) }), ...errors },
      },
    },
    async (request) => rights.recipientsTold.setEndpoint(request.params.id, request.body),
  );

  app.post(
    '/v1/requests/:id/identity/data-points',
    {
      onRequest: requireScope(apiKeys, 'requests:write'),
      schema: {
        tags: ['requests'],
        summary: 'CCPA: the details the person gave, matched against what is held (two, or three and a signed declaration for specific pieces)',
        description: 'Enough matches verify the request; the answer never says which detail failed.',
        security: [{ bearer: [] }],
        params: Params,
        body: Type.Object(
          {
            points: Type.Array(Type.Object({ category: PolicyRef('Data category id'), value: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }), { minItems: 1, maxItems: 6 }),
            declaration: Type.Optional(Type.Object({ signed: Type.Literal(true) }, { additionalProperties: false, description: 'Signed under penalty of perjury (CCPA §7062(c))' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: RequestView, ...errors },
      },
    },
    async (request) => requestView(await rights.identity.dataPoints(request.params.id, request.body, actorOf(request))),
  );

  const IdentityDocument = Type.Object(
    {
      type: literalUnion(['passport', 'id-card', 'other'] as const),
      series: Type.Optional(Type.String({ pattern: '^[0-9A-Za-zА-Яа-я ]{1,10}$' })),
      number: Type.String({ pattern: '^[0-9A-Za-zА-Яа-я -]{1,20}$' }),
      issuedAt: Type.String({ format: 'date' }),
      issuer: Type.String({ minLength: 2, maxLength: 300 }),
      relationship: Type.Optional(Type.String({ minLength: 2, maxLength: 500, description: 'What ties the person to the operator (a contract number and date…)' })),
    },
    { additionalProperties: false },
  );

  app.post(
    '/v1/requests/:id/identity/document',
    {
      onRequest: requireScope(apiKeys, 'requests:write'),
      schema: {
        tags: ['requests'],
        summary: 'RU 152-FZ 14(3): the identity document’s details, kept sealed under the subject’s key; staff verify after',
        security: [{ bearer: [] }],
        params: Params,
        body: IdentityDocument,
        response: { 200: RequestView, ...errors },
      },
    },
    async (request) => requestView(await rights.identity.captureDocument(request.params.id, request.body, actorOf(request))),
  );

  app.get(
    '/v1/requests/:id/identity/document',
    {
      onRequest: requireScope(apiKeys, 'requests:verify'),
      schema: { tags: ['requests'], summary: 'The document details, for the staff member who checks them (journaled)', security: [{ bearer: [] }], params: Params, response: { 200: Type.Object({ document: Type.Union([IdentityDocument, Type.Null()]) }), ...errors } },
    },
    async (request) => ({ document: await rights.identity.document(request.params.id, actorOf(request)) }),
  );

  app.post(
    '/v1/requests/:id/agent',
    {
      onRequest: requireScope(apiKeys, 'requests:write'),
      schema: {
        tags: ['requests'],
        summary: 'Someone acts for the person: who, and the kind and reference of their proof',
        description: 'Refused when the policy declares that agents are not accepted.',
        security: [{ bearer: [] }],
        params: Params,
        body: Type.Object(
          { kind: literalUnion(AGENT_KINDS), proof: literalUnion(AGENT_PROOFS), proofReference: Type.String({ pattern: '^[A-Za-z0-9._:/#-]{1,200}$', description: 'Where the proof is kept (a document id), not the proof' }) },
          { additionalProperties: false },
        ),
        response: { 200: RequestView, ...errors },
      },
    },
    async (request) => requestView(await rights.identity.authorizeAgent(request.params.id, request.body, actorOf(request))),
  );

  app.post(
    '/v1/requests/:id/refuse',
    {
      onRequest: requireScope(apiKeys, 'requests:write'),
      schema: {
        tags: ['requests'],
        summary: 'Refuse, with a reason one of the request’s laws gives',
        security: [{ bearer: [] }],
        params: Params,
        body: Type.Object({ code: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$', description: 'A reason code of the law (see `refusalReasons`)' }) }, { additionalProperties: false }),
        response: { 200: RequestView, ...errors },
      },
    },
    async (request) => requestView(await requests.refuse(request.params.id, request.body, actorOf(request))),
  );

  app.post(
    '/v1/requests/:id/withdraw',
    { onRequest: requireScope(apiKeys, 'requests:write'), schema: { tags: ['requests'], summary: 'The person withdrew the request', security: [{ bearer: [] }], params: Params, body: NoBody, response: { 200: RequestView, ...errors } } },
    async (request) => requestView(await requests.withdraw(request.params.id, actorOf(request))),
  );

  app.post(
    '/v1/requests/:id/extend',
    {
      onRequest: requireScope(apiKeys, 'requests:write'),
      schema: {
        tags: ['requests'],
        summary: 'Extend the term, where the law allows, before the person must be told',
        security: [{ bearer: [] }],
        params: Params,
        body: Type.Object({ reason: literalUnion(EXTENSION_REASONS) }, { additionalProperties: false }),
        response: { 200: RequestView, ...errors },
      },
    },
    async (request) => requestView(await requests.extend(request.params.id, request.body, actorOf(request))),
  );

  app.post(
    '/v1/requests/:id/pause',
    { onRequest: requireScope(apiKeys, 'requests:write'), schema: { tags: ['requests'], summary: 'Stop the clock (waiting for a clarification), where the law lets it stand still', security: [{ bearer: [] }], params: Params, body: NoBody, response: { 200: RequestView, ...errors } } },
    async (request) => requestView(await requests.pause(request.params.id, actorOf(request))),
  );

  app.post(
    '/v1/requests/:id/resume',
    { onRequest: requireScope(apiKeys, 'requests:write'), schema: { tags: ['requests'], summary: 'Let a paused clock run again', security: [{ bearer: [] }], params: Params, body: NoBody, response: { 200: RequestView, ...errors } } },
    async (request) => requestView(await requests.resume(request.params.id, actorOf(request))),
  );
};
