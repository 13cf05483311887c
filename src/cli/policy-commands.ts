/**
 * `custodian policy check` and `custodian policy diff`: the compiler on the command line.
 * The handlers are plain functions returning the lines to print and the exit code, so tests
 * run them without a process; the commander actions only print.
 */
import type { Command } from 'commander';
import { compilePolicyFile } from '../policy/compile.js';
import { formatDiagnostic, hasErrors, type Diagnostic } from '../policy/diagnostics.js';
import { diffPolicies, isMaterial, type PolicyChange } from '../policy/diff.js';
import type { Policy } from '../policy/model.js';

export interface CommandOutcome {
  lines: string[];
  exitCode: number;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Compiles each file and reports every diagnostic as `FILE:LINE:COL: severity: message`,
 * then a summary. Exit code 1 when any file has an error; warnings alone pass.
 *
 * @example const { lines, exitCode } = await checkPolicyFiles(['examples/wadjet.policy.yaml']);
 */
export async function checkPolicyFiles(files: readonly string[]): Promise<CommandOutcome> {
  const diagnostics: Diagnostic[] = [];
  for (const file of files) diagnostics.push(...(await compilePolicyFile(file)).diagnostics);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  return {
    lines: [
      ...diagnostics.map(formatDiagnostic),
      `${plural(files.length, 'file')} checked: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`,
    ],
    exitCode: errors > 0 ? 1 : 0,
  };
}

function describeChange(change: PolicyChange): string {
  const purposes = change.purposes.length > 0 ? ` [purposes: ${change.purposes.join(', ')}]` : '';
  const renewal = change.affectsConsents ? ' [consents need renewal]' : '';
  return `  ${change.code}  ${change.path}: ${change.message}${purposes}${renewal}`;
}

/**
 * Compares two policy files: material changes first, then editorial ones, each with the
 * purposes it affects. `json` prints `{ material, changes }` instead. Exit code 1 only
 * when a file does not compile (its diagnostics are printed); a difference is not a failure.
 */
export async function diffPolicyFiles(before: string, after: string, options: { json?: boolean } = {}): Promise<CommandOutcome> {
  const compiled: Policy[] = [];
  const problems: Diagnostic[] = [];
  for (const file of [before, after]) {
    const { policy, diagnostics } = await compilePolicyFile(file);
    if (policy) compiled.push(policy);
    if (hasErrors(diagnostics)) problems.push(...diagnostics.filter((d) => d.severity === 'error'));
  }
  if (problems.length > 0 || compiled.length < 2) {
    return { lines: [...problems.map(formatDiagnostic), 'Cannot compare: fix the errors above first'], exitCode: 1 };
  }

  const changes = diffPolicies(compiled[0]!, compiled[1]!);
  if (options.json) {
    return { lines: [JSON.stringify({ material: isMaterial(changes), changes }, null, 2)], exitCode: 0 };
  }
  if (changes.length === 0) return { lines: ['No changes.'], exitCode: 0 };
  const material = changes.filter((c) => c.kind === 'material');
  const editorial = changes.filter((c) => c.kind === 'editorial');
  const lines: string[] = [];
  if (material.length > 0) lines.push(`Material changes (${material.length}):`, ...material.map(describeChange));
  if (editorial.length > 0) lines.push(`Editorial changes (${editorial.length}):`, ...editorial.map(describeChange));
  const renewals = [...new Set(changes.filter((c) => c.affectsConsents).flatMap((c) => c.purposes))];
  if (renewals.length > 0) lines.push(`Consents to renew: ${renewals.join(', ')}`);
  return { lines, exitCode: 0 };
}

function print(outcome: CommandOutcome): void {
  for (const line of outcome.lines) console.log(line);
  process.exitCode = outcome.exitCode;
}

/** Adds `check` and `diff` to the given `policy` command. */
export function registerPolicyCheckCommands(policy: Command): Command {
  policy
    .command('check')
    .argument('<files...>', 'policy files (YAML or JSON)')
    .description('Compile policy files and report errors and warnings as FILE:LINE:COL')
    .action(async (files: string[]) => print(await checkPolicyFiles(files)));

  policy
    .command('diff')
    .argument('<before>', 'the earlier policy file')
    .argument('<after>', 'the later policy file')
    .option('--json', 'print the changes as JSON')
    .description('List material and editorial changes between two policy files')
    .action(async (before: string, after: string, options: { json?: boolean }) => print(await diffPolicyFiles(before, after, options)));

  return policy;
}
