/**
 * Bearer API-key authentication with scopes. A route declares the scope it needs; the
 * hook answers 401 without a valid key and 403 without the scope, in the error shape.
 */
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { type ApiKeyPrincipal, type ApiKeys, hasScope, type Scope } from '../access/api-keys.js';
import { errorBody } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: ApiKeyPrincipal;
  }
}

/**
 * Runs as an `onRequest` hook: before the body is read or validated, so an anonymous
 * caller learns nothing about the schema and costs no parsing.
 */
export function requireScope(apiKeys: ApiKeys, scope: Scope): onRequestAsyncHookHandler {
  return async function authenticate(request: FastifyRequest, reply: FastifyReply) {
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    const principal = token ? await apiKeys.authenticate(token) : undefined;
    if (!principal) {
      void reply
        .status(401)
        .header('www-authenticate', 'Bearer realm="custodian"')
        .send(errorBody('unauthenticated', token ? 'The API key is not valid' : 'An API key is required (Authorization: Bearer …)'));
      return reply;
    }
    if (!hasScope(principal, scope)) {
      void reply.status(403).send(errorBody('forbidden', `The API key lacks the "${scope}" scope`, [{ path: 'scope', message: `requires ${scope}` }]));
      return reply;
    }
    request.principal = principal;
  };
}

/** The journal's actor name for the caller. */
export function actorOf(request: FastifyRequest): string {
  return request.principal ? `apikey:${request.principal.keyId}` : 'anonymous';
}
