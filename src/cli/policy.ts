/**
 * `custodian policy …`: check and diff (compiler, see policy-commands.ts), publish to the
 * store, list versions, and render the notice.
 */
import { writeFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { loadConfig } from '../config.js';
import { openCustodian, publishPolicyFile } from '../custodian.js';
import { compilePolicyFile } from '../policy/compile.js';
import { formatDiagnostic } from '../policy/diagnostics.js';
import { LOCALES, type Locale } from '../policy/model.js';
import { renderNotice } from '../policy/render/notice.js';
import { registerPolicyCheckCommands } from './policy-commands.js';

export function registerPolicyCommands(program: Command): void {
  const policy = program.command('policy').description('The policy: check, diff, publish, render');
  registerPolicyCheckCommands(policy);

  policy
    .command('publish <file>')
    .description('Compile FILE and publish it as a new immutable version (no-op when it equals the newest version)')
    .action(async (file: string) => {
      const custodian = await openCustodian(loadConfig());
      try {
        const result = await publishPolicyFile(custodian, file, 'cli');
        const v = result.version;
        console.log(
          result.created
            ? `Published version ${v.number} of policy "${v.policyId}", effective ${new Date(v.effectiveAt).toISOString()}`
            : `Unchanged: version ${v.number} already holds this policy`,
        );
        for (const change of result.changes) console.log(`  ${change.kind === 'material' ? 'MATERIAL ' : 'editorial'}  ${change.message}`);
        if (result.renewalsMarked > 0) console.log(`${result.renewalsMarked} consent(s) now need renewal: see GET /v1/consents/renewals`);
      } finally {
        await custodian.close();
      }
    });

  policy
    .command('versions')
    .description('List published versions')
    .action(async () => {
      const custodian = await openCustodian(loadConfig());
      try {
        const active = custodian.policies.list().length > 0 ? custodian.policies.active().number : undefined;
        for (const v of custodian.policies.list()) {
          console.log(`${String(v.number).padStart(4)}  ${v.policyId}  ${v.label ?? '-'}  effective ${new Date(v.effectiveAt).toISOString()}${v.number === active ? '  (active)' : ''}`);
        }
      } finally {
        await custodian.close();
      }
    });

  policy
    .command('render <file>')
    .description('Render FILE as the privacy notice a person reads')
    .addOption(new Option('--lang <lang>', 'language').choices([...LOCALES]).default('en'))
    .addOption(new Option('--format <format>', 'output format').choices(['html', 'md']).default('html'))
    .option('-o, --output <path>', 'write to a file instead of stdout')
    .action(async (file: string, options: { lang: Locale; format: 'html' | 'md'; output?: string }) => {
      // Diagnostics go to stderr as `policy check` prints them; stdout carries only the notice.
      const { policy: compiled, diagnostics } = await compilePolicyFile(file);
      for (const d of diagnostics) console.error(formatDiagnostic(d));
      if (!compiled) {
        process.exitCode = 1;
        return;
      }
      const text = renderNotice(compiled, { locale: options.lang, format: options.format });
      if (options.output) await writeFile(options.output, text);
      else process.stdout.write(text);
    });
}
