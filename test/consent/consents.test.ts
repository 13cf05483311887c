import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { Consents } from '../../src/consent/consents.js';
import { preferenceFacts } from '../../src/consent/gate-facts.js';
import { openCustodian, publishPolicy } from '../../src/custodian.js';
import type { Journal } from '../../src/journal/journal.js';
import { isConsentValid, optOutReason } from '../../src/consent/preferences.js';
import { CustodianError } from '../../src/errors.js';
import { createTestCustodian, type TestCustodian } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';
import { DAY, FULL_NAME, fullSnapshot, GLOBAL_POLICY, KZ_POLICY, kzConsent, newSubject, NOTICE_TEXT, plainConsent } from './consent-fixtures.js';

const ACTOR = 'apikey:0000000000000000';

async function rejection(promise: Promise<unknown>): Promise<CustodianError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof CustodianError, `expected a CustodianError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the call to be rejected');
}

for (const engine of ENGINES) {
  describe(`consents under Kazakhstan's 94-V (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    const changed: string[] = [];

    before(async () => {
      t = await createTestCustodian(engine, { policy: KZ_POLICY });
      // Observe what the gate is told, without replacing its own invalidation.
      const gate = t.custodian.gate;
      const invalidate = gate.invalidate.bind(gate);
      gate.invalidate = (subjectId: string) => {
        changed.push(subjectId);
        invalidate(subjectId);
      };
    });
    after(() => t.dispose());

    it('keeps every give, refuse and withdraw act as history and derives the current state', async () => {
      const { consents } = t.custodian;
      const id = await newSubject(t.custodian, 'history@example.kz');
      const given = await consents.record(id, kzConsent('newsletter', { validity: 'P2Y' }), ACTOR);
      assert.equal(given.state, 'given');
      assert.equal(given.validUntil, Date.parse('2028-11-22T09:00:00Z'));
      assert.equal(given.notice?.sha256.length, 64);
      assert.equal(given.subjectNameRecorded, true);
      assert.ok(changed.includes(id), 'the gate is told after the change commits');

      const refused = await consents.record(id, kzConsent('newsletter', { decision: 'refuse' }), ACTOR);
      assert.equal(refused.state, 'refused');
      await consents.record(id, kzConsent('newsletter', { validity: 'P2Y' }), ACTOR);
      const [withdrawn] = await consents.withdraw(id, 'newsletter', { channel: 'email' }, ACTOR);
      assert.equal(withdrawn.state, 'withdrawn');

      const history = await consents.history(id);
      assert.deepEqual(
        history.map((r) => [r.event, r.current]),
        [
          ['given', false],
          ['refused', false],
          ['given', false],
          ['withdrawn', true],
        ],
      );
      assert.deepEqual(
        history.slice(1).map((r) => r.previousId),
        history.slice(0, -1).map((r) => r.id),
        'each act points at the one it replaced',
      );
      const prefs = await consents.subjectPreferences(t.custodian.store.db, id);
      assert.equal(prefs.purposes.newsletter.consent?.state, 'withdrawn');
      assert.equal(prefs.purposes.newsletter.consent?.recordId, withdrawn.id);

      await assert.rejects(consents.withdraw(id, 'newsletter', { channel: 'email' }, ACTOR), (e: CustodianError) => e.code === 'conflict');
    });

    it('lets a consent expire when its validity passes, without any job running', async () => {
      const { consents } = t.custodian;
      const id = await newSubject(t.custodian, 'expiry@example.kz');
      const given = await consents.record(id, kzConsent('wellness', { validity: 'P6M', categories: ['user.name', 'user.health_and_medical'] }), ACTOR);
      assert.equal(given.validUntil, Date.parse('2027-05-22T09:00:00Z'));
      const start = t.clock.now();
      try {
        t.clock.set(given.validUntil! - 1);
        assert.equal((await consents.get(given.id)).state, 'given');
        let prefs = await consents.subjectPreferences(t.custodian.store.db, id);
        assert.ok(isConsentValid(prefs.purposes.wellness.consent, t.clock.now()));

        t.clock.set(given.validUntil!);
        assert.equal((await consents.get(given.id)).state, 'expired');
        prefs = await consents.subjectPreferences(t.custodian.store.db, id);
        assert.equal(prefs.purposes.wellness.consent?.state, 'expired');
        assert.ok(!isConsentValid(prefs.purposes.wellness.consent, t.clock.now()));
        const renewals = await consents.renewals({ purpose: 'wellness' });
        assert.deepEqual(
          renewals.items.filter((r) => r.subjectId === id).map((r) => [r.reason, r.since]),
          [['expired', given.validUntil]],
        );
      } finally {
        t.clock.set(start);
      }
    });

    it('rejects a consent that lacks the content of 94-V art. 8(4), naming every missing field, and writes nothing', async () => {
      const { consents } = t.custodian;
      const id = await newSubject(t.custodian, 'incomplete@example.kz');
      const before = await fullSnapshot(t.custodian);
      // A real name, so an error that echoed the input would be caught by the check below.
      const input = kzConsent('loyalty', { scope: { thirdParties: true }, subjectFullName: FULL_NAME });
      delete input.validity;
      delete input.categories;
      const error = await rejection(consents.record(id, input, ACTOR));
      assert.equal(error.code, 'consent_incomplete');
      assert.deepEqual(error.details.map((d) => d.path).sort(), ['categories', 'scope.crossBorder', 'scope.publicDissemination', 'validity']);
      assert.ok(error.details.every((d) => d.message.includes('94-V art. 8(4)')));
      const said = [error.message, ...error.details.flatMap((d) => [d.path, d.message])];
      for (const part of FULL_NAME.split(' ')) {
        assert.ok(said.every((text) => !text.includes(part)), `no personal data in the error: it says "${part}"`);
      }

      const nameless = await rejection(consents.record(id, { ...input, subjectFullName: '   ' }, ACTOR));
      assert.deepEqual(nameless.details.map((d) => d.path).sort(), ['categories', 'scope.crossBorder', 'scope.publicDissemination', 'subjectFullName', 'validity']);
      assert.deepEqual(await fullSnapshot(t.custodian), before);
    });

    it('takes a refusal without the 8(4) content: nothing is being consented to', async () => {
      const id = await newSubject(t.custodian, 'refusal@example.kz');
      const refused = await t.custodian.consents.record(id, { purpose: 'newsletter', decision: 'refuse', channel: 'web-form', notice: { policyVersion: 1, locale: 'kk', text: NOTICE_TEXT } }, ACTOR);
      assert.equal(refused.state, 'refused');
      assert.equal(refused.validUntil, null);
    });

    it('refuses consent for a purpose whose legal basis is not consent, and bad evidence, naming the field', async () => {
      const { consents } = t.custodian;
      const id = await newSubject(t.custodian, 'basis@example.kz');
      const before = await fullSnapshot(t.custodian);
      const cases: [Parameters<typeof kzConsent>[1] & { purpose?: string }, string, string][] = [
        [{ purpose: 'orders' }, 'consent_not_applicable', 'purpose'],
        [{ purpose: 'profiling' }, 'purpose_not_declared', 'purpose'],
        [{ validity: 'P3Y' }, 'validation_failed', 'validity'],
        [{ validity: 'until-purpose-achieved' }, 'validation_failed', 'validity'],
        [{ categories: ['user.contact.phone_number', 'user.health_and_medical'] }, 'category_not_allowed_for_purpose', 'categories[1]'],
        [{ scope: { thirdParties: true, crossBorder: false, publicDissemination: false } }, 'validation_failed', 'scope.thirdParties'],
        [{ notice: { policyVersion: 9, locale: 'ru', text: NOTICE_TEXT } }, 'validation_failed', 'notice.policyVersion'],
        [{ notice: { policyVersion: 1, locale: 'ru' } }, 'validation_failed', 'notice.text'],
        [{ notice: { policyVersion: 1, locale: 'ru', text: NOTICE_TEXT, textSha256: '0'.repeat(64) } }, 'validation_failed', 'notice.textSha256'],
        [{ separateScope: 'crossBorder' }, 'consent_not_applicable', 'separateScope'],
      ];
      for (const [overrides, code, path] of cases) {
        const error = await rejection(consents.record(id, kzConsent(overrides.purpose ?? 'newsletter', overrides), ACTOR));
        assert.equal(error.code, code, `${JSON.stringify(overrides)}: ${error.message}`);
        assert.ok(
          error.details.some((d) => d.path === path),
          `${JSON.stringify(overrides)} names ${path}: ${JSON.stringify(error.details)}`,
        );
      }
      assert.deepEqual(await fullSnapshot(t.custodian), before);
    });

    it('keeps the full name encrypted with the subject’s key and out of the journal', async () => {
      const id = await newSubject(t.custodian, 'sealed@example.kz');
      const record = await t.custodian.consents.record(id, kzConsent('newsletter', { validity: 'P2Y' }), ACTOR);
      const row = await t.custodian.store.db.selectFrom('consent_record').selectAll().where('id', '=', record.id).executeTakeFirstOrThrow();
      assert.match(row.subject_name_enc!, /^v1\./);
      assert.ok(!JSON.stringify(row).includes(FULL_NAME));
      assert.equal(row.notice_text, null, 'the notice text is kept only on request');
      assert.equal(row.notice_sha256, record.notice!.sha256);

      const events = await t.custodian.store.db.selectFrom('journal_event').selectAll().where('subject_id', '=', id).orderBy('seq').execute();
      const consentEvent = events.find((e) => e.operation === 'recording');
      assert.ok(consentEvent, 'the act is journaled');
      assert.equal(consentEvent.purpose, 'newsletter');
      assert.deepEqual(JSON.parse(consentEvent.categories), ['user.name']);
      const details = JSON.parse(consentEvent.details);
      assert.equal(details.consentId, record.id);
      assert.equal(details.event, 'given');
      assert.deepEqual(details.coveredCategories, ['user.name', 'user.contact.email']);
      const all = JSON.stringify(events);
      assert.ok(!all.includes(FULL_NAME) && !all.includes('Нурланқызы') && !all.includes(NOTICE_TEXT), 'journal holds no values');
    });

    it('records the separate consents of 94-V art. 7(6) as acts of their own, which the gate can ask about', async () => {
      const { consents, gate } = t.custodian;
      const policy = t.custodian.policies.active().index.policy;

      const id = await newSubject(t.custodian, 'separate@example.kz');
      const transfer = { subjectId: id, purpose: 'loyalty', operation: 'transfer' as const, categories: ['user.contact.email'], recipient: 'partner-abroad' };
      const scope = { thirdParties: true, crossBorder: true, publicDissemination: false };
      await consents.record(id, kzConsent('loyalty', { scope }), ACTOR);

      let prefs = await consents.subjectPreferences(t.custodian.store.db, id);
      assert.deepEqual(preferenceFacts(prefs, policy).consents.get('loyalty')?.separate, { thirdParties: false, crossBorder: false, publicDissemination: false }, 'stating the transfer abroad is not consenting to it separately');
      let codes = (await gate.decide(transfer)).reasons.map((r) => r.code);
      assert.ok(codes.includes('cross_border_consent_missing') && codes.includes('third_party_consent_missing'), codes.join());

      const bundled = await rejection(consents.record(id, kzConsent('loyalty', { separateScope: 'crossBorder', scope }), ACTOR));
      assert.equal(bundled.details[0].path, 'scope.thirdParties', 'a separate act covers one scope only');

      const crossBorder = await consents.record(id, kzConsent('loyalty', { separateScope: 'crossBorder', scope: undefined }), ACTOR);
      assert.equal(crossBorder.topic, 'crossBorder');
      assert.deepEqual(crossBorder.scope, { thirdParties: false, crossBorder: true, publicDissemination: false });
      await consents.record(id, kzConsent('loyalty', { separateScope: 'thirdParties', scope: undefined }), ACTOR);

      prefs = await consents.subjectPreferences(t.custodian.store.db, id);
      assert.equal(prefs.purposes.loyalty.separate.crossBorder?.state, 'given');
      assert.deepEqual(preferenceFacts(prefs, policy).consents.get('loyalty')?.separate, { thirdParties: true, crossBorder: true, publicDissemination: false });
      assert.equal((await gate.decide(transfer)).allow, true, 'the gate saw the change at once');

      // Withdrawing only the transfer abroad leaves the rest standing.
      await consents.withdraw(id, 'loyalty', { channel: 'web-form', separateScope: 'crossBorder' }, ACTOR);
      prefs = await consents.subjectPreferences(t.custodian.store.db, id);
      assert.deepEqual(preferenceFacts(prefs, policy).consents.get('loyalty')?.separate, { thirdParties: true, crossBorder: false, publicDissemination: false });
      codes = (await gate.decide(transfer)).reasons.map((r) => r.code);
      assert.deepEqual(codes, ['cross_border_consent_missing']);

      // Withdrawing the purpose consent takes its separate consents with it.
      const withdrawn = await consents.withdraw(id, 'loyalty', { channel: 'web-form' }, ACTOR);
      assert.deepEqual(withdrawn.map((r) => r.topic).sort(), ['purpose', 'thirdParties']);
      const after = await gate.decide(transfer);
      assert.equal(after.allow, false);
      assert.equal(after.reasons[0].code, 'consent_withdrawn');
    });

    it('marks consents for renewal after a material change and lists who must be asked again', async () => {
      const { consents, policies, store } = t.custodian;
      const a = await newSubject(t.custodian, 'renew-a@example.kz');
      const b = await newSubject(t.custodian, 'renew-b@example.kz');
      const c = await newSubject(t.custodian, 'renew-c@example.kz');
      const givenA = await consents.record(a, kzConsent('newsletter', { validity: 'P2Y' }), ACTOR);
      await consents.record(b, kzConsent('newsletter', { validity: 'P2Y' }), ACTOR);
      await consents.record(c, kzConsent('newsletter', { decision: 'refuse' }), ACTOR);
      await consents.record(c, kzConsent('loyalty', { scope: { thirdParties: true, crossBorder: true, publicDissemination: false } }), ACTOR);

      const source = (await readFile(KZ_POLICY, 'utf8')).replace('categories: [user.name, user.contact.email]\n    subjects: [customer]\n    marketing: true', 'categories: [user.name, user.contact.email, user.contact.phone_number]\n    subjects: [customer]\n    marketing: true');
      const published = await policies.publish(source, 'kz-transfers.policy.yaml');
      assert.equal(published.version.number, 2);

      const seen = changed.length;
      const marking = await consents.markRenewalNeeded(1, 2, ['newsletter']);
      assert.ok(marking.marked >= 2);
      assert.ok(marking.subjectIds.includes(a) && marking.subjectIds.includes(b) && !marking.subjectIds.includes(c));
      assert.ok(changed.slice(seen).includes(a), 'the gate is told');

      const prefsA = await consents.subjectPreferences(store.db, a);
      assert.equal(prefsA.purposes.newsletter.consent?.state, 'renewal-needed');
      assert.equal(prefsA.purposes.newsletter.consent?.policyVersion, 2);
      const [marker] = (await consents.history(a)).filter((r) => r.event === 'renewal-needed');
      assert.equal(marker.previousId, givenA.id);
      assert.equal(marker.actor, 'system:policy-renewal');

      const listed = await consents.renewals({ purpose: 'newsletter' });
      const reasons = new Map(listed.items.map((item) => [item.subjectId, item.reason]));
      assert.equal(reasons.get(a), 'policy-changed');
      assert.equal(reasons.get(b), 'policy-changed');
      assert.ok(!reasons.has(c), 'a refusal needs no renewal');
      assert.equal((await consents.subjectPreferences(store.db, c)).purposes.loyalty.consent?.state, 'given', 'other purposes are untouched');

      const marks = await store.db.selectFrom('journal_event').selectAll().where('subject_id', '=', a).where('operation', '=', 'clarification').execute();
      assert.equal(marks.length, 1);
      assert.equal(JSON.parse(marks[0].details).newVersion, 2);

      // Asking again settles it; marking twice finds nothing more to mark.
      await consents.record(a, kzConsent('newsletter', { validity: 'P2Y', notice: { policyVersion: 2, locale: 'ru', text: NOTICE_TEXT } }), ACTOR);
      const after = await consents.renewals({ purpose: 'newsletter' });
      assert.ok(!after.items.some((item) => item.subjectId === a));
      const again = await consents.markRenewalNeeded(1, 2, ['newsletter']);
      assert.deepEqual(again, { marked: 0, subjectIds: [] });

      const paged = await consents.renewals({ purpose: 'newsletter', limit: 1 });
      assert.equal(paged.items.length, 1);
      assert.equal(paged.next, paged.items[0].recordId);
      const rest = await consents.renewals({ purpose: 'newsletter', after: paged.next! });
      assert.ok(!rest.items.some((item) => item.recordId === paged.items[0].recordId));
    });
  });

  describe(`renewal after a material policy change (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    let kzSource: string;
    /** The KZ policy with the newsletter kept `days` after withdrawal: each longer period is a material change. */
    const withNewsletterRetention = (days: number, extra = '') => kzSource.replace('{ duration: P30D, from: consent-withdrawn }', `{ duration: P${days}D, from: consent-withdrawn }`).replace('policyUrl:', `${extra}policyUrl:`);
    const newsletter = (policyVersion: number, overrides: Parameters<typeof kzConsent>[1] = {}) => kzConsent('newsletter', { validity: 'P2Y', notice: { policyVersion, locale: 'ru', text: NOTICE_TEXT }, ...overrides });
    const newsletterState = async (subjectId: string) => (await t.custodian.consents.subjectPreferences(t.custodian.store.db, subjectId)).purposes.newsletter?.consent?.state;
    /** Resolves once a PostgreSQL session of this database waits for a lock. */
    const someoneWaitsForALock = async () => {
      for (let waited = 0; ; waited += 10) {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(t.custodian.store.db);
        if (rows[0].n > 0) return;
        assert.ok(waited < 5000, 'nobody waited for a lock');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };

    before(async () => {
      t = await createTestCustodian(engine, { policy: KZ_POLICY });
      kzSource = await readFile(KZ_POLICY, 'utf8');
    });
    after(() => t.dispose());

    it('refuses to give a consent again under the notice a material change replaced, and writes nothing', async () => {
      const { consents } = t.custodian;
      const id = await newSubject(t.custodian, 'stale-notice@example.kz');
      await consents.record(id, newsletter(1), ACTOR);
      const published = await publishPolicy(t.custodian, withNewsletterRetention(60), 'kz-transfers.policy.yaml');
      assert.deepEqual([published.version.number, published.renewalsMarked], [2, 1]);
      assert.equal(await newsletterState(id), 'renewal-needed');

      const before = await fullSnapshot(t.custodian);
      const error = await rejection(consents.record(id, newsletter(1), ACTOR));
      assert.equal(error.code, 'validation_failed');
      assert.deepEqual(error.details.map((d) => d.path), ['notice.policyVersion']);
      assert.deepEqual(await fullSnapshot(t.custodian), before);
      assert.equal(await newsletterState(id), 'renewal-needed', 'the old notice does not bring the consent back');

      const other = await newSubject(t.custodian, 'stale-notice-new@example.kz');
      assert.equal((await rejection(consents.record(other, newsletter(1), ACTOR))).details[0].path, 'notice.policyVersion', 'nor does it start a new one');

      // Saying no only narrows what may be done: a refusal on an old form still counts.
      const refused = await consents.record(other, newsletter(1, { decision: 'refuse' }), ACTOR);
      assert.equal(refused.state, 'refused');

      const renewed = await consents.record(id, newsletter(2), ACTOR);
      assert.deepEqual([renewed.state, renewed.policyVersion], ['given', 2]);
      assert.equal(await newsletterState(id), 'given');
    });

    it('checks the notice against the database, so a node that has not yet seen a new version cannot take the old one', async () => {
      const { consents } = t.custodian;
      const id = await newSubject(t.custodian, 'other-node@example.kz');
      await consents.record(id, newsletter(2), ACTOR);
      const otherNode = await openCustodian(t.config, { clock: t.clock });
      try {
        const published = await publishPolicy(otherNode, withNewsletterRetention(90), 'kz-transfers.policy.yaml');
        assert.equal(published.version.number, 3);
      } finally {
        await otherNode.close();
      }
      assert.equal(t.custodian.policies.active().number, 2, 'this node still holds version 2 in memory');
      assert.equal(await newsletterState(id), 'renewal-needed');

      const before = await fullSnapshot(t.custodian);
      const error = await rejection(consents.record(id, newsletter(2), ACTOR));
      assert.deepEqual([error.code, error.details[0].path], ['validation_failed', 'notice.policyVersion']);
      assert.deepEqual(await fullSnapshot(t.custodian), before);
      assert.equal((await consents.record(id, newsletter(3), ACTOR)).state, 'given', 'the new notice is looked up and accepted');
    });

    it('marks at publish for a version that takes effect later, and renews only under that version', async () => {
      const { consents, policies } = t.custodian;
      const id = await newSubject(t.custodian, 'scheduled@example.kz');
      await consents.record(id, newsletter(3), ACTOR);
      const published = await publishPolicy(t.custodian, withNewsletterRetention(120, 'effectiveDate: "2027-03-01"\n'), 'kz-transfers.policy.yaml');
      assert.deepEqual([published.version.number, published.version.effectiveAt], [4, Date.parse('2027-03-01')]);
      assert.equal(policies.active().number, 3, 'version 3 stays in effect until March');
      assert.ok(published.renewalsMarked >= 1);
      assert.equal(await newsletterState(id), 'renewal-needed', 'the gate stops relying on the consent at once');

      const fresh = await newSubject(t.custodian, 'scheduled-fresh@example.kz');
      assert.equal((await consents.record(fresh, newsletter(3), ACTOR)).state, 'given', 'version 3 is the notice in effect');
      const behind = await rejection(consents.record(id, newsletter(3), ACTOR));
      assert.deepEqual([behind.code, behind.details[0].path], ['validation_failed', 'notice.policyVersion'], 'a renewal asked by version 4 needs version 4');
      assert.equal(await newsletterState(id), 'renewal-needed');
      assert.equal((await consents.record(id, newsletter(4), ACTOR)).state, 'given', 'the announced notice renews ahead of the change');

      const start = t.clock.now();
      try {
        t.clock.set(Date.parse('2027-03-01T00:00:01Z'));
        const late = await newSubject(t.custodian, 'scheduled-late@example.kz');
        assert.equal((await rejection(consents.record(late, newsletter(3), ACTOR))).details[0].path, 'notice.policyVersion');
      } finally {
        t.clock.set(start);
      }
    });

    it('marks after taking the subject lock, so an act committed meanwhile is not overwritten', { skip: engine === 'sqlite' ? 'SQLite runs one writer at a time' : false }, async () => {
      const { consents, store } = t.custodian;
      const id = await newSubject(t.custodian, 'race@example.kz');
      const given = await consents.record(id, newsletter(4), ACTOR);

      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let held!: () => void;
      const lockHeld = new Promise<void>((resolve) => (held = resolve));
      // Another writer holds the subject and, while the publish waits for it, withdraws the consent.
      const writer = store.db.transaction().execute(async (trx) => {
        await trx.selectFrom('subject').select('id').where('id', '=', id).forUpdate().execute();
        held();
        await released;
        const row = await trx.selectFrom('consent_record').selectAll().where('id', '=', given.id).executeTakeFirstOrThrow();
        await trx.updateTable('consent_record').set({ current: 0 }).where('id', '=', row.id).execute();
        await trx.insertInto('consent_record').values({ ...row, id: randomUUID(), seq: Number(row.seq) + 1, event: 'withdrawn', current: 1, previous_id: row.id, subject_name_enc: null }).execute();
      });
      await lockHeld;
      const publishing = publishPolicy(t.custodian, withNewsletterRetention(150), 'kz-transfers.policy.yaml');
      try {
        await someoneWaitsForALock();
      } finally {
        release();
      }
      await writer;
      await publishing;

      const current = await store.db.selectFrom('consent_record').select(['event']).where('subject_id', '=', id).where('purpose', '=', 'newsletter').where('topic', '=', 'purpose').where('current', '=', 1).execute();
      assert.deepEqual(current.map((r) => r.event), ['withdrawn'], 'one current row: the withdrawal stands');
      assert.equal(await newsletterState(id), 'withdrawn');
    });

    it('makes a publish wait for a consent being given under the version it replaces, and marks that consent', { skip: engine === 'sqlite' ? 'SQLite runs one writer at a time' : false }, async () => {
      const { consents, policies } = t.custodian;
      const id = await newSubject(t.custodian, 'concurrent-give@example.kz');
      const inEffect = policies.inEffectWithin.bind(policies);
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let checked!: () => void;
      const noticeChecked = new Promise<void>((resolve) => (checked = resolve));
      // Pause the consent's transaction just after it has checked the version in effect.
      policies.inEffectWithin = async (trx, now) => {
        const number = await inEffect(trx, now);
        checked();
        await released;
        return number;
      };
      let giving;
      try {
        giving = consents.record(id, newsletter(policies.active().number), ACTOR);
        await noticeChecked;
      } finally {
        policies.inEffectWithin = inEffect;
      }
      const publishing = publishPolicy(t.custodian, withNewsletterRetention(180), 'kz-transfers.policy.yaml');
      try {
        await someoneWaitsForALock();
      } finally {
        release();
      }
      const given = await giving;
      const published = await publishing;
      assert.equal(given.state, 'given', 'the consent committed first');
      assert.ok(published.renewalsMarked >= 1);
      assert.equal(await newsletterState(id), 'renewal-needed', 'and the publish found it');
    });

    it('retries a marking that hits a serialization failure', async () => {
      const { store, work, subjects, keys, journal, policies, clock, ids } = t.custodian;
      const id = await newSubject(t.custodian, 'retry@example.kz');
      const active = policies.active().number;
      await t.custodian.consents.record(id, kzConsent('wellness', { validity: 'P6M', categories: ['user.name', 'user.health_and_medical'], notice: { policyVersion: active, locale: 'ru', text: NOTICE_TEXT } }), ACTOR);
      let failures = 1;
      const flaky = Object.assign(Object.create(journal) as Journal, {
        append: ((trx, entries) =>
          failures-- > 0 ? Promise.reject(Object.assign(new Error('could not serialize access due to concurrent update'), { code: '40001' })) : journal.append(trx, entries)) as Journal['append'],
      });
      const consents = new Consents({ store, work, subjects, keys, journal: flaky, policies, clock, ids });
      const marking = await consents.markRenewalNeeded(active, active + 1, ['wellness']);
      assert.deepEqual(marking.subjectIds, [id]);
      assert.equal(failures, -1, 'the failed attempt was retried');
      const prefs = await consents.subjectPreferences(store.db, id);
      assert.equal(prefs.purposes.wellness.consent?.state, 'renewal-needed');
    });
  });

  describe(`objections and Global Privacy Control (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;

    before(async () => {
      t = await createTestCustodian(engine, { policy: GLOBAL_POLICY });
    });
    after(() => t.dispose());

    it('makes GPC an opt-out of sale and sharing for a Californian', async () => {
      const { consents } = t.custodian;
      const id = await newSubject(t.custodian, 'gpc-ca@example.com', { jurisdiction: 'US-CA' });
      const first = await consents.recordGpc(id, 'sec-gpc-header', ACTOR);
      assert.equal(first.created, true);
      assert.equal(first.saleSharingOptOut, true);
      const second = await consents.recordGpc(id, 'api', ACTOR);
      assert.equal(second.created, false, 'GPC is recorded once');
      assert.equal(second.signal.recordId, first.signal.recordId);

      const optOuts = await consents.optOuts(id);
      assert.equal(optOuts.saleSharingOptOut, true);
      assert.deepEqual(optOuts.purposes, [{ purpose: 'ad-sharing', reason: 'gpc-sale-sharing' }]);
      const decision = await t.custodian.gate.decide({ subjectId: id, purpose: 'analytics', operation: 'use', categories: ['user.device.cookie_id'] });
      assert.equal(decision.allow, true, 'GPC does not touch purposes that neither sell nor share');

      const events = await t.custodian.store.db.selectFrom('journal_event').selectAll().where('subject_id', '=', id).where('operation', '=', 'recording').execute();
      assert.equal(events.length, 1);
      assert.equal(JSON.parse(events[0].details).effect, 'sale-sharing-opt-out');
    });

    it('reads GPC as an objection to sharing and marketing under the GDPR', async () => {
      const { consents } = t.custodian;
      const id = await newSubject(t.custodian, 'gpc-eu@example.com', { jurisdiction: 'EU' });
      await consents.record(id, plainConsent('newsletter'), ACTOR);
      const gpc = await consents.recordGpc(id, 'api', ACTOR);
      assert.equal(gpc.saleSharingOptOut, false);
      const optOuts = await consents.optOuts(id);
      assert.deepEqual(
        optOuts.purposes.map((p) => [p.purpose, p.reason]),
        [
          ['ad-sharing', 'gpc-objection'],
          ['newsletter', 'gpc-objection'],
        ],
      );
      const decision = await t.custodian.gate.decide({ subjectId: id, purpose: 'newsletter', operation: 'use', categories: ['user.contact.email'] });
      assert.ok(decision.reasons.some((r) => r.code === 'objection_upheld'), JSON.stringify(decision.reasons));
    });

    it('upholds an objection to a legitimate-interests purpose and refuses one to a contract purpose', async () => {
      const { consents, gate } = t.custodian;
      const id = await newSubject(t.custodian, 'object@example.com', { jurisdiction: 'EU' });
      const use = { subjectId: id, purpose: 'analytics', operation: 'use' as const, categories: ['user.device.cookie_id'] };
      assert.equal((await gate.decide(use)).allow, true);
      const result = await consents.object(id, 'analytics', ACTOR);
      assert.equal(result.created, true);
      assert.equal((await consents.object(id, 'analytics', ACTOR)).created, false);
      const prefs = await consents.subjectPreferences(t.custodian.store.db, id);
      assert.equal(prefs.objections.analytics.recordId, result.objection.recordId);
      const policy = t.custodian.policies.active().index.policy;
      assert.equal(optOutReason(prefs, policy.purposes.find((p) => p.id === 'analytics')!, policy.operator.jurisdictions), 'objection');
      assert.deepEqual(
        (await gate.decide(use)).reasons.map((r) => r.code),
        ['objection_upheld'],
      );

      const before = await fullSnapshot(t.custodian);
      const error = await rejection(consents.object(id, 'orders', ACTOR));
      assert.equal(error.code, 'objection_not_applicable');
      assert.equal(error.details[0].path, 'purpose');
      assert.deepEqual(await fullSnapshot(t.custodian), before);
    });

    it('defaults a GDPR consent’s evidence to what the policy declares', async () => {
      const id = await newSubject(t.custodian, 'defaults@example.com', { jurisdiction: 'EU' });
      const record = await t.custodian.consents.record(id, plainConsent('ad-sharing'), ACTOR);
      assert.deepEqual(record.scope, { thirdParties: true, crossBorder: true, publicDissemination: false });
      assert.deepEqual(record.categories, ['user.device.cookie_id', 'user.contact.email']);
      assert.equal(record.validity, 'P1Y');
      assert.equal(record.validUntil, t.clock.now() + 365 * DAY);
      const newsletter = await t.custodian.consents.record(id, plainConsent('newsletter'), ACTOR);
      assert.equal(newsletter.validUntil, null, 'no validity in the policy: until the purpose is achieved');
    });
  });
}
