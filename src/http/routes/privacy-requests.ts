/**
 * The public side of rights requests, for the privacy center and the operator's own pages:
 * no API key. Answers never say whether the person is known — a code is "sent if we hold
 * this address" — and intake is rate-limited per client address.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody } from '../errors.js';
import type { RouteDeps } from './deps.js';

const errors = { 400: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody };

export const privacyRequestRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { custodian }) => {
  const { rights } = custodian;

  app.get(
    '/privacy/requests/confirm',
    {
      schema: {
        tags: ['requests'],
        summary: 'Follow a signed confirmation link',
        querystring: Type.Object({ token: Type.String({ minLength: 10, maxLength: 200, pattern: '^[A-Za-z0-9._-]+$' }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ id: Type.String(), state: Type.String() }), ...errors },
      },
    },
    async (request) => {
      const confirmed = await rights.verification.confirmLink(request.query.token, 'subject');
      return { id: confirmed.id, state: confirmed.state };
    },
  );

  app.get(
    '/privacy/requests/package',
    {
      schema: {
        tags: ['requests'],
        summary: 'Download a package by its signed, expiring link',
        querystring: Type.Object({ token: Type.String({ minLength: 10, maxLength: 200, pattern: '^[A-Za-z0-9._-]+$' }) }, { additionalProperties: false }),
        response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), ...errors },
      },
    },
    async (request, reply) => {
      const zip = await rights.fulfilment.download(request.query.token);
      return reply.type('application/zip').header('content-disposition', 'attachment; filename="personal-data.zip"').header('cache-control', 'no-store').send(zip as never); // a Buffer goes out as it is, unserialized
    },
  );
};
