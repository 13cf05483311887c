/**
 * `custodian` — the command line. Each command is a thin adapter over a service; output
 * meant for scripts goes to stdout, progress and diagnostics to stderr.
 */
import { Command } from 'commander';
import { ConfigError, loadConfig } from '../config.js';
import { openCustodian } from '../custodian.js';
import { rotateKeys } from '../crypto/rotation.js';
import { MIGRATIONS } from '../migrations.js';
import { migrateToLatest } from '../store/migrations.js';
import { openStore } from '../store/store.js';
import { CustodianError, SetupError } from '../errors.js';
import { registerPolicyCommands } from './policy.js';
import { progressReporter } from './progress.js';
import { registerApiKeyCommands } from './apikey-commands.js';
import { registerJobsCommands } from './jobs-commands.js';
import { registerJournalCommands } from './journal-commands.js';
import { registerDeadlinesCommands } from './deadlines-commands.js';
import { registerBackupCommands } from './backup-commands.js';
import { registerRequestsCommands } from './requests-commands.js';
import { serve } from './serve.js';

const program = new Command()
  .name('custodian')
  .description('Custodian makes an operator’s privacy policy true: policy as code, an encrypted vault, a purpose gate and a tamper-evident journal.')
  .showHelpAfterError()
  .configureHelp({ sortSubcommands: true });

program
  .command('serve')
  .description('Start the HTTP API (CUSTODIAN_HOST, default 127.0.0.1; CUSTODIAN_PORT, default 8080)')
  .option('--demo', 'publish the bundled demo policy when no policy is configured or published')
  .action(async (options: { demo?: boolean }) => {
    await serve(loadConfig(), { demo: options.demo ?? false });
  });

const db = program.command('db').description('Database maintenance');
db.command('migrate')
  .description('Apply pending schema migrations to CUSTODIAN_DATABASE_URL')
  .action(async () => {
    const config = loadConfig();
    const store = openStore(config.database);
    try {
      const applied = await migrateToLatest(store.db, MIGRATIONS);
      console.log(applied.length > 0 ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'Schema is up to date');
    } finally {
      await store.close();
    }
  });

const keys = program.command('keys').description('Key management');
keys
  .command('rotate')
  .description('Introduce a new key-encryption key and re-wrap every data key with it (values are not re-encrypted)')
  .action(async () => {
    const config = loadConfig();
    const custodian = await openCustodian(config);
    try {
      const progress = progressReporter('Re-wrapping subject data keys');
      const result = await rotateKeys(custodian.store, custodian.keys, {
        newKek: custodian.keys.keks.kind === 'file',
        onProgress: ({ done, total }) => progress.update(done, total),
      });
      progress.finish(`Re-wrapped ${result.rewrapped} key(s) with ${result.activeKekId}`);
      if (custodian.keys.keks.kind === 'env') {
        const old = custodian.keys.keks.ids().filter((id) => id !== result.activeKekId);
        console.log(old.length > 0 ? `Nothing is wrapped with ${old.join(', ')} any more: remove it from CUSTODIAN_MASTER_KEY.` : 'All keys use the active key-encryption key.');
      } else {
        console.log(result.retired.length > 0 ? `Retired key-encryption key(s): ${result.retired.join(', ')}` : 'No key-encryption key retired');
      }
      console.log(`Active key-encryption key: ${result.activeKekId}`);
    } finally {
      await custodian.close();
    }
  });

registerJournalCommands(program);
registerJobsCommands(program);
registerApiKeyCommands(program);
registerPolicyCommands(program);
registerDeadlinesCommands(program);
registerBackupCommands(program);
registerRequestsCommands(program);

// Expected failures (bad configuration, bad input, a policy that does not compile, a file that
// cannot be read or written) print what to fix, never a stack trace. Anything else is a bug: it
// is named by its class only, since its message may quote input, personal data included.
program.parseAsync(process.argv).catch(async (error: unknown) => {
  process.exitCode = 1;
  if (error instanceof ConfigError) {
    console.error(`Configuration error: ${error.message}`);
    return;
  }
  if (error instanceof SetupError) {
    console.error(`Setup error: ${error.message}`);
    return;
  }
  if (error instanceof CustodianError) {
    console.error(`Error (${error.code}): ${error.message}`);
    for (const d of error.details) console.error(`  ${d.path}: ${d.message}`);
    return;
  }
  const system = error as Partial<NodeJS.ErrnoException>;
  if (error instanceof Error && typeof system.code === 'string' && /^E[A-Z0-9]+$/.test(system.code)) {
    const { getSystemErrorMap } = await import('node:util');
    const reason = typeof system.errno === 'number' ? getSystemErrorMap().get(system.errno)?.[1] : undefined;
    const action = system.syscall ? ` (${system.syscall}${system.path ? ` ${system.path}` : ''})` : '';
    console.error(`Error: ${reason ?? 'system error'}${action} [${system.code}]`);
    return;
  }
  const kind = error instanceof Error ? (error.name !== 'Error' ? error.name : error.constructor.name) : typeof error;
  console.error(`Internal error (${kind}): this is a bug in Custodian; please report it. Its message is not shown because it may quote input; run again with CUSTODIAN_DEBUG=1 to print the stack trace.`);
  if (process.env.CUSTODIAN_DEBUG === '1' && error instanceof Error) console.error(error.stack);
});
