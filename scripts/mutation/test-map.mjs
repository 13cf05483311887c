/**
 * Which test files may judge a mutant of which part of the core, and in what order they
 * run. Used by stryker.config.mjs and by the `tap-ordered` runner.
 *
 * A mutant runs the test files that both executed its code in the dry run (Stryker's
 * per-test coverage; with the TAP runner one file is one test) and are listed for its
 * source file below, fastest first, stopping at the first failure. Without the list a
 * surviving mutant of the gate would run every file that touches the gate — most of the
 * suite — and a full run would not fit a working day on two cores. The list names each
 * part's own tests and the few integration files written against it.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The core: what `npm run mutate` mutates. */
export const CORE = [
  'src/decisions/**/*.ts',
  'src/consent/**/*.ts',
  'src/journal/**/*.ts',
  'src/crypto/**/*.ts',
  'src/vault/**/*.ts',
  'src/policy/semantics.ts',
  'src/http/errors.ts',
  'src/law/**/*.ts',
];

/** Source prefix → prefixes of the test files that judge its mutants (first match wins). */
export const TESTS_FOR = [
  ['src/decisions/', ['test/decisions/', 'test/vault/', 'test/consent/gpc.test.ts', 'test/consent/consents.test.ts', 'test/disclosures/', 'test/http/vault-controls.test.ts']],
  ['src/consent/', ['test/consent/', 'test/http/publish-renewal.test.ts', 'test/decisions/']],
  ['src/journal/', ['test/journal/']],
  ['src/crypto/', ['test/crypto/', 'test/vault/', 'test/journal/', 'test/store/no-plaintext.test.ts']],
  ['src/vault/', ['test/vault/', 'test/http/subjects.test.ts', 'test/http/vault-controls.test.ts', 'test/decisions/']],
  ['src/policy/semantics.ts', ['test/policy/']],
  ['src/http/errors.ts', ['test/http/']],
  ['src/law/', ['test/law/', 'test/decisions/', 'test/policy/', 'test/consent/gpc.test.ts', 'test/consent/consents.test.ts', 'test/disclosures/']],
];

/**
 * Seconds one file takes on both engines, measured on the 2-core machine; a file not
 * listed counts as 3 s. Sorting by it puts the pure unit files first.
 */
const SECONDS = {
  'test/crypto/envelope.test.ts': 0.3,
  'test/vault/values.test.ts': 0.4,
  'test/decisions/subject-context.test.ts': 0.9,
  'test/decisions/gate.test.ts': 1.9,
  'test/policy/diff.test.ts': 2,
  'test/vault/concurrency.test.ts': 2.1,
  'test/vault/races.test.ts': 2.2,
  'test/policy/render.test.ts': 2.4,
  'test/policy/semantics.test.ts': 3,
  'test/disclosures/disclosures.test.ts': 3.3,
  'test/policy/compile.test.ts': 3.4,
  'test/store/no-plaintext.test.ts': 3.8,
  'test/consent/gpc.test.ts': 4.5,
  'test/policy/notice-facts.test.ts': 4.9,
  'test/http/vault-controls.test.ts': 5.6,
  'test/policy/examples-broken.test.ts': 5.8,
  'test/journal/checkpoint-chain.test.ts': 5.9,
  'test/http/errors.test.ts': 6.4,
  'test/journal/query.test.ts': 7.2,
  'test/http/access.test.ts': 8.3,
  'test/journal/sink.test.ts': 8.9,
  'test/http/subjects.test.ts': 9.3,
  'test/consent/http.test.ts': 9.3,
  'test/consent/receipts.test.ts': 9.5,
  'test/journal/tamper.test.ts': 10.4,
  'test/http/publish-renewal.test.ts': 11.6,
  'test/consent/consents.test.ts': 11.8,
  'test/journal/rewind.test.ts': 12.8,
  'test/http/policy.test.ts': 18,
  'test/crypto/rotation.test.ts': 20.7,
};

/**
 * Test files that cannot kill a mutant of the core and only cost time: they drive the
 * compiled CLI or server in child processes (dist/, not the mutated src/), a browser, or
 * features outside the core; the seed scenarios run end to end what the files above test
 * part by part, at 28 s a run.
 */
const EXCLUDED = [
  /^test\/(bench|cli|e2e|notify|platform|reliability|scenarios)\//,
  /^test\/store\/(jobs|scheduler)\.test\.ts$/,
  /^test\/policy\/cli\.test\.ts$/,
  /^test\/journal\/anchor\.test\.ts$/, // every case runs `custodian journal …` from dist/
];

function collect(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name).replaceAll('\\', '/');
    if (entry.isDirectory()) return entry.name === 'support' ? [] : collect(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const judges = (file) => TESTS_FOR.some(([, tests]) => tests.some((prefix) => file.startsWith(prefix)));

/**
 * Test files as of a commit (`CUSTODIAN_MUTATION_TESTS_AT=<commit>`), to measure the tests
 * of an earlier day against today's code — the "before" of a mutation score. Unset: all.
 */
function testsAt(commit) {
  if (!commit) return undefined;
  return new Set(execFileSync('git', ['ls-tree', '-r', '--name-only', commit, 'test/'], { encoding: 'utf8' }).split('\n').filter(Boolean));
}

/** Every test file that judges some part of the core, fastest first. */
export function orderedTestFiles(root = '.') {
  const previous = process.cwd();
  process.chdir(root);
  try {
    const then = testsAt(process.env.CUSTODIAN_MUTATION_TESTS_AT);
    return collect('test')
      .filter((file) => judges(file) && !EXCLUDED.some((pattern) => pattern.test(file)) && (!then || then.has(file)))
      .sort((a, b) => (SECONDS[a] ?? 3) - (SECONDS[b] ?? 3) || a.localeCompare(b));
  } finally {
    process.chdir(previous);
  }
}

/** The test prefixes that judge mutants of `sourceFile` (a path relative to the project), or undefined. */
export function testsFor(sourceFile) {
  return TESTS_FOR.find(([source]) => sourceFile.startsWith(source))?.[1];
}
