#!/usr/bin/env node
// The CLI runs the compiled JavaScript in dist/, which `npm install` builds (the
// `prepare` script). Without a build it says how to make one rather than falling back to
// the TypeScript sources: what runs is always what ships.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('custodian: dist/ has not been built. Run `npm install` (which builds it) or `npm run build:js`.\n');
  process.exit(1);
}
await import(main.href);
