#!/usr/bin/env node
// `npm run mutate [-- <stryker options>]`: Stryker on the core (stryker.config.mjs), then
// the score per folder and the time it took. Extra arguments go to `stryker run`, e.g.
//   npm run mutate -- --mutate 'src/journal/**/*.ts'   # one folder (its own report)
//   npm run mutate -- --force                           # ignore the incremental cache
// Test databases that killed test processes left behind are dropped before and after.
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { stopLeftovers, sweep } from './mutation/test-child.mjs';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const narrowed = args.some((a) => a === '--mutate' || a === '-m' || a.startsWith('--mutate='));
const registry = join(root, '.stryker-tmp/test-processes');
process.env.CUSTODIAN_MUTATION_REGISTRY = registry;

await sweep(registry);
const started = Date.now();
const stryker = spawn(process.execPath, [join(root, 'node_modules/@stryker-mutator/core/bin/stryker.js'), 'run', 'stryker.config.mjs', ...args], { cwd: root, stdio: 'inherit', env: process.env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stryker.kill(signal));
const code = await new Promise((resolve) => stryker.on('close', (status) => resolve(status ?? 1)));

if (stopLeftovers(registry) > 0) await new Promise((resolve) => setTimeout(resolve, 1000));
const dropped = await sweep(registry, { all: true });
if (dropped > 0) console.log(`Dropped ${dropped} test databases left by stopped test processes.`);
const testsAt = process.env.CUSTODIAN_MUTATION_TESTS_AT;
const report = join(root, narrowed ? 'reports/mutation/narrowed' : 'reports/mutation', testsAt ? `tests-at-${testsAt}` : '', 'mutation.json');
if (existsSync(report) && statSync(report).mtimeMs >= started) {
  const scores = spawn(process.execPath, [join(root, 'scripts/mutation/scores.mjs'), report], { stdio: 'inherit' });
  await new Promise((resolve) => scores.on('close', resolve));
}
const minutes = Math.round((Date.now() - started) / 60_000);
console.log(`Mutation run took ${Math.floor(minutes / 60)} h ${minutes % 60} min; report: ${report.replace(/json$/, 'html')}`);
process.exit(code);
