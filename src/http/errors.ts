/**
 * One function turns anything thrown into the public error shape
 * `{ error: { code, message, details: [{ path, message, code? }] } }`. Nothing here echoes
 * request content: parser and router messages (which quote the body or the whole URL) are
 * replaced by fixed text, and a field name is only quoted when it looks like one.
 */
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { Type } from '@sinclair/typebox';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { CustodianError, type ErrorCode, type ErrorDetail } from '../errors.js';

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable machine-readable code' }),
      message: Type.String(),
      details: Type.Array(
        Type.Object({
          path: Type.String({ description: 'The field at fault, e.g. `items[0].category`' }),
          message: Type.String(),
          code: Type.Optional(Type.String({ description: 'Stable machine-readable code of this detail, e.g. a purpose-gate reason' })),
        }),
      ),
    }),
  },
  { $id: 'ErrorBody', description: 'The error shape of every route' },
);

const STATUS: Record<ErrorCode, number> = {
  validation_failed: 400,
  not_found: 404,
  conflict: 409,
  purpose_not_declared: 422,
  category_not_declared: 422,
  category_not_allowed_for_purpose: 422,
  operation_not_allowed: 422,
  source_not_declared: 422,
  value_invalid: 422,
  consent_not_applicable: 422,
  consent_incomplete: 422,
  objection_not_applicable: 422,
  link_invalid: 400,
  public_url_missing: 503,
  denied: 403,
  subject_not_active: 409,
  policy_invalid: 422,
  policy_not_published: 503,
  unauthenticated: 401,
  forbidden: 403,
};

export function errorBody(code: string, message: string, details: ErrorDetail[] = []) {
  return { error: { code, message, details } };
}

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/**
 * What a field name looks like. Anything else in a path — an unknown key that is an e-mail
 * address, 100k characters, a record key the caller chose — is shown as `*`, so a path
 * never quotes what the caller sent in place of a name.
 */
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

/** `/items/0/category` + keyword params → `items[0].category`. */
function ajvPath(context: string | undefined, error: AjvError): string {
  const segments = error.instancePath.split('/').filter(Boolean).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const extra = (error.params.missingProperty ?? error.params.additionalProperty) as string | undefined;
  if (typeof extra === 'string') segments.push(extra);
  const path = segments
    .map((s) => (/^\d{1,9}$/.test(s) ? `[${s}]` : FIELD_NAME.test(s) ? s : '*'))
    .map((s, i) => (i === 0 || s.startsWith('[') ? s : `.${s}`))
    .join('');
  // The body itself (a number where an object belongs) is named `body`, never the empty path.
  return context && context !== 'body' ? (path ? `${context}.${path}` : context) : path || 'body';
}

function ajvMessage(error: AjvError): string {
  if (error.keyword === 'additionalProperties') return 'unknown field';
  if (error.keyword === 'required') return 'is required';
  // ajv messages describe the schema ("must be string"), never the value.
  return error.message ?? 'is invalid';
}

export function toErrorResponse(error: unknown): { status: number; body: ReturnType<typeof errorBody> } {
  if (error instanceof CustodianError) return { status: STATUS[error.code], body: errorBody(error.code, error.message, error.details) };
  const fastifyError = error as FastifyError & { validation?: AjvError[]; validationContext?: string };
  if (fastifyError.validation) {
    const details = fastifyError.validation.map((v) => ({ path: ajvPath(fastifyError.validationContext, v), message: ajvMessage(v) }));
    return { status: 400, body: errorBody('validation_failed', 'The request is invalid', details) };
  }
  // Fastify passes the JSON parser's SyntaxError through with status 400.
  if (error instanceof SyntaxError && fastifyError.statusCode === 400) return { status: 400, body: errorBody('malformed_json', 'The request body is not valid JSON') };
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_INVALID_JSON':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, body: errorBody('malformed_json', 'The request body is not valid JSON') };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, body: errorBody('payload_too_large', 'The request body is larger than the limit') };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, body: errorBody('unsupported_media_type', 'Unsupported Content-Type') };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 400, body: errorBody('bad_request', 'Content-Length does not match the body') };
    // The router's own messages quote the whole URL.
    case 'FST_ERR_BAD_URL':
    case 'FST_ERR_INVALID_URL':
      return { status: 400, body: errorBody('bad_url', 'The URL is not valid: it has a malformed percent-encoding', [{ path: 'url', message: 'is not valid percent-encoded UTF-8' }]) };
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return { status: 414, body: errorBody('uri_too_long', 'A path parameter is longer than the limit', [{ path: 'url', message: 'a path segment is too long' }]) };
  }
  const status = fastifyError.statusCode;
  if (status && status >= 400 && status < 500) return { status, body: errorBody('bad_request', 'The request could not be processed') };
  return { status: 500, body: errorBody('internal_error', 'Internal error') };
}

/**
 * For the route's error handler, the not-found handler's callers and Fastify's
 * `frameworkErrors` (router failures before any route matched: bad percent-encoding, a
 * too-long parameter, async constraints).
 */
export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const { status, body } = toErrorResponse(error);
  if (status >= 500) {
    // Log the error class and stack only: messages of unexpected errors may quote data.
    const e = error as Error;
    request.log.error({ err: { type: e?.name, code: (e as FastifyError)?.code, stack: e?.stack?.split('\n').slice(1).join('\n') } }, 'request failed');
  }
  void reply.status(status).send(body);
}

const CLIENT_ERRORS: Record<string, { status: number; body: ReturnType<typeof errorBody> }> = {
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, body: errorBody('request_timeout', 'The request took too long to arrive') },
  HPE_HEADER_OVERFLOW: { status: 431, body: errorBody('headers_too_large', 'The request headers are larger than the limit') },
};

/**
 * Fastify's `clientErrorHandler`: the request is not valid HTTP, so no route, hook or reply
 * exists; the answer is written to the socket, in the error shape all the same.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const { status, body } = CLIENT_ERRORS[error.code ?? ''] ?? { status: 400, body: errorBody('bad_request', 'The request is not valid HTTP') };
  const text = JSON.stringify(body);
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
  }
  socket.destroy();
}
