/**
 * The one error type services throw for expected failures. Codes are stable and
 * documented; `http/errors.ts` maps them to status codes. Messages and details name
 * fields and ids, never personal-data values.
 */

export type ErrorCode =
  | 'validation_failed'
  | 'not_found'
  | 'conflict'
  | 'purpose_not_declared'
  | 'category_not_declared'
  | 'category_not_allowed_for_purpose'
  | 'operation_not_allowed'
  | 'source_not_declared'
  | 'value_invalid'
  | 'consent_not_applicable'
  | 'consent_incomplete'
  | 'objection_not_applicable'
  | 'link_invalid'
  | 'public_url_missing'
  | 'denied'
  | 'subject_not_active'
  | 'policy_invalid'
  | 'policy_not_published'
  | 'unauthenticated'
  | 'forbidden';

export interface ErrorDetail {
  path: string;
  message: string;
  /** A stable code for this detail (e.g. a purpose-gate reason), when it has one. */
  code?: string;
}

export class CustodianError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'CustodianError';
  }
}

export function notFound(what: string, path = ''): CustodianError {
  return new CustodianError('not_found', `${what} not found`, path ? [{ path, message: `${what} not found` }] : []);
}

/**
 * The installation needs fixing before Custodian can run: a keyring with loose permissions,
 * a missing key, a database URL of the wrong form. Messages name the file, variable or
 * table to fix — never data — and the CLI prints them in one line, without a stack trace.
 */
export class SetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SetupError';
  }
}
