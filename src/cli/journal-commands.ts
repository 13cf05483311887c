/** `custodian journal …`: verify the chains and checkpoints, sign a checkpoint, print the public key. */
import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { openCustodian } from '../custodian.js';
import { verifyJournal } from '../journal/verify.js';
import { progressReporter } from './progress.js';

export function registerJournalCommands(program: Command): void {
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
}
