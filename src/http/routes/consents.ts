/**
 * Consent, objections, Global Privacy Control, receipts, renewals and the one-click
 * unsubscribe pages. Handlers parse, call one `Consents` method and map the result; the
 * rules live in `src/consent/`.
 *
 * `Sec-GPC: 1` on a consent or withdrawal request is recorded as a GPC signal too.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { CONSENT_CHANNELS, CONSENT_EVENTS, CONSENT_STATES, type ConsentRecord, SCOPE_NAMES, UNTIL_PURPOSE_ACHIEVED } from '../../consent/model.js';
import { PAGE_HEADERS, unsubscribeConfirmPage, unsubscribedPage } from '../../consent/pages.js';
import { CustodianError } from '../../errors.js';
import { LOCALES } from '../../policy/model.js';
import { hasScope } from '../../access/api-keys.js';
import { actorOf, requireScope } from '../auth.js';
import { ErrorBody } from '../errors.js';
import { isoTime, literalUnion, PolicyRef } from '../schemas.js';
import type { RouteDeps } from './deps.js';

const SubjectParams = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
const RecordParams = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
const PurposeId = PolicyRef('Purpose id declared in the policy');

const Scope = Type.Object({ thirdParties: Type.Boolean(), crossBorder: Type.Boolean(), publicDissemination: Type.Boolean() });
const TOPICS = ['purpose', ...SCOPE_NAMES] as const;

const ConsentView = Type.Object({
  id: Type.String(),
  subjectId: Type.String(),
  purpose: Type.String(),
  topic: literalUnion(TOPICS, '`purpose`, or the scope of a separate consent (94-V art. 7(6))'),
  event: literalUnion(CONSENT_EVENTS),
  state: literalUnion(CONSENT_STATES, 'The event, or `expired` once a given consent’s validity has passed'),
  current: Type.Boolean({ description: 'The newest record for its purpose and topic' }),
  at: Type.String({ format: 'date-time' }),
  actor: Type.String(),
  policyVersion: Type.Integer(),
  scope: Scope,
  categories: Type.Array(Type.String()),
  validity: Type.Union([Type.String(), Type.Null()], { description: 'ISO 8601 duration; null = until the purpose is achieved' }),
  validUntil: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  channel: Type.Union([Type.String(), Type.Null()]),
  locale: Type.Union([Type.String(), Type.Null()]),
  notice: Type.Union([Type.Object({ sha256: Type.String(), textKept: Type.Boolean() }), Type.Null()]),
  subjectNameRecorded: Type.Boolean(),
  previousId: Type.Union([Type.String(), Type.Null()]),
});

const DURATION = '^(P(?!$)(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+S)?)?|until-purpose-achieved)$';

const ConsentBody = Type.Object(
  {
    purpose: PurposeId,
    decision: literalUnion(['give', 'refuse'] as const, 'Give or refuse consent'),
    separateScope: Type.Optional(literalUnion(SCOPE_NAMES, 'Record the separate consent for this scope (94-V art. 7(6)) instead of the purpose consent')),
    scope: Type.Optional(
      Type.Object(
        { thirdParties: Type.Optional(Type.Boolean()), crossBorder: Type.Optional(Type.Boolean()), publicDissemination: Type.Optional(Type.Boolean()) },
        { additionalProperties: false, description: 'What the consent states; all three are required for a Kazakhstan consent (94-V art. 8(4))' },
      ),
    ),
    categories: Type.Optional(Type.Array(PolicyRef('Data category id'), { minItems: 1, maxItems: 200, description: 'The list of data the consent covers; defaults to the purpose’s' })),
    validity: Type.Optional(Type.String({ pattern: DURATION, description: `ISO 8601 duration, or "${UNTIL_PURPOSE_ACHIEVED}"; defaults to the policy’s` })),
    subjectFullName: Type.Optional(Type.String({ minLength: 1, maxLength: 300, description: 'The person’s full name as written on the consent; stored encrypted' })),
    notice: Type.Object(
      {
        policyVersion: Type.Integer({ minimum: 1, description: 'Published policy version whose notice was shown' }),
        locale: literalUnion(LOCALES, 'Language of the notice shown'),
        text: Type.Optional(Type.String({ minLength: 1, maxLength: 200_000, description: 'The text shown; Custodian stores its SHA-256' })),
        textSha256: Type.Optional(Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 (hex) of the text shown, instead of the text' })),
        keepText: Type.Optional(Type.Boolean({ description: 'Keep the text itself as evidence' })),
      },
      { additionalProperties: false },
    ),
    channel: literalUnion(CONSENT_CHANNELS, 'How the consent was collected'),
  },
  { additionalProperties: false },
);

const WithdrawBody = Type.Object(
  {
    channel: literalUnion(CONSENT_CHANNELS, 'How the withdrawal was received'),
    separateScope: Type.Optional(literalUnion(SCOPE_NAMES, 'Withdraw only this separate consent')),
    locale: Type.Optional(literalUnion(LOCALES)),
  },
  { additionalProperties: false },
);

const KantaraReceipt = Type.Object({
  version: Type.Literal('KI-CR-v1.1.0'),
  jurisdiction: Type.String(),
  consentTimestamp: Type.Integer(),
  collectionMethod: Type.String(),
  consentReceiptID: Type.String(),
  language: Type.String(),
  piiPrincipalId: Type.String(),
  piiControllers: Type.Array(
    Type.Object({
      piiController: Type.String(),
      onBehalf: Type.Boolean(),
      contact: Type.String(),
      address: Type.String(),
      email: Type.String(),
      phone: Type.String(),
      piiControllerUrl: Type.Optional(Type.String()),
    }),
  ),
  policyUrl: Type.String(),
  services: Type.Array(
    Type.Object({
      service: Type.String(),
      purposes: Type.Array(
        Type.Object({
          purpose: Type.String(),
          purposeCategory: Type.Array(Type.String()),
          consentType: Type.String(),
          piiCategory: Type.Array(Type.String()),
          primaryPurpose: Type.Boolean(),
          termination: Type.String(),
          thirdPartyDisclosure: Type.Boolean(),
          thirdPartyName: Type.Optional(Type.String()),
        }),
      ),
    }),
  ),
  sensitive: Type.Boolean(),
  spiCat: Type.Array(Type.String()),
});

/** JSON-LD is open by nature; the builder in `consent/receipts.ts` is what bounds its content. */
const JsonLdRecord = Type.Object({ '@context': Type.Record(Type.String(), Type.String()), '@id': Type.String(), '@type': Type.String() }, { additionalProperties: true });

