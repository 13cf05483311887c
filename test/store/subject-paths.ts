/**
 * Runs every subject-scoped path of Custodian once, through its real services, and
 * captures the statements each one runs — labelled with the operation — for the plan test.
 */
import type { Custodian } from '../../src/custodian.js';
import { JournalQuery } from '../../src/journal/query.js';
import { marketingConsent } from '../support/consents.js';
import { captureStatements, type CapturedStatement } from './statement-capture.js';

export type LabelledStatement = CapturedStatement & { operation: string };

/** The gate's context load with a cold cache: what every first decision about a subject costs. */
export async function captureContextLoad(custodian: Custodian, subjectId: string): Promise<LabelledStatement[]> {
  custodian.gate.invalidate(subjectId);
  const { statements } = await captureStatements(() => custodian.gate.decide({ subjectId, purpose: 'orders', operation: 'use', categories: ['user.name'] }));
  return statements.map((s) => ({ ...s, operation: 'gate.decide (cold context)' }));
}

export async function captureSubjectPaths(custodian: Custodian): Promise<LabelledStatement[]> {
  const { vault, consents, disclosures, blocks, lookup, depersonalizer, gate, policies, store } = custodian;
  const out: LabelledStatement[] = [];
  const run = async <T>(operation: string, work: () => Promise<T>, options: { cold?: string } = {}): Promise<T> => {
    // Each path is measured as a first request about the subject: the gate loads its context.
    if (options.cold) gate.invalidate(options.cold);
    const { result, statements } = await captureStatements(work);
    out.push(...statements.map((s) => ({ ...s, operation })));
    return result;
  };
  const version = policies.active().number;
  const email = 'plan-check@example.kz';

  const { id } = await run('vault.upsertSubject (new)', () => vault.upsertSubject({ identifiers: [{ type: 'email', value: email }, { type: 'phone', value: '+77015550100' }], jurisdiction: 'KZ' }, 'test'));
  await run('vault.upsertSubject (known, new identifier)', () => vault.upsertSubject({ identifiers: [{ type: 'email', value: email }, { type: 'account_id', value: 'plan-check' }] }, 'test'));
  const { ids } = await run(
    'vault.collect',
    () =>
      vault.collect(
        id,
        [
          { category: 'user.name', value: 'Plan Check', purpose: 'orders', source: 'direct' },
          { category: 'user.contact.address', value: { city: 'Almaty', line1: 'Abay 1' }, purpose: 'orders', source: 'direct' },
        ],
        'test',
      ),
    { cold: id },
  );
  await run('vault.collect (one item)', () => vault.collect(id, [{ category: 'user.contact.phone_number', value: '+77015550100', purpose: 'orders', source: 'direct' }], 'test'), { cold: id });
  await run('gate.decide (cold context)', () => gate.decide({ subjectId: id, purpose: 'orders', operation: 'use', categories: ['user.name'] }), { cold: id });
  await run('vault.readForPurpose', () => vault.readForPurpose(id, 'orders', 'test'), { cold: id });
  await run('vault.rectify', () => vault.rectify(id, ids[0], 'Plan Checked', 'test'));
  await run('vault.mailRecipient', () => vault.mailRecipient(id, { purpose: null, reason: 'plan-check' }, 'test'));
  await run('consents.record', () => consents.record(id, marketingConsent(version), 'test'), { cold: id });
  await run('consents.history', () => consents.history(id));
  await run('consents.optOuts (subjectPreferences)', () => consents.optOuts(id));
  await run('consents.recordGpc', () => consents.recordGpc(id, 'sec-gpc-header', 'test'));
  await run('consents.object', () => consents.object(id, 'marketing', 'test'));
  await run('consents.withdraw', () => consents.withdraw(id, 'marketing', { channel: 'web-form' }, 'test'));
  await run('disclosures.record', () => disclosures.record({ subjectId: id, recipient: 'courier', purpose: 'orders', categories: ['user.name'] }, 'test'), { cold: id });
  await run('disclosures.forSubject', () => disclosures.forSubject(id));
  const block = await run('blocks.block', () => blocks.block(id, { categories: ['user.contact.phone_number'], reason: 'accuracy-disputed' }, 'test'));
  await run('blocks.list', () => blocks.list(id));
  await run('blocks.unblock', () => blocks.unblock(id, block.id, 'test'));
  await run('lookup.byIdentifier', () => lookup.byIdentifier({ type: 'email', value: email }, 'test'));
  const journal = new JournalQuery({ db: store.db });
  const first = await run('journal subject page', () => journal.subjectHistory(id, {}, { limit: 3 }));
  await run('journal subject page (cursor)', () => journal.subjectHistory(id, {}, { limit: 3, cursor: first.next ?? undefined }));
  await run('journal subject page (operation, period)', () => journal.subjectHistory(id, { operation: 'collection', from: 0, to: Number.MAX_SAFE_INTEGER }, { limit: 50 }));
  await run('depersonalize (categories)', () => depersonalizer.depersonalize(id, { categories: ['user.contact.address'] }, 'test'));
  await run('depersonalize (whole subject)', () => depersonalizer.depersonalize(id, {}, 'test'));
  return out;
}
