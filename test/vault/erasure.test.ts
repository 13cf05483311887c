/**
 * Erasure as crypto-shredding, on both engines: what is destroyed and what a legal
 * obligation keeps (with its reason), the tombstone the gate denies, the destruction act
 * and its signature over every field, the journal, and the edges (twice, unknown).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { DEFAULT_CHECKPOINT_INTERVAL_MS } from '../../src/config.js';
import { CustodianError } from '../../src/errors.js';
import { verifyJournal } from '../../src/journal/verify.js';
import { publishPolicy } from '../../src/custodian.js';
import { createTestCustodian, type TestCustodian } from '../support/custodian.js';
import { ENGINES, engineSkip, PG_ADMIN_URL } from '../support/engines.js';
import { erasurePolicy } from './erasure-policy.js';

async function refusal(promise: Promise<unknown>): Promise<CustodianError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof CustodianError, String(error));
    return error;
  }
  assert.fail('expected a refusal');
}

/** Everything the database holds as raw text: the SQLite files, or a pg_dump. */
export function rawDatabase(t: TestCustodian): string {
  if (t.database.location.engine === 'sqlite') {
    let raw = '';
    for (const suffix of ['', '-wal']) {
      const path = `${t.database.location.path}${suffix}`;
      if (existsSync(path)) raw += readFileSync(path).toString('latin1');
    }
    return raw;
  }
  const url = new URL(PG_ADMIN_URL);
  return execFileSync('pg_dump', ['-h', url.hostname, '-p', url.port || '5432', '-U', url.username || 'postgres', '--no-owner', t.database.pgDatabase!], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

for (const engine of ENGINES) {
  describe(`erasure (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    before(async () => {
      t = await createTestCustodian(engine);
      await publishPolicy(t.custodian, erasurePolicy(), 'erasure.policy.yaml');
    });
    after(async () => t?.dispose());

    const db = () => t.custodian.store.db;

    async function customer(jurisdiction: 'KZ' | 'EU' | null, withAccounting = false) {
      const email = `erase.${Math.random().toString(36).slice(2)}@example.kz`;
      const { id } = await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: email }, { type: 'phone', value: `+7701${Math.floor(1e6 + Math.random() * 8e6)}` }], ...(jurisdiction ? { jurisdiction } : {}) }, 'test');
      await t.custodian.vault.collect(
        id,
        [
          { category: 'user.name', value: 'Erasable Personova', purpose: 'orders', source: 'direct' },
          { category: 'user.contact.address', value: { street: 'Shreddable street 9', city: 'Almaty' }, purpose: 'orders', source: 'direct' },
        ],
        'test',
      );
      if (withAccounting) await t.custodian.vault.collect(id, [{ category: 'user.name', value: 'Invoice Personova', purpose: 'accounting', source: 'direct' }], 'test');
      return { id, email };
    }

    it('destroys everything, leaves a tombstone the gate denies, and journals the destruction without values', async () => {
      const { id, email } = await customer('KZ');
      const ciphertexts = [
        ...(await db().selectFrom('data_item').select('value_enc').where('subject_id', '=', id).execute()).map((r) => r.value_enc),
        ...(await db().selectFrom('subject_identifier').select('value_enc').where('subject_id', '=', id).execute()).map((r) => r.value_enc),
      ];
      const result = await t.custodian.erasure.erase(id, { actor: 'staff:dpo', reason: 'request', requestId: 'req-1' });
      assert.deepEqual(result.erased, [
        { category: 'user.contact.address', items: 1 },
        { category: 'user.contact.email', items: 1 },
        { category: 'user.contact.phone_number', items: 1 },
        { category: 'user.name', items: 1 },
      ]);
      assert.deepEqual(result.kept, []);
      assert.equal(result.shredded, true);
      assert.ok(result.actId);

      const row = await db().selectFrom('subject').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      assert.deepEqual([row.state, row.wrapped_key, row.kek_id, row.jurisdiction, row.locale], ['erased', null, null, null, null]);
      assert.equal((await db().selectFrom('data_item').select('id').where('subject_id', '=', id).execute()).length, 0, 'items deleted, not marked');
      assert.equal((await db().selectFrom('subject_identifier').select('id').where('subject_id', '=', id).execute()).length, 0, 'blind indexes deleted');

      const decision = await t.custodian.gate.decide({ subjectId: id, purpose: 'orders', operation: 'use', categories: ['user.name'] });
      assert.equal(decision.allow, false);
      assert.ok(decision.reasons.some((r) => r.code === 'subject_erased'), JSON.stringify(decision.reasons));
      assert.equal((await refusal(t.custodian.vault.readForPurpose(id, 'orders', 'test'))).code, 'subject_not_active');
      assert.equal((await refusal(t.custodian.lookup.byIdentifier({ type: 'email', value: email }, 'test'))).code, 'not_found');
      // The identifier is free again: collecting it makes a new person, not the erased one.
      const again = await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: email }] }, 'test');
      assert.notEqual(again.id, id);

      const event = (await db().selectFrom('journal_event').selectAll().where('subject_id', '=', id).where('operation', '=', 'destruction').execute()).at(-1)!;
      assert.equal(event.actor, 'staff:dpo');
      assert.deepEqual(JSON.parse(event.categories), ['user.contact.address', 'user.contact.email', 'user.contact.phone_number', 'user.name']);
      assert.deepEqual(JSON.parse(event.details), { kind: 'erasure', reason: 'request', items: 4, kept: [], shredded: true, act: result.actId, request: 'req-1' });
      assert.ok(!event.details.includes('Personova') && !event.details.includes(email));

      await t.custodian.checkpoint();
      if (engine === 'sqlite') await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db());
      const raw = rawDatabase(t);
      for (const [i, text] of [email, 'Erasable Personova', 'Shreddable street 9', ...ciphertexts].entries()) assert.ok(!raw.includes(text), `nothing of the erased subject in the database (${i})`);
      const report = await verifyJournal({ db: db(), keys: t.custodian.keys, now: t.clock.now(), checkpointIntervalMs: DEFAULT_CHECKPOINT_INTERVAL_MS });
      assert.deepEqual(report.problems, []);
      assert.ok(report.ok);
    });

    it('keeps what a legal obligation needs, with the reason and article, and destroys the rest', async () => {
      const { id } = await customer('KZ', true);
      const result = await t.custodian.erasure.erase(id, { actor: 'staff:dpo', reason: 'withdrawal' });
      assert.deepEqual(result.erased, [
        { category: 'user.contact.address', items: 1 },
        { category: 'user.contact.email', items: 1 },
        { category: 'user.contact.phone_number', items: 1 },
        { category: 'user.name', items: 1 },
      ]);
      assert.deepEqual(result.kept, [{ category: 'user.name', reason: 'legal-obligation', article: '94-V art. 18(2)', until: Date.parse('2031-11-22T09:00:00Z') }]);
      assert.equal(result.shredded, false);
      const items = await db().selectFrom('data_item').select(['category', 'purposes', 'state']).where('subject_id', '=', id).execute();
      assert.deepEqual(items, [{ category: 'user.name', purposes: '["accounting"]', state: 'active' }], 'the orders items are deleted, the accounting one stays');
      const subject = await db().selectFrom('subject').select(['state']).where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(subject.state, 'active');
      assert.ok(await t.custodian.keyStore.get(db(), { kind: 'subject', id }), 'the key stays until the retention ends');
      assert.deepEqual(
        (await db().selectFrom('subject_identifier').select('type').where('subject_id', '=', id).execute()).map((r) => r.type),
        [],
        'no identifier is in a kept category, so all are gone',
      );
      // What is kept is still readable for its obligation, and only for it.
      const kept = await t.custodian.vault.readForPurpose(id, 'accounting', 'test');
      assert.deepEqual(kept.items.map((i) => i.value), ['Invoice Personova']);
      assert.deepEqual((await t.custodian.vault.readForPurpose(id, 'orders', 'test')).items, []);

      const act = await t.custodian.erasure.act(result.actId!);
      assert.equal(act.signatureValid, true);
      assert.deepEqual(act.kept, result.kept);
      assert.equal(act.shredded, false);

      const second = await t.custodian.erasure.erase(id, { actor: 'staff:dpo', reason: 'withdrawal' });
      assert.deepEqual(second, { erased: [], kept: result.kept, shredded: false, actId: null }, 'nothing more to destroy: no second act');
    });

    it('writes a signed act with the fields of RKN order 179; a change to any field breaks the signature', async () => {
      const { id } = await customer('KZ');
      const result = await t.custodian.erasure.erase(id, { actor: 'apikey:rights', reason: 'purpose-achieved', requestId: 'req-179', systems: ['crm', 'custodian'] });
      const act = await t.custodian.erasure.act(result.actId!);
      assert.equal(act.signatureValid, true);
      assert.deepEqual(
        { subjectId: act.subjectId, requestId: act.requestId, reason: act.reason, actor: act.actor, at: act.at, systems: act.systems, categories: act.categories, shredded: act.shredded, person: act.person, keyId: act.keyId },
        { subjectId: id, requestId: 'req-179', reason: 'purpose-achieved', actor: 'apikey:rights', at: t.clock.now(), systems: ['custodian', 'crm'], categories: result.erased, shredded: true, person: null, keyId: t.custodian.keys.journalKeyId },
      );
      assert.equal(act.retainUntil, Date.parse('2029-11-22T09:00:00Z'), 'kept three years');
      assert.deepEqual((await t.custodian.erasure.actsOf(id)).map((a) => a.id), [act.id]);

      const original = await db().selectFrom('destruction_act').selectAll().where('id', '=', act.id).executeTakeFirstOrThrow();
      const changes: Record<string, string | number | null> = {
        subject_id: 'another-subject',
        request_id: 'req-other',
        reason: 'court',
        actor: 'staff:someone-else',
        at: Number(original.at) + 1,
        systems: '["custodian"]',
        categories: '[]',
        kept: '[{"category":"user.name","reason":"legal-obligation"}]',
        shredded: 0,
        person_enc: 'v1.AAAA',
        retain_until: Number(original.retain_until) - 1,
        key_id: 'ed25519:0000000000000000',
        signature: Buffer.alloc(64).toString('base64'),
      };
      for (const [column, value] of Object.entries(changes)) {
        await db().updateTable('destruction_act').set({ [column]: value }).where('id', '=', act.id).execute();
        const tampered = await t.custodian.erasure.act(act.id).catch(() => ({ signatureValid: false }));
        assert.equal(tampered.signatureValid, false, `a changed ${column} is caught`);
        await db().updateTable('destruction_act').set({ [column]: (original as Record<string, unknown>)[column] as never }).where('id', '=', act.id).execute();
        assert.equal((await t.custodian.erasure.act(act.id)).signatureValid, true, `restored ${column}`);
      }
    });

    it('names the person where 152-FZ applies, sealed under the act’s own key, not the subject’s', async () => {
      // Residence unknown: every law the operator declares applies, Russia's among them.
      const { id, email } = await customer(null);
      const result = await t.custodian.erasure.erase(id, { actor: 'staff:dpo', reason: 'request' });
      assert.equal(result.shredded, true);
      const act = await t.custodian.erasure.act(result.actId!);
      assert.equal(act.signatureValid, true);
      assert.equal(act.person?.name, 'Erasable Personova');
      assert.deepEqual(act.person?.identifiers.map((i) => i.type).sort(), ['email', 'phone']);
      assert.ok(act.person?.identifiers.some((i) => i.value === email));
      const stored = await db().selectFrom('destruction_act').select('person_enc').where('id', '=', act.id).executeTakeFirstOrThrow();
      assert.ok(stored.person_enc?.startsWith('v1.') && !stored.person_enc.includes('Personova'), 'sealed');
      // The subject key is gone, yet the act still reads: its key is its own.
      assert.equal(await t.custodian.keyStore.get(db(), { kind: 'subject', id }), undefined);
      // A KZ subject's act names nobody.
      const kz = await customer('KZ');
      assert.equal((await t.custodian.erasure.act((await t.custodian.erasure.erase(kz.id, { actor: 'staff:dpo', reason: 'request' })).actId!)).person, null);
    });

    it('erasing twice is harmless; an unknown subject or reason is a clear error that changes nothing', async () => {
      const { id } = await customer('EU');
      const first = await t.custodian.erasure.erase(id, { actor: 'staff:dpo', reason: 'request' });
      const acts = async () => (await db().selectFrom('destruction_act').select('id').where('subject_id', '=', id).execute()).length;
      const events = async () => (await db().selectFrom('journal_event').select('id').where('subject_id', '=', id).execute()).length;
      const [actCount, eventCount] = [await acts(), await events()];
      assert.equal(actCount, 1);
      assert.ok(first.actId);
      assert.deepEqual(await t.custodian.erasure.erase(id, { actor: 'staff:dpo', reason: 'request' }), { erased: [], kept: [], shredded: true, actId: null });
      assert.deepEqual([await acts(), await events()], [actCount, eventCount], 'no second act, nothing journaled');

      const unknown = await refusal(t.custodian.erasure.erase('01890000-0000-7000-8000-000000000000', { actor: 'staff:dpo', reason: 'request' }));
      assert.equal(unknown.code, 'not_found');
      assert.deepEqual(unknown.details.map((d) => d.path), ['subjectId']);
      const other = await customer('KZ');
      const badReason = await refusal(t.custodian.erasure.erase(other.id, { actor: 'staff:dpo', reason: 'boredom' as 'request' }));
      assert.deepEqual([badReason.code, badReason.details[0].path], ['validation_failed', 'reason']);
      assert.equal((await db().selectFrom('data_item').select('id').where('subject_id', '=', other.id).execute()).length, 2, 'nothing erased');
      assert.equal((await refusal(t.custodian.erasure.act('no-such-act'))).code, 'not_found');
    });

    it('a wholly depersonalized subject has nothing left to destroy: a tombstone, no act', async () => {
      const { id } = await customer('KZ');
      await t.custodian.depersonalizer.depersonalize(id, {}, 'staff:dpo');
      const result = await t.custodian.erasure.erase(id, { actor: 'staff:dpo', reason: 'request' });
      assert.deepEqual(result, { erased: [], kept: [], shredded: true, actId: null });
      assert.equal((await db().selectFrom('subject').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state, 'erased');
      assert.equal((await db().selectFrom('data_item').select('id').where('subject_id', '=', id).execute()).length, 0);
    });

    it('a legal hold keeps the held categories and the key', async () => {
      const { id } = await customer('KZ');
      await t.custodian.blocks.block(id, { categories: ['user.contact.address'], reason: 'legal-claim' }, 'staff:dpo');
      const result = await t.custodian.erasure.erase(id, { actor: 'staff:dpo', reason: 'request' });
      assert.deepEqual(result.kept, [{ category: 'user.contact.address', reason: 'legal-hold' }]);
      assert.deepEqual(result.erased.map((e) => e.category), ['user.contact.email', 'user.contact.phone_number', 'user.name']);
      assert.equal(result.shredded, false);
    });

    // Last: it moves the clock three years on.
    it('an act is kept three years, then goes with the key that seals the person it names', async () => {
      const { id } = await customer(null);
      const { actId } = await t.custodian.erasure.erase(id, { actor: 'staff:dpo', reason: 'request' });
      assert.ok(await t.custodian.keyStore.get(db(), { kind: 'act', id: actId! }), 'the act has a key of its own');
      t.clock.advance(3 * 365 * 86_400_000);
      assert.deepEqual(await t.custodian.erasure.expireActs('system:retention'), { acts: 0 }, 'not yet: three years are more than 3 × 365 days here');
      assert.equal((await t.custodian.erasure.act(actId!)).person?.name, 'Erasable Personova');
      t.clock.advance(86_400_000);
      const { acts } = await t.custodian.erasure.expireActs('system:retention');
      assert.ok(acts >= 1);
      assert.equal((await refusal(t.custodian.erasure.act(actId!))).code, 'not_found');
      assert.equal(await t.custodian.keyStore.get(db(), { kind: 'act', id: actId! }), undefined);
      const event = (await db().selectFrom('journal_event').selectAll().where('operation', '=', 'destruction').where('subject_id', 'is', null).execute()).at(-1)!;
      assert.deepEqual(JSON.parse(event.details), { kind: 'destruction-acts-expired', acts, retention: 'P3Y' });
    });
  });
}
