/**
 * What the policy compiler says about a file: each finding carries the file, the line and
 * column of the offending YAML node and a stable code, so editors, CI logs and the HTTP
 * error body all point at the same place.
 */
import { CustodianError } from '../errors.js';

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  severity: Severity;
  /** Stable identifier of the check, e.g. `retention-missing`; see docs/policy-language.md. */
  code: string;
  /** Where in the policy, e.g. `purposes[2].categories[0]`; empty for the whole file. */
  path: string;
  message: string;
}

/** A location inside the policy document: map keys and sequence indexes from the root. */
export type PolicyPath = readonly (string | number)[];

/**
 * A diagnostic before it has a position. The checks work on plain values and report paths;
 * the compiler resolves each path against the YAML document (see `compile-document.ts`).
 */
export interface Finding {
  severity: Severity;
  code: string;
  path: PolicyPath;
  message: string;
  /** Point at the key of the last path segment rather than its value (unknown fields). */
  at?: 'key' | 'value';
}

/**
 * Renders a path the way a reader writes it.
 *
 * @example formatPath(['purposes', 2, 'categories', 0]) // 'purposes[2].categories[0]'
 */
export function formatPath(path: PolicyPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

/**
 * The one-line form compilers use, which editors and CI annotators parse:
 * `FILE:LINE:COL: error|warning: message [code]`.
 */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message} [${d.code}]`;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/**
 * Thrown by `loadPolicyFile` when a policy does not compile; carries every diagnostic. It is a
 * `policy_invalid` `CustodianError`, an expected failure: the CLI prints it without a stack.
 */
export class PolicyError extends CustodianError {
  override readonly name = 'PolicyError';

  constructor(
    readonly file: string,
    readonly diagnostics: readonly Diagnostic[],
  ) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    super(
      'policy_invalid',
      `${file}: the policy has ${errors.length} error(s)`,
      errors.map((d) => ({ path: d.path || `${d.line}:${d.column}`, message: formatDiagnostic(d) })),
    );
  }
}
