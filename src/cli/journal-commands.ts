/** `custodian journal …`: verify the chains and checkpoints (against an anchor), sign and export a checkpoint, print the public key. */
import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { openCustodian } from '../custodian.js';
import { CustodianError } from '../errors.js';
import { type Anchor, parseAnchor, toAnchor } from '../journal/anchor.js';
import { JournalRewoundError } from '../journal/checkpoint.js';
import { type JournalProblem, verifyJournal } from '../journal/verify.js';
import { progressReporter } from './progress.js';

export function registerJournalCommands(program: Command): void {
  const journal = program.command('journal').description('The processing journal');
  journal
    .command('verify')
    .description(
      'Check every hash link, stream head and the chain of signed checkpoints, and that no event older than twice the checkpoint interval is left uncovered; with --anchor, that the journal still holds everything that exported checkpoint covered. Exits 1 and names the first bad event on any tampering',
    )
    .option('--anchor <file>', 'a checkpoint exported earlier with `journal checkpoint --out` (or a line of the checkpoint sink)')
    .option('--json', 'print the report as JSON')
    .action(async (options: { anchor?: string; json?: boolean }) => {
      const config = loadConfig();
      const anchor = options.anchor ? await readAnchor(options.anchor) : undefined;
      // Verification must not change the schema it verifies.
      const custodian = await openCustodian(config, { migrate: false });
      try {
        const progress = progressReporter('Verifying journal events');
        const report = await verifyJournal({
          db: custodian.store.db,
          keys: custodian.keys,
          now: custodian.clock.now(),
          checkpointIntervalMs: config.checkpointIntervalMs,
          anchor,
          onProgress: (n) => progress.update(n),
        });
        progress.finish(`Checked ${report.events} event(s) in ${report.streams} stream(s) and ${report.checkpoints} checkpoint(s)${anchor ? ` against the anchor (checkpoint ${anchor.number})` : ''}`);
        if (options.json) console.log(JSON.stringify(report, null, 2));
        else if (report.ok) console.log(anchor ? `Journal intact, and it holds everything checkpoint ${anchor.number} covered` : 'Journal intact');
        else {
          const [first, ...rest] = report.problems;
          console.log(`Journal TAMPERED: first bad event: ${where(first)}: ${first.problem}`);
          for (const p of rest) console.log(`  also: ${where(p)}: ${p.problem}`);
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
    .description('Sign a checkpoint over the current heads of every journal stream (the newest one, when nothing changed since)')
    .option('--out <file>', 'also write it as an anchor file: everything an auditor needs to check it offline and to run `journal verify --anchor` later')
    .option('--json', 'print the checkpoint (in the anchor format) as JSON')
    .action(async (options: { out?: string; json?: boolean }) => {
      const config = loadConfig();
      const custodian = await openCustodian(config);
      try {
        const checkpoint = await custodian.checkpoint().catch((error: unknown) => {
          if (error instanceof JournalRewoundError) throw new CustodianError('conflict', error.message);
          throw error;
        });
        if (!checkpoint) {
          if (options.out) throw new CustodianError('conflict', 'The journal is empty; there is no checkpoint to write to the anchor file');
          console.log(options.json ? 'null' : 'The journal is empty; nothing to sign');
          return;
        }
        const anchor: Anchor = toAnchor(checkpoint, custodian.keys.journalPublicKey);
        if (options.out) await writeFile(options.out, `${JSON.stringify(anchor, null, 2)}\n`);
        if (options.json) console.log(JSON.stringify(anchor, null, 2));
        else {
          console.log(`Checkpoint ${checkpoint.number} over ${Object.keys(checkpoint.heads).length} stream(s), signed by ${checkpoint.keyId}`);
          if (options.out) console.log(`Anchor written to ${options.out}; keep it outside this database`);
        }
      } finally {
        await custodian.close();
      }
    });
}

async function readAnchor(path: string): Promise<Anchor> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CustodianError('validation_failed', `Cannot read the anchor file (${(error as { code?: string }).code ?? 'error'})`, [{ path: '--anchor', message: 'cannot be read' }]);
  }
  try {
    return parseAnchor(text);
  } catch (error) {
    // The checkpoint sink's file holds one anchor per line: use the newest.
    const lines = text.trim().split('\n');
    if (lines.length > 1 && lines.every((line) => line.startsWith('{') && line.endsWith('}'))) return parseAnchor(lines.at(-1)!);
    throw error;
  }
}

function where(p: JournalProblem): string {
  if (p.stream === '*') return p.checkpoint !== undefined ? `checkpoint ${p.checkpoint}` : 'checkpoints';
  return `stream ${p.stream} seq ${p.seq}${p.eventId ? ` (event ${p.eventId})` : ''}`;
}
