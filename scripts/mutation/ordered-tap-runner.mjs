/**
 * Stryker test runner `tap-ordered`: Stryker's TAP runner (one process per test file) that
 * runs a mutant only against the test files `test-map.mjs` lists for the mutant's source
 * file, in the order `tap.testFiles` gives (fastest first).
 *
 * With `coverageAnalysis: 'perTest'` the TAP runner counts each file as one test, so
 * Stryker already hands over only the files that executed the mutant; this narrows them
 * to the files that judge that part of the core and fixes their order, so most mutants are
 * killed by the first, fastest file they meet.
 */
import { commonTokens, declareFactoryPlugin, PluginKind, tokens } from '@stryker-mutator/api/plugin';
import { createTapTestRunnerFactory } from '@stryker-mutator/tap-runner';
import { testsFor } from './test-map.mjs';

const createTap = createTapTestRunnerFactory();

function createOrderedTapRunner(injector) {
  const inner = createTap(injector);
  const options = injector.resolve(commonTokens.options);
  const rank = new Map((options.tap?.testFiles ?? []).map((file, i) => [file, i]));
  const position = (file) => rank.get(file) ?? Number.MAX_SAFE_INTEGER;

  /** The covering files that judge this mutant, in order; all covering files when none does. */
  function select(testFilter, mutant) {
    // The mutant names its original file (absolute, outside the sandbox): keep `src/…`.
    const source = /(?:^|.*\/)(src\/.+)$/.exec(mutant.fileName.replaceAll('\\', '/'))?.[1] ?? mutant.fileName;
    const prefixes = testsFor(source);
    const judging = prefixes ? testFilter.filter((file) => prefixes.some((prefix) => file.startsWith(prefix))) : testFilter;
    return (judging.length > 0 ? judging : [...testFilter]).sort((a, b) => position(a) - position(b));
  }

  return {
    capabilities: () => inner.capabilities(),
    init: () => inner.init(),
    dryRun: (run) => inner.dryRun(run),
    mutantRun: (run) => inner.mutantRun(run.testFilter ? { ...run, testFilter: select(run.testFilter, run.activeMutant) } : run),
    dispose: async () => inner.dispose?.(),
  };
}
createOrderedTapRunner.inject = tokens(commonTokens.injector);

export const strykerPlugins = [declareFactoryPlugin(PluginKind.TestRunner, 'tap-ordered', createOrderedTapRunner)];
