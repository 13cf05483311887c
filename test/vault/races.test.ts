/**
 * Writers that touch one subject take turns on its lock. Reproductions of the races the
 * platform review found: a whole-subject depersonalization landing between a collection's
 * gate decision and its commit, and between an identifier's linking and its commit.
 *
 * PostgreSQL only: SQLite has a single writer, so the interleavings cannot happen there.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Journal } from '../../src/journal/journal.js';
import { createTestCustodian, type TestCustodian } from '../support/custodian.js';
import { engineSkip } from '../support/engines.js';

/** A gate the test opens by hand, and a way to see whether a promise is still waiting. */
function latch() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

async function stillWaiting(promise: Promise<unknown>, ms = 300): Promise<boolean> {
  const settled = await Promise.race([promise.then(() => true, () => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), ms))]);
  return !settled;
}

describe('subject locks under concurrent writers (postgres)', { skip: engineSkip('postgres') }, () => {
  let t: TestCustodian;

  before(async () => {
    t = await createTestCustodian('postgres');
  });
  after(() => t.dispose());

  it('a depersonalization cannot land between a collection’s decision and its commit', async () => {
    const { vault, gate, depersonalizer, store } = t.custodian;
    const { id } = await vault.upsertSubject({ identifiers: [{ type: 'email', value: 'race-collect@example.kz' }] }, 'test');
    await vault.collect(id, [{ category: 'user.name', value: 'First Item', purpose: 'orders', source: 'direct' }], 'test');

    const decided = latch();
    const release = latch();
    const decide = gate.decide.bind(gate);
    gate.decide = async (request, within) => {
      const decision = await decide(request, within);
      if (request.operation === 'collection') {
        decided.open();
        await release.opened;
      }
      return decision;
    };
    try {
      const collecting = vault.collect(id, [{ category: 'user.contact.phone_number', value: '+77010000001', purpose: 'orders', source: 'direct' }], 'test');
      await decided.opened;
      const depersonalizing = depersonalizer.depersonalize(id, {}, 'test');
      // Give the depersonalization every chance to run while the collection is between its decision and its commit.
      await stillWaiting(depersonalizing);
      release.open();
      await collecting;
      const result = await depersonalizing;
      assert.equal(result.items, 2, 'the item collected first is depersonalized with the rest');
    } finally {
      gate.decide = decide;
      release.open();
    }

    const items = await store.db.selectFrom('data_item').select(['state', 'value_enc']).where('subject_id', '=', id).execute();
    assert.deepEqual(items.map((i) => i.state).sort(), ['depersonalized', 'depersonalized'], 'no active item is left on a depersonalized subject');
    const ops = await store.db.selectFrom('journal_event').select('operation').where('subject_id', '=', id).orderBy('seq').execute();
    assert.deepEqual(ops.map((o) => o.operation), ['collection', 'collection', 'collection', 'depersonalization'], 'the journal orders the collection before the depersonalization');
  });

  it('an identifier cannot be linked to a subject that is being depersonalized', async () => {
    const { vault, journal, depersonalizer, store } = t.custodian;
    const { id } = await vault.upsertSubject({ identifiers: [{ type: 'email', value: 'race-link@example.kz' }] }, 'test');
    await vault.collect(id, [{ category: 'user.name', value: 'Linked Person', purpose: 'orders', source: 'direct' }], 'test');

    const linking = latch();
    const release = latch();
    const append = journal.append.bind(journal);
    journal.append = (async (trx, entries) => {
      if (entries.some((e) => e.details?.kind === 'identifiers')) {
        linking.open();
        await release.opened;
      }
      return append(trx, entries);
    }) as Journal['append'];
    try {
      const linked = vault.upsertSubject({ identifiers: [{ type: 'email', value: 'race-link@example.kz' }, { type: 'phone', value: '+77010000002' }] }, 'test');
      await linking.opened;
      const depersonalizing = depersonalizer.depersonalize(id, {}, 'test');
      await stillWaiting(depersonalizing);
      release.open();
      assert.deepEqual(await linked, { id, created: false });
      await depersonalizing;
    } finally {
      journal.append = append;
      release.open();
    }

    const identifiers = await store.db.selectFrom('subject_identifier').select('type').where('subject_id', '=', id).execute();
    assert.deepEqual(identifiers, [], 'the identifier linked first went with the others');
    const subject = await store.db.selectFrom('subject').select(['state', 'wrapped_key']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual(subject, { state: 'depersonalized', wrapped_key: null });

    // Linking after the depersonalization finds no subject: the phone number starts a new one.
    const again = await vault.upsertSubject({ identifiers: [{ type: 'phone', value: '+77010000002' }] }, 'test');
    assert.notEqual(again.id, id);
  });
});
