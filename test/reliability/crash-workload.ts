/**
 * The child of crash.test.ts: opens Custodian on the database the environment names
 * (`CUSTODIAN_DATABASE_URL`, `CUSTODIAN_KEYRING`, as `custodian` itself reads them) and
 * runs a mixed workload until it is killed. After each write commits it prints one JSON
 * line — an acknowledgement — with the ids needed to find the write again.
 *
 * It prints `loaded`, waits for a line on stdin, then opens Custodian and prints `ready`.
 * Run: `node --import tsx test/reliability/crash-workload.ts` (`CRASH_RUN` tags the ids).
 */
import { openCustodian } from '../../src/custodian.js';
import { parseDatabaseUrl } from '../../src/store/store.js';
import { marketingConsent } from '../support/consents.js';

export type Ack =
  | { op: 'subject'; subjectId: string; email: string }
  | { op: 'item'; subjectId: string; itemId: string; value: string }
  | { op: 'consent'; subjectId: string; recordId: string }
  | { op: 'block'; subjectId: string; blockId: string }
  | { op: 'unblock'; subjectId: string; blockId: string }
  | { op: 'checkpoint'; checkpointId: string };

const run = process.env.CRASH_RUN ?? '0';
const WORKERS = 4;

function ack(line: Ack): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

// Loaded and waiting: the test keeps a warm child ready, so a restart costs no module loading.
process.stdout.write('loaded\n');
await new Promise((resolve) => process.stdin.once('data', resolve));

const custodian = await openCustodian({ database: parseDatabaseUrl(process.env.CUSTODIAN_DATABASE_URL!), keyringPath: process.env.CUSTODIAN_KEYRING!, masterKey: undefined });
const actor = `crash-test:${run}`;
const policyVersion = custodian.policies.active().number;
process.stdout.write('ready\n');

/** One subject's life: created, given data and consent, blocked and unblocked, read. */
async function worker(w: number): Promise<never> {
  for (let n = 0; ; n++) {
    const email = `crash-${run}-${w}-${n}@example.kz`;
    const { id: subjectId } = await custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: email }], jurisdiction: 'KZ' }, actor);
    ack({ op: 'subject', subjectId, email });
    const value = `Person ${run}.${w}.${n}`;
    const { ids } = await custodian.vault.collect(subjectId, [{ category: 'user.name', value, purpose: 'orders', source: 'direct' }], actor);
    ack({ op: 'item', subjectId, itemId: ids[0], value });
    const consent = await custodian.consents.record(subjectId, marketingConsent(policyVersion), actor);
    ack({ op: 'consent', subjectId, recordId: consent.id });
    const block = await custodian.blocks.block(subjectId, { categories: ['user.contact.phone_number'], reason: 'accuracy-disputed' }, actor);
    ack({ op: 'block', subjectId, blockId: block.id });
    if (n % 2 === 0) {
      await custodian.blocks.unblock(subjectId, block.id, actor);
      ack({ op: 'unblock', subjectId, blockId: block.id });
    }
    const read = await custodian.vault.readForPurpose(subjectId, 'orders', actor);
    if (!read.items.some((item) => item.id === ids[0])) throw new Error(`item ${ids[0]} not readable right after it was collected`);
    if (w === 0) {
      const checkpoint = await custodian.checkpoint();
      if (checkpoint) ack({ op: 'checkpoint', checkpointId: checkpoint.id });
    }
  }
}

await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
