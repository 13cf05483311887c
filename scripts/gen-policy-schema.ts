/**
 * Writes the policy language's JSON Schema to `schemas/policy.json`, where editors pick it
 * up (`# yaml-language-server: $schema=../schemas/policy.json`). With `--check` it writes
 * nothing and exits 1 when the committed file is out of date.
 *
 *   npx tsx scripts/gen-policy-schema.ts [--check]
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { policyJsonSchema } from '../src/policy/schema.js';

const target = fileURLToPath(new URL('../schemas/policy.json', import.meta.url));
const text = `${JSON.stringify(policyJsonSchema, null, 2)}\n`;

if (process.argv.includes('--check')) {
  const committed = await readFile(target, 'utf8').catch(() => '');
  if (committed !== text) {
    console.error(`${target} is out of date; run: npx tsx scripts/gen-policy-schema.ts`);
    process.exit(1);
  }
  console.log(`${target} is up to date`);
} else {
  await mkdir(fileURLToPath(new URL('../schemas/', import.meta.url)), { recursive: true });
  await writeFile(target, text);
  console.log(`wrote ${target}`);
}