const RenewalItem = Type.Object({
  recordId: Type.String(),
  subjectId: Type.String(),
  purpose: Type.String(),
  topic: Type.String(),
  reason: literalUnion(['policy-changed', 'expired'] as const),
  since: Type.String({ format: 'date-time' }),
  policyVersion: Type.Integer(),
});

const GpcView = Type.Object({ recordId: Type.String(), at: Type.String({ format: 'date-time' }), source: Type.String() });
const ObjectionView = Type.Object({ recordId: Type.String(), purpose: Type.String(), at: Type.String({ format: 'date-time' }) });

const UnsubscribeQuery = Type.Object({ token: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })) }, { additionalProperties: false });
const UnsubscribeForm = Type.Object(
  {
    token: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
    'List-Unsubscribe': Type.Optional(Type.Literal('One-Click', { description: 'RFC 8058 one-click unsubscribe' })),
  },
  { additionalProperties: false },
);
const Html = Type.String({ description: 'A self-contained HTML page' });

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 413: ErrorBody, 415: ErrorBody, 422: ErrorBody };

function consentView(record: ConsentRecord): Static<typeof ConsentView> {
  return { ...record, at: isoTime(record.at), validUntil: isoTime(record.validUntil) };
}

const gpcHeader = (request: FastifyRequest) => request.headers['sec-gpc'] === '1';

