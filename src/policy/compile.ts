/**
 * The policy compiler: YAML or JSON text → the `Policy` model, with diagnostics that carry
 * file, line and column. Four stages, each stopping the next on errors so a reader sees
 * causes rather than their echoes: parse (YAML syntax) → schema (shape, types, unknown keys)
 * → meaning checks (references, law) → normalization (defaults, taxonomy, merged links).
 */
import { readFile } from 'node:fs/promises';
import { locate, parsePolicyDocument } from './compile-document.js';
import { normalizePolicy } from './compile-normalize.js';
import { schemaFindings } from './compile-schema-errors.js';
import { hasErrors, PolicyError, type Diagnostic } from './diagnostics.js';
import type { Policy } from './model.js';
import { PolicySourceSchema, type PolicySource } from './schema.js';
import { checkPolicySource } from './semantics.js';

export interface CompileResult {
  /** Present when there are no errors (warnings allowed). */
  policy?: Policy;
  /** Every error and warning, in file order. */
  diagnostics: Diagnostic[];
}

const byPosition = (a: Diagnostic, b: Diagnostic) => a.line - b.line || a.column - b.column;

/**
 * Compiles policy source text. `file` is only used in diagnostics.
 *
 * @example
 * const { policy, diagnostics } = compilePolicy(await readFile('shop.policy.yaml', 'utf8'), 'shop.policy.yaml');
 * for (const d of diagnostics) console.error(formatDiagnostic(d));
 */
export function compilePolicy(source: string, file: string): CompileResult {
  const parsed = parsePolicyDocument(source, file);
  if (hasErrors(parsed.diagnostics)) return { diagnostics: parsed.diagnostics.sort(byPosition) };

  const shapeFindings = schemaFindings(PolicySourceSchema, parsed.value);
  if (shapeFindings.length > 0) {
    return { diagnostics: [...parsed.diagnostics, ...shapeFindings.map((f) => locate(parsed, f))].sort(byPosition) };
  }

  const checked = parsed.value as PolicySource;
  const diagnostics = [...parsed.diagnostics, ...checkPolicySource(checked).map((f) => locate(parsed, f))].sort(byPosition);
  if (hasErrors(diagnostics)) return { diagnostics };
  return { policy: normalizePolicy(checked), diagnostics };
}

/** Reads and compiles a file; an unreadable file is an error diagnostic, not an exception. */
export async function compilePolicyFile(path: string): Promise<CompileResult> {
  let source: string;
  try {
    source = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return {
      diagnostics: [
        { file: path, line: 1, column: 1, severity: 'error', code: 'file-unreadable', path: '', message: `cannot read the policy file (${reason})` },
      ],
    };
  }
  return compilePolicy(source, path);
}

/**
 * Loads a policy for use: the compiled model, or a `PolicyError` listing every diagnostic.
 *
 * @example const policy = await loadPolicyFile('examples/wadjet.policy.yaml');
 */
export async function loadPolicyFile(path: string): Promise<Policy> {
  const { policy, diagnostics } = await compilePolicyFile(path);
  if (!policy) throw new PolicyError(path, diagnostics);
  return policy;
}
