#!/usr/bin/env node
// Runs every test file with node:test. Node 20's `--test <dir>` finds no .ts files and
// passes silently, so the file list is explicit: every test/**/*.test.ts (e2e included).
// Tests that spawn the CLI run the compiled bin (bin/custodian.js → dist/), the artifact
// `npm install` ships, so dist/ is rebuilt first whenever a source file is newer.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { buildJs } from './build-js.mjs';

const root = new URL('..', import.meta.url).pathname;
const only = process.argv.slice(2);

function collect(dir) {
  const files = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name === 'bench' || name === 'support') continue;
      files.push(...collect(path));
    } else if (name.endsWith('.test.ts')) {
      files.push(relative(root, path));
    }
  }
  return files;
}

const files = only.length > 0 ? only : collect(join(root, 'test'));
if (files.length === 0) {
  console.error('No test files found under test/.');
  process.exit(1);
}
if (buildJs() !== 0) process.exit(1);
console.log(`Running ${files.length} test files`);
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  { stdio: 'inherit', cwd: root, env: process.env },
);
process.exit(result.status ?? 1);
