/**
 * `custodian` — the command line. Each command is a thin adapter over a service; output
 * meant for scripts goes to stdout, progress and diagnostics to stderr.
 */
import { Command, Option } from 'commander';
import { ConfigError, loadConfig } from '../config.js';
import { openCustodian } from '../custodian.js';
import { rotateKeys } from '../crypto/rotation.js';
import { verifyJournal } from '../journal/verify.js';
import { migrateToLatest } from '../store/migrations.js';
import { openStore } from '../store/store.js';
import { SCOPES } from '../access/api-keys.js';
import { CustodianError } from '../errors.js';
import { registerPolicyCommands } from './policy.js';
import { progressReporter } from './progress.js';
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
      const applied = await migrateToLatest(store.db);
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

const journal = program.command('journal').description('The processing journal');
journal
  .command('verify')
  .description('Check every hash link, stream head and signed checkpoint; exits 1 and names the first bad event on any tampering')
  .option('--json', 'print the report as JSON')
  .action(async (options: { json?: boolean }) => {
    // Verification must not change the schema it verifies.
    const custodian = await openCustodian(loadConfig(), { migrate: false });
    try {
      const progress = progressReporter('Verifying journal events');
      const report = await verifyJournal(custodian.store.db, custodian.keys, (n) => progress.update(n));
      progress.finish(`Checked ${report.events} event(s) in ${report.streams} stream(s) and ${report.checkpoints} checkpoint(s)`);
      if (options.json) console.log(JSON.stringify(report, null, 2));
      else if (report.ok) console.log('Journal intact');
      else {
        const first = report.problems[0];
        console.log(`Journal TAMPERED: first bad event: stream ${first.stream} seq ${first.seq}${first.eventId ? ` (event ${first.eventId})` : ''}: ${first.problem}`);
        for (const p of report.problems.slice(1)) console.log(`  also: stream ${p.stream} seq ${p.seq}${p.eventId ? ` (event ${p.eventId})` : ''}: ${p.problem}`);
      }
      process.exitCode = report.ok ? 0 : 1;
    } finally {
      await custodian.close();
    }
  });
journal
  .command('public-key')
  .description('Print the journal signing public key (Ed25519, PEM) so auditors can check exported checkpoints outside Custodian')
  .action(async () => {
    const custodian = await openCustodian(loadConfig());
    try {
      const der = Buffer.from(custodian.keys.journalPublicKey, 'base64');
      console.log(`# ${custodian.keys.journalKeyId}`);
      console.log(`-----BEGIN PUBLIC KEY-----\n${der.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END PUBLIC KEY-----`);
    } finally {
      await custodian.close();
    }
  });
journal
  .command('checkpoint')
  .description('Sign a checkpoint over the current heads of every journal stream')
  .action(async () => {
    const custodian = await openCustodian(loadConfig());
    try {
      const checkpoint = await custodian.checkpoint();
      console.log(checkpoint ? `Checkpoint ${checkpoint.id} over ${Object.keys(checkpoint.heads).length} stream(s), signed by ${checkpoint.keyId}` : 'The journal is empty; nothing to sign');
    } finally {
      await custodian.close();
    }
  });

const apikey = program.command('apikey').description('API keys for service callers');
apikey
  .command('create')
  .description('Create an API key; the key is printed once, on the last line')
  .requiredOption('--name <name>', 'who or what uses the key')
  .addOption(new Option('--scopes <scopes>', `comma-separated scopes (admin grants all): ${SCOPES.join(', ')}`).makeOptionMandatory())
  .action(async (options: { name: string; scopes: string }) => {
    const custodian = await openCustodian(loadConfig());
    try {
      const created = await custodian.apiKeys.create(
        options.name,
        options.scopes.split(',').map((s) => s.trim()).filter(Boolean),
      );
      console.log(`Created API key ${created.id} "${options.name}" with scopes ${created.scopes.join(', ')}. It is shown only now:`);
      console.log(created.key);
    } finally {
      await custodian.close();
    }
  });
apikey
  .command('list')
  .description('List API keys (never their secrets)')
  .action(async () => {
    const custodian = await openCustodian(loadConfig());
    try {
      for (const key of await custodian.apiKeys.list()) {
        console.log(`${key.id}  ${key.name}  ${key.scopes.join(',')}  ${key.revokedAt ? 'revoked' : 'active'}`);
      }
    } finally {
      await custodian.close();
    }
  });
apikey
  .command('revoke <id>')
  .description('Revoke an API key')
  .action(async (id: string) => {
    const custodian = await openCustodian(loadConfig());
    try {
      const revoked = await custodian.apiKeys.revoke(id);
      console.log(revoked ? `Revoked ${id}` : `No active key ${id}`);
      process.exitCode = revoked ? 0 : 1;
    } finally {
      await custodian.close();
    }
  });

registerPolicyCommands(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`Configuration error: ${error.message}`);
  else if (error instanceof CustodianError) {
    console.error(`Error (${error.code}): ${error.message}`);
    for (const d of error.details) console.error(`  ${d.path}: ${d.message}`);
  } else console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
