/**
 * The public side of rights requests, for the privacy center and the operator's own pages:
 * no API key. Answers never say whether the person is known — a code is "sent if we hold
 * this address" — and intake is rate-limited per client address.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CustodianError } from '../../errors.js';
import { LOCALES } from '../../policy/model.js';
import { REQUEST_TYPES } from '../../rights/model.js';
import { publicIntake } from '../../rights/public-intake.js';
import { ErrorBody, errorBody } from '../errors.js';
import { literalUnion } from '../schemas.js';
import type { RouteDeps } from './deps.js';

/**
 * A fixed window per client address, in this process: enough to keep one client from
 * flooding people with codes. Behind a proxy, Fastify's `trustProxy` decides what `ip` is.
 */
export class WindowLimiter {
  private readonly hits = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  /** True when the client may go ahead (and counts it). */
  take(key: string): boolean {
    const now = this.now();
    const entry = this.hits.get(key);
    if (!entry || now - entry.start >= this.windowMs) {
      if (this.hits.size > 10_000) this.sweep(now);
      this.hits.set(key, { start: now, count: 1 });
      return true;
    }
    entry.count++;
    return entry.count <= this.limit;
  }

  private sweep(now: number): void {
    for (const [key, entry] of this.hits) if (now - entry.start >= this.windowMs) this.hits.delete(key);
  }
}

/** Requests filed per client address per 15 minutes, and code checks. */
export const PUBLIC_LIMITS = { intake: 5, checks: 20, windowMs: 15 * 60_000 } as const;

function limited(limiter: WindowLimiter) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (limiter.take(request.ip)) return;
    void reply.status(429).header('retry-after', String(PUBLIC_LIMITS.windowMs / 1000)).send(errorBody('rate_limited', 'Too many requests from this address; try again later'));
    return reply;
  };
}

const errors = { 400: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody };

export const privacyRequestRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { custodian }) => {
  const { rights, policies, clock } = custodian;
  const intakeLimiter = new WindowLimiter(PUBLIC_LIMITS.intake, PUBLIC_LIMITS.windowMs, () => clock.now());
  const checkLimiter = new WindowLimiter(PUBLIC_LIMITS.checks, PUBLIC_LIMITS.windowMs, () => clock.now());

  app.post(
    '/privacy/requests',
    {
      // After validation: malformed input is refused by field and does not use up the client's allowance.
      preHandler: limited(intakeLimiter),
      schema: {
        tags: ['requests'],
        summary: 'A person files a rights request; a confirmation code goes to their address if it is known',
        description: 'No API key. The answer is the same for an address Custodian holds data on and one it does not. At most 5 well-formed requests per client address per 15 minutes (429 after).',
        body: Type.Object(
          {
            type: literalUnion(REQUEST_TYPES),
            email: Type.String({ format: 'email', minLength: 3, maxLength: 254 }),
            locale: Type.Optional(literalUnion(LOCALES)),
          },
          { additionalProperties: false },
        ),
        response: { 202: Type.Object({ id: Type.String(), state: Type.String(), message: Type.String() }), ...errors },
      },
    },
    async (request, reply) => reply.status(202).send(await publicIntake({ policies, requests: rights.requests, verification: rights.verification }, request.body)),
  );

  app.post(
    '/privacy/requests/:id/verify',
    {
      // After validation: malformed input is refused by field and does not use up the client's allowance.
      preHandler: limited(checkLimiter),
      schema: {
        tags: ['requests'],
        summary: 'The person enters the code they were mailed',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
        body: Type.Object({ code: Type.String({ pattern: '^[0-9]{6}$' }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ id: Type.String(), state: Type.String() }), ...errors },
      },
    },
    async (request) => {
      // One answer for a wrong, an expired and a never-sent code: which one it was would tell whether the address is known.
      const verified = await rights.verification.checkCode(request.params.id, request.body.code, 'subject').catch((error: unknown) => {
        if (error instanceof CustodianError && error.details.some((d) => d.path === 'code')) {
          throw new CustodianError('validation_failed', 'The code is not right, or has expired; ask for a new request if needed', [{ path: 'code', message: 'not right or expired', code: 'code_invalid' }]);
        }
        throw error;
      });
      return { id: verified.id, state: verified.state };
    },
  );

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
