#!/usr/bin/env node
// Compiles src/ to dist/ (tsconfig.build.json) when dist/ is missing or older than a
// source file, so `npm start`, `npm test` and `npm run bench` never run a stale build.
// `npm install` runs it through `prepare`. tsc is incremental (dist/.tsbuildinfo): an
// up-to-date tree costs a directory walk, a one-file change about two seconds.
//
//   node scripts/build-js.mjs            build if stale
//   node scripts/build-js.mjs --force    build even if dist/ looks current
import { existsSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const STAMP = join(root, 'dist', '.tsbuildinfo');
const INPUTS = ['tsconfig.json', 'tsconfig.build.json', 'package.json'];

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** 'missing', 'stale' (a source or config file is newer than the last build) or 'current'. */
export function distState() {
  if (!existsSync(join(root, 'dist', 'cli', 'main.js')) || !existsSync(STAMP)) return 'missing';
  const sources = Math.max(newestMtime(join(root, 'src')), ...INPUTS.map((f) => statSync(join(root, f)).mtimeMs));
  return sources > statSync(STAMP).mtimeMs ? 'stale' : 'current';
}

/**
 * Runs tsc on tsconfig.build.json unless dist/ is current. Returns 0 when dist/ matches
 * src/. Type errors are printed but do not fail it: tsc still writes the JavaScript (its
 * exit status 2), and `npm run build` is the type check.
 */
export function buildJs({ force = false, log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const state = distState();
  if (state === 'current' && !force) return 0;
  let tsc;
  try {
    tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
  } catch {
    // An install without dev dependencies (`npm ci --omit=dev`) of a tree whose dist/ was built elsewhere.
    if (state === 'stale') return 0;
    log('custodian: dist/ needs building but TypeScript is not installed; run `npm install` with dev dependencies.');
    return 1;
  }
  log(`custodian: compiling src/ to dist/ (${state === 'missing' ? 'no build yet' : state === 'stale' ? 'src/ changed since the last build' : 'forced'})…`);
  // tsc's incremental state does not notice deleted outputs; without a full build it would write nothing.
  if (state !== 'stale') rmSync(STAMP, { force: true });
  const started = Date.now();
  const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
  const TYPE_ERRORS_OUTPUT_WRITTEN = 2;
  if (result.status !== 0 && result.status !== TYPE_ERRORS_OUTPUT_WRITTEN) {
    log(`custodian: tsc failed (exit status ${result.status ?? result.signal}); dist/ was not built`);
    return 1;
  }
  // tsc leaves .tsbuildinfo alone when no output changed; the stamp must still say "built now".
  if (existsSync(STAMP)) utimesSync(STAMP, new Date(), new Date());
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  log(result.status === 0 ? `custodian: dist/ built in ${seconds} s` : `custodian: dist/ built in ${seconds} s, with the type errors above (\`npm run build\` fails on them)`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = buildJs({ force: process.argv.includes('--force') });
}
