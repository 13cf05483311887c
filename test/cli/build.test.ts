/**
 * The shipped CLI is the compiled JavaScript in dist/: it runs under plain Node (no
 * TypeScript loader), and without a build it says how to make one instead of failing
 * with a module-not-found stack.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BIN } from '../support/cli.js';

const plainNode = (script: string, args: string[]) => spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });

describe('the compiled CLI', () => {
  it('runs under plain Node from dist/', () => {
    const help = plainNode(BIN, ['--help']);
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /serve/);
    assert.match(help.stdout, /journal/);
  });

  it('without dist/ says how to build it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'custodian-nobuild-'));
    try {
      mkdirSync(join(dir, 'bin'));
      copyFileSync(BIN, join(dir, 'bin', 'custodian.js'));
      const result = plainNode(join(dir, 'bin', 'custodian.js'), ['--help']);
      assert.equal(result.status, 1);
      assert.match(result.stderr, /dist\/ has not been built/);
      assert.match(result.stderr, /npm install|npm run build:js/);
      assert.doesNotMatch(result.stderr, /ERR_MODULE_NOT_FOUND|\n\s+at /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