export const consentRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { custodian }) => {
  const { consents, readableCopies, apiKeys } = custodian;

  // GPC spec §3.5: a site declares that it honours the signal. Custodian does (see /v1/subjects/{id}/gpc).
  app.get(
    '/.well-known/gpc.json',
    {
      schema: {
        tags: ['consents'],
        summary: 'Global Privacy Control support resource',
        response: { 200: Type.Object({ gpc: Type.Boolean(), lastUpdate: Type.String({ format: 'date' }) }) },
      },
    },
    async () => {
      const published = custodian.policies.list();
      const last = published.length > 0 ? custodian.policies.active().publishedAt : custodian.clock.now();
      return { gpc: true, lastUpdate: new Date(last).toISOString().slice(0, 10) };
    },
  );

  // RFC 8058 one-click unsubscribe posts an HTML-form body; so does the confirmation page.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.post(
    '/v1/subjects/:id/consents',
    {
      onRequest: requireScope(apiKeys, 'consents:write'),
      schema: {
        tags: ['consents'],
        summary: 'Record that a subject gave or refused consent to a purpose',
        description:
          'Evidence is the notice version and text shown, locale, channel and time. Under Kazakhstan’s law a given consent must state the content of 94-V art. 8(4) — full name, validity, third parties, transfer abroad, public dissemination, list of data — and each separate consent of art. 7(6) (third parties, cross-border, public dissemination) is its own act: post it with `separateScope`. A `Sec-GPC: 1` header is recorded as a GPC signal.',
        security: [{ bearer: [] }],
        params: SubjectParams,
        body: ConsentBody,
        response: { 201: ConsentView, ...errors },
      },
    },
    async (request, reply) => {
      const record = await consents.record(request.params.id, request.body, actorOf(request), { gpc: gpcHeader(request) });
      return reply.status(201).send(consentView(record));
    },
  );

  app.post(
    '/v1/subjects/:id/consents/:purpose/withdraw',
    {
      onRequest: requireScope(apiKeys, 'consents:write'),
      schema: {
        tags: ['consents'],
        summary: 'Withdraw a subject’s consent to a purpose (with its separate consents), or one separate consent',
        security: [{ bearer: [] }],
        params: Type.Object({ id: Type.String({ format: 'uuid' }), purpose: PurposeId }, { additionalProperties: false }),
        body: WithdrawBody,
        response: { 200: Type.Object({ withdrawn: Type.Array(ConsentView) }), ...errors },
      },
    },
    async (request) => {
      const records = await consents.withdraw(request.params.id, request.params.purpose, request.body, actorOf(request), { gpc: gpcHeader(request) });
      return { withdrawn: records.map(consentView) };
    },
  );

  app.get(
    '/v1/subjects/:id/consents',
    {
      onRequest: requireScope(apiKeys, 'consents:read'),
      schema: {
        tags: ['consents'],
        summary: 'A subject’s consents: the current record per purpose and topic, and the full history',
        security: [{ bearer: [] }],
        params: SubjectParams,
        response: { 200: Type.Object({ current: Type.Array(ConsentView), history: Type.Array(ConsentView) }), ...errors },
      },
    },
    async (request) => {
      const history = (await consents.history(request.params.id)).map(consentView);
      return { current: history.filter((r) => r.current), history };
    },
  );

  app.get(
    '/v1/consents/renewals',
    {
      onRequest: requireScope(apiKeys, 'consents:read'),
      schema: {
        tags: ['consents'],
        summary: 'Who must be asked again: consents marked for renewal after a material policy change, and expired ones',
        security: [{ bearer: [] }],
        querystring: Type.Object(
          { purpose: Type.Optional(PurposeId), after: Type.Optional(Type.String({ format: 'uuid' })), limit: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,2}$|^1000$', description: 'Items per page, default 100, at most 1000' })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(RenewalItem), next: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `after` for the next page' }) }), ...errors },
      },
    },
    async (request) => {
      const { limit, ...rest } = request.query;
      const page = await consents.renewals({ ...rest, limit: limit === undefined ? undefined : Number(limit) });
      return { items: page.items.map((item) => ({ ...item, since: isoTime(item.since) })), next: page.next };
    },
  );

  app.get(
    '/v1/consents/:id',
    {
      onRequest: requireScope(apiKeys, 'consents:read'),
      schema: { tags: ['consents'], summary: 'One consent record', security: [{ bearer: [] }], params: RecordParams, response: { 200: ConsentView, ...errors } },
    },
    async (request) => consentView(await consents.get(request.params.id)),
  );

  app.get(
    '/v1/consents/:id/receipt',
    {
      onRequest: requireScope(apiKeys, 'consents:read'),
      schema: {
        tags: ['consents'],
        summary: 'The receipt of a consent act',
        description:
          '`kantara` (default): a Kantara Consent Receipt 1.1 (given consents only). `jsonld`: an ISO/IEC TS 27560 record in W3C DPV JSON-LD. `html`: a readable copy for the person in their language (en, ru, kk), self-contained.',
        security: [{ bearer: [] }],
        params: RecordParams,
        querystring: Type.Object(
          { format: Type.Optional(literalUnion(['kantara', 'jsonld', 'html'] as const)), locale: Type.Optional(literalUnion(LOCALES, 'Language of the readable copy; defaults to the subject’s')) },
          { additionalProperties: false },
        ),
        response: {
          200: {
            description: 'The receipt in the requested format',
            content: {
              'application/json': { schema: KantaraReceipt },
              'application/ld+json': { schema: JsonLdRecord },
              'text/html': { schema: Html },
            },
          },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      switch (request.query.format ?? 'kantara') {
        case 'kantara':
          return reply.type('application/json').send(await consents.kantaraReceipt(id));
        case 'jsonld':
          return reply.type('application/ld+json').send(await consents.consentRecordJsonLd(id));
        case 'html': {
          // The name is decrypted only for a caller that may read personal data, and only through the gate.
          const copy = await readableCopies.copy(id, { actor: actorOf(request), locale: request.query.locale, mayReadPersonalData: request.principal !== undefined && hasScope(request.principal, 'data:read') });
          return reply.type('text/html; charset=utf-8').headers({ ...PAGE_HEADERS, 'content-language': copy.locale }).send(copy.html);
        }
      }
    },
  );

  app.post(
    '/v1/subjects/:id/gpc',
    {
      onRequest: requireScope(apiKeys, 'consents:write'),
      schema: {
        tags: ['consents'],
        summary: 'Record a Global Privacy Control signal',
        description:
          'Binding as an opt-out of sale and sharing for subjects in California (US-CA); under the GDPR (EU, UK) read as an objection to selling, sharing and marketing; recorded without further effect elsewhere. Recorded once; repeating it changes nothing.',
        security: [{ bearer: [] }],
        params: SubjectParams,
        response: { 200: Type.Object({ gpc: GpcView, created: Type.Boolean(), saleSharingOptOut: Type.Boolean() }), 201: Type.Object({ gpc: GpcView, created: Type.Boolean(), saleSharingOptOut: Type.Boolean() }), ...errors },
      },
    },
    async (request, reply) => {
      const result = await consents.recordGpc(request.params.id, gpcHeader(request) ? 'sec-gpc-header' : 'api', actorOf(request));
      return reply.status(result.created ? 201 : 200).send({ gpc: { ...result.signal, at: isoTime(result.signal.at) }, created: result.created, saleSharingOptOut: result.saleSharingOptOut });
    },
  );

  app.post(
    '/v1/subjects/:id/objections',
    {
      onRequest: requireScope(apiKeys, 'consents:write'),
      schema: {
        tags: ['consents'],
        summary: 'Record an objection to a purpose based on legitimate interests or a public task, or to direct marketing',
        description: 'Objections are upheld when recorded (GDPR art. 21): the purpose gate refuses the purpose for this subject from then on.',
        security: [{ bearer: [] }],
        params: SubjectParams,
        body: Type.Object({ purpose: PurposeId }, { additionalProperties: false }),
        response: { 200: Type.Object({ objection: ObjectionView, created: Type.Boolean() }), 201: Type.Object({ objection: ObjectionView, created: Type.Boolean() }), ...errors },
      },
    },
    async (request, reply) => {
      const result = await consents.object(request.params.id, request.body.purpose, actorOf(request));
      return reply.status(result.created ? 201 : 200).send({ objection: { ...result.objection, at: isoTime(result.objection.at) }, created: result.created });
    },
  );

  app.get(
    '/v1/subjects/:id/opt-outs',
    {
      onRequest: requireScope(apiKeys, 'consents:read'),
      schema: {
        tags: ['consents'],
        summary: 'A subject’s GPC signal, objections, and the purposes of the active policy they opted out of',
        security: [{ bearer: [] }],
        params: SubjectParams,
        response: {
          200: Type.Object({
            gpc: Type.Union([GpcView, Type.Null()]),
            saleSharingOptOut: Type.Boolean(),
            objections: Type.Array(ObjectionView),
            purposes: Type.Array(Type.Object({ purpose: Type.String(), reason: Type.String() })),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const optOuts = await consents.optOuts(request.params.id);
      return {
        ...optOuts,
        gpc: optOuts.gpc ? { ...optOuts.gpc, at: isoTime(optOuts.gpc.at) } : null,
        objections: optOuts.objections.map((o) => ({ ...o, at: isoTime(o.at) })),
      };
    },
  );

  app.get(
    '/v1/subjects/:id/unsubscribe-link',
    {
      onRequest: requireScope(apiKeys, 'consents:write'),
      schema: {
        tags: ['consents'],
        summary: 'A signed one-click unsubscribe link for a marketing purpose, with the RFC 8058 mail headers',
        security: [{ bearer: [] }],
        params: SubjectParams,
        querystring: Type.Object({ purpose: PurposeId }, { additionalProperties: false }),
        response: { 200: Type.Object({ url: Type.String(), headers: Type.Object({ 'List-Unsubscribe': Type.String(), 'List-Unsubscribe-Post': Type.String() }) }), ...errors },
      },
    },
    async (request) => {
      const headers = await consents.unsubscribeHeaders(request.params.id, request.query.purpose);
      return { url: headers['List-Unsubscribe'].slice(1, -1), headers };
    },
  );

  app.get(
    '/unsubscribe',
    {
      schema: {
        tags: ['consents'],
        summary: 'The unsubscribe confirmation page a link opens (no login)',
        description: 'Shows a button; it never withdraws anything by itself, because mail scanners follow links.',
        querystring: UnsubscribeQuery,
        response: { 200: Html, ...errors },
      },
    },
    async (request, reply) => {
      const token = requireToken(request.query.token);
      const view = await consents.unsubscribeView(token);
      return reply.type('text/html; charset=utf-8').headers({ ...PAGE_HEADERS, 'content-language': view.locale }).send(unsubscribeConfirmPage(view.locale, view.purposeTitle, token));
    },
  );

  app.post(
    '/unsubscribe',
    {
      // A bare POST to the link (token in the query, no form) is a valid request too.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        tags: ['consents'],
        summary: 'Withdraw the marketing consent a signed link names (no login; RFC 8058 one-click)',
        description: 'The token comes in the form body or the query string. `List-Unsubscribe=One-Click` marks a mail client’s one-click request.',
        querystring: UnsubscribeQuery,
        body: UnsubscribeForm,
        response: { 200: Html, ...errors },
      },
    },
    async (request, reply) => {
      const token = requireToken(request.body.token ?? request.query.token);
      const oneClick = request.body['List-Unsubscribe'] === 'One-Click';
      const result = await consents.unsubscribe(token, oneClick ? 'email' : 'web-form');
      return reply.type('text/html; charset=utf-8').headers({ ...PAGE_HEADERS, 'content-language': result.locale }).send(unsubscribedPage(result.locale, result.purposeTitle));
    },
  );
};

function requireToken(token: string | undefined): string {
  if (!token) throw new CustodianError('link_invalid', 'The unsubscribe link is not valid', [{ path: 'token', message: 'is required' }]);
  return token;
}
