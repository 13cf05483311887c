/**
 * `custodian policy check` and `policy render` as an operator runs them: the real binary in
 * a child process. Bad input is a one-line error with a non-zero exit, never a stack trace;
 * what `check` accepts, `render` renders.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../support/cli.js';

const POLICY = `id: shop
operator:
  name: {en: Shop Ltd}
  jurisdictions: [UK]
  storageRegion: GB
categories:
  - user.contact.email
purposes:
  - id: orders
    title: {en: Order fulfilment}
    legalBasis: {gdpr: contract}
    categories: [user.contact.email]
    retention: {duration: P6Y}
`;

/** A stack frame as Node prints it. */
const STACK_FRAME = /^\s+at .+\(?.*:\d+:\d+\)?$/m;

describe('custodian policy on the command line', () => {
  let dir: string;
  let good: string;
  let badSection: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'custodian-policy-cli-'));
    good = join(dir, 'good.policy.yaml');
    badSection = join(dir, 'bad-section.policy.yaml');
    await writeFile(good, POLICY);
    await writeFile(badSection, `${POLICY}notice:\n  - after: preamble\n    text: {en: Extra text}\n`);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('check refuses a notice section placed after an unknown section, at FILE:LINE:COL, listing the valid ids', async () => {
    const result = await runCli(['policy', 'check', badSection], {});
    assert.equal(result.code, 1, result.stdout + result.stderr);
    const line = result.stdout.split('\n').find((l) => l.includes('notice[0].after'));
    assert.ok(line, result.stdout);
    assert.ok(line.startsWith(`${badSection}:15:12: error: notice[0].after: "preamble" is not a`), line);
    for (const id of ['operator', 'data', 'recipients', 'rights', 'contacts', 'changes', 'end']) assert.match(line, new RegExp(`\\b${id}\\b`));
    assert.match(line, /\[unknown-notice-section\]$/);
  });

  it('render exits non-zero on a policy with errors, printing its diagnostics and no stack trace', async () => {
    const result = await runCli(['policy', 'render', badSection], {});
    assert.notEqual(result.code, 0);
    assert.equal(result.stdout, '');
    assert.doesNotMatch(result.stderr, STACK_FRAME, result.stderr);
    assert.match(result.stderr, new RegExp(`${badSection.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:15:12: error: notice\\[0\\]\\.after`));
  });

  it('render of a missing file and an unwritable output are one-line errors', async () => {
    const missing = await runCli(['policy', 'render', join(dir, 'absent.policy.yaml')], {});
    assert.notEqual(missing.code, 0);
    assert.doesNotMatch(missing.stderr, STACK_FRAME, missing.stderr);
    assert.match(missing.stderr, /absent\.policy\.yaml:1:1: error: cannot read the policy file \(ENOENT\)/);

    const unwritable = await runCli(['policy', 'render', good, '-o', join(dir, 'no-such-dir', 'notice.html')], {});
    assert.notEqual(unwritable.code, 0);
    assert.doesNotMatch(unwritable.stderr, STACK_FRAME, unwritable.stderr);
    assert.equal(unwritable.stderr.trim().split('\n').length, 1, unwritable.stderr);
    assert.match(unwritable.stderr, /ENOENT/);
  });

  it('render prints a valid policy', async () => {
    const result = await runCli(['policy', 'render', good, '--format', 'md'], {});
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Shop Ltd/);
  });

  it('an internal error names its class and how to see more, never its message; CUSTODIAN_DEBUG=1 adds the stack', async () => {
    // Simulates a bug whose message quotes input: the renderer's country names throw.
    const preload = join(dir, 'broken-intl.mjs');
    await writeFile(preload, "Intl.DisplayNames.prototype.of = () => { throw new RangeError('Aigerim Nurlanqyzy'); };\n");
    const env = { NODE_OPTIONS: `--import=${pathToFileURL(preload).href}` };
    const result = await runCli(['policy', 'render', good], { ...env, CUSTODIAN_DEBUG: '' });
    assert.notEqual(result.code, 0);
    assert.doesNotMatch(result.stderr, /Aigerim/);
    assert.doesNotMatch(result.stderr, STACK_FRAME, result.stderr);
    assert.match(result.stderr, /RangeError/);
    assert.match(result.stderr, /CUSTODIAN_DEBUG=1/);

    const debug = await runCli(['policy', 'render', good], { ...env, CUSTODIAN_DEBUG: '1' });
    assert.notEqual(debug.code, 0);
    assert.match(debug.stderr, STACK_FRAME);
  });
});
