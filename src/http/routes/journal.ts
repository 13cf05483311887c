/**
 * The journal for auditors, and one subject's processing history. Both read through
 * `journal/query.ts`; events hold no personal-data values, and the response schema lets
 * only the event fields through.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { JOURNAL_OPERATIONS } from '../../law/operations.js';
import type { JournalEvent } from '../../journal/journal.js';
import { DEFAULT_PAGE, JournalQuery, type JournalPage, MAX_PAGE } from '../../journal/query.js';
import { requireScope } from '../auth.js';
import { ErrorBody } from '../errors.js';
import { isoTime, literalUnion, PolicyRef } from '../schemas.js';
import type { RouteDeps } from './deps.js';

const EventView = Type.Object({
  id: Type.String(),
  stream: Type.String(),
  seq: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actor: Type.String({ description: '`apikey:<id>`, `staff:<id>`, `subject`, `system:<job>`' }),
  operation: Type.String(),
  subjectId: Type.Union([Type.String(), Type.Null()]),
  purpose: Type.Union([Type.String(), Type.Null()]),
  categories: Type.Array(Type.String()),
  details: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null(), Type.Array(Type.String())]), { description: 'Counts, flags and codes; never values' }),
  hash: Type.String({ description: 'The event’s hash in its stream’s chain' }),
});

const Page = Type.Object({
  events: Type.Array(EventView),
  next: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `cursor` for the next page; null on the last page' }),
});

const Filters = {
  operation: Type.Optional(literalUnion(JOURNAL_OPERATIONS, 'Processing operation')),
  purpose: Type.Optional(PolicyRef('Purpose id')),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Inclusive start (RFC 3339)' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Exclusive end (RFC 3339)' })),
  limit: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,3}$', description: `Events per page, default ${DEFAULT_PAGE}, at most ${MAX_PAGE}` })),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_-]+$', description: '`next` of the previous page' })),
};

type FilterQuery = { operation?: string; purpose?: string; from?: string; to?: string; limit?: string; cursor?: string };

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

type EventBody = Static<typeof EventView>;

function eventView(event: JournalEvent): EventBody {
  const { prevHash: _prevHash, ...fields } = event;
  return { ...fields, at: isoTime(event.at), details: event.details as EventBody['details'] };
}

function pageView(page: JournalPage): Static<typeof Page> {
  return { events: page.events.map(eventView), next: page.next };
}

function parse(query: FilterQuery) {
  const { operation, purpose, from, to, limit, cursor } = query;
  return {
    filter: { operation, purpose, from: from === undefined ? undefined : Date.parse(from), to: to === undefined ? undefined : Date.parse(to) },
    page: { limit: limit === undefined ? undefined : Number(limit), cursor },
  };
}

export const journalRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { custodian }) => {
  const { apiKeys } = custodian;
  const journal = new JournalQuery({ db: custodian.store.db });

  app.get(
    '/v1/journal',
    {
      onRequest: requireScope(apiKeys, 'journal:read'),
      schema: {
        tags: ['journal'],
        summary: 'The processing journal, filtered and paged, for auditors',
        description: 'Ordered by time, then stream and sequence. Events record who did which operation under which purpose on which categories of whose data — never the data itself.',
        security: [{ bearer: [] }],
        querystring: Type.Object({ subjectId: Type.Optional(Type.String({ format: 'uuid' })), ...Filters }, { additionalProperties: false }),
        response: { 200: Page, ...errors },
      },
    },
    async (request) => {
      const { filter, page } = parse(request.query);
      return pageView(await journal.list({ ...filter, subjectId: request.query.subjectId }, page));
    },
  );

  app.get(
    '/v1/subjects/:id/journal',
    {
      onRequest: requireScope(apiKeys, 'journal:read'),
      schema: {
        tags: ['journal'],
        summary: 'A subject’s own processing history, for access answers',
        description: 'The same page as `/v1/journal`, for one subject. 404 when the journal holds no event for the subject.',
        security: [{ bearer: [] }],
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
        querystring: Type.Object(Filters, { additionalProperties: false }),
        response: { 200: Page, ...errors },
      },
    },
    async (request) => {
      const { filter, page } = parse(request.query);
      return pageView(await journal.subjectHistory(request.params.id, filter, page));
    },
  );
};
