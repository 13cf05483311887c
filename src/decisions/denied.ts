import { CustodianError } from '../errors.js';
import type { Reason } from './reasons.js';

/**
 * The gate said no: every reason becomes a detail with its stable `code`, and `path`
 * names the request field the refusal is about.
 */
export function denied(message: string, reasons: readonly Reason[], path: string): CustodianError {
  return new CustodianError('denied', message, reasons.map((r) => ({ path, code: r.code, message: r.message })));
}
