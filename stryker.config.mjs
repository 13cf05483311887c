// Mutation testing of Custodian's core (`npm run mutate`; README, "Contributing").
//
// Test selection is per file: the TAP runner runs each test file in a process of its own
// and, with `coverageAnalysis: 'perTest'`, counts it as one test, so a mutant runs only the
// files that executed its code; `tap-ordered` (scripts/mutation/ordered-tap-runner.mjs)
// keeps those that scripts/mutation/test-map.mjs lists for the mutant's folder and runs
// them fastest first, stopping at the first failure.
import { resolve } from 'node:path';
import { CORE, orderedTestFiles, TESTS_FOR } from './scripts/mutation/test-map.mjs';

// A run narrowed with `--mutate` keeps its report and incremental cache apart, so it does
// not overwrite the full run's (Stryker writes only the mutated files into both).
const narrowed = process.argv.some((a) => a === '--mutate' || a === '-m' || a.startsWith('--mutate='));
// A "before" run (CUSTODIAN_MUTATION_TESTS_AT, see test-map.mjs) keeps its own too, so the after run's cache survives it.
const testsAt = process.env.CUSTODIAN_MUTATION_TESTS_AT;
const reports = `${narrowed ? 'reports/mutation/narrowed' : 'reports/mutation'}${testsAt ? `/tests-at-${testsAt}` : ''}`;

/**
 * The test files a narrowed run needs: those that judge the mutated sources. The dry run
 * runs every listed file once, so listing only these makes a one-folder run start in
 * minutes rather than after the whole core's suite.
 */
function testFilesFor(argv) {
  const files = orderedTestFiles();
  const at = argv.findIndex((a) => a === '--mutate' || a === '-m' || a.startsWith('--mutate='));
  if (at < 0) return files;
  const value = argv[at].startsWith('--mutate=') ? argv[at].slice('--mutate='.length) : (argv[at + 1] ?? '');
  const sources = value.split(',').map((pattern) => pattern.replace(/[*{[:].*$/, ''));
  const prefixes = TESTS_FOR.filter(([source]) => sources.some((s) => s.startsWith(source) || source.startsWith(s))).flatMap(([, tests]) => tests);
  return prefixes.length === 0 ? files : files.filter((file) => prefixes.some((prefix) => file.startsWith(prefix)));
}

// Where test processes register, so the databases of killed ones are dropped (scripts/mutation/test-child.mjs).
process.env.CUSTODIAN_MUTATION_REGISTRY ??= resolve('.stryker-tmp/test-processes');
// A PostgreSQL half that silently skipped would make every storage mutant look killed-or-survived by SQLite alone.
process.env.CUSTODIAN_REQUIRE_PG ??= '1';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  $schema: './node_modules/@stryker-mutator/core/schema/stryker-schema.json',
  packageManager: 'npm',
  plugins: ['@stryker-mutator/tap-runner', '@stryker-mutator/typescript-checker', './scripts/mutation/ordered-tap-runner.mjs', './scripts/mutation/equivalent-ignorer.mjs', './scripts/mutation/live-reporter.mjs'],
  // Equivalent mutants (mutation/EQUIVALENT.md) are reported as Ignored and do not count.
  ignorers: ['equivalent'],
  mutate: CORE,
  testRunner: 'tap-ordered',
  tap: {
    testFiles: testFilesFor(process.argv),
    nodeArgs: ['-r', '{{hookFile}}', '--import', 'tsx', '--import', './scripts/mutation/test-child.mjs', '--test-reporter=tap', '{{testFile}}'],
    forceBail: true,
  },
  coverageAnalysis: 'perTest',
  checkers: ['typescript'],
  tsconfigFile: 'scripts/mutation/tsconfig.checker.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  concurrency: 2,
  // The dry run runs every listed file once; on a busy 2-core machine that is more than Stryker's default 5 minutes.
  dryRunTimeoutMinutes: 30,
  timeoutMS: 20_000,
  timeoutFactor: 2,
  incremental: true,
  incrementalFile: `${reports}/stryker-incremental.json`,
  reporters: ['html', 'json', 'clear-text', 'progress', 'live'],
  htmlReporter: { fileName: `${reports}/mutation.html` },
  jsonReporter: { fileName: `${reports}/mutation.json` },
  clearTextReporter: { allowColor: false, reportTests: false, reportMutants: false, reportScoreTable: true, skipFull: true },
  thresholds: { high: 90, low: 80, break: null },
  ignorePatterns: ['/data', '/bench-results', '/reports', '/.tmp', '/*.log'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
