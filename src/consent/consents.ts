/**
 * Consents: giving, refusing and withdrawing consent per purpose, with the evidence to
 * prove it later (25(2)5 of 94-V, GDPR art. 7(1)); objections and Global Privacy Control
 * signals; renewal after a material policy change; receipts; one-click unsubscribe.
 *
 * Every act is a row of its own (see `tables.ts`) and is journaled in the same transaction.
 * Journal operations used here:
 *   - `recording` — an act by or for the person: give, refuse, withdraw, object, GPC. The
 *     journal's category list names `user.name` when the act stores the person's name.
 *   - `clarification` — the system marking consents as needing renewal (an update of the
 *     consent's status, not a new act of the person).
 *   - `extraction` — the person's name decrypted into a readable copy.
 * Details hold ids, codes, flags and times only — never the name or the notice text.
 *
 * Every change runs in a unit of work that locks the subject and announces the change
 * (`Subjects.changed`), so the purpose gate on every node drops what it cached.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Clock, IdSource } from '../clock.js';
import { open, seal, valueContext } from '../crypto/envelope.js';
import type { KeyService } from '../crypto/keys.js';
import { CustodianError, notFound } from '../errors.js';
import { type Journal, type JournalEntry, streamFor } from '../journal/journal.js';
import { type Jurisdiction, localize, LOCALES, type Locale, type Purpose } from '../policy/model.js';
import type { PolicyVersions, PublishedPolicy } from '../policy/versions.js';
import type { Store } from '../store/store.js';
import type { UnitOfWork, UnitOfWorkRunner } from '../store/unit-of-work.js';
import { type ActiveSubject, isActive, notActive, type Subjects } from '../vault/subjects.js';
import type { Database, SubjectRow } from '../store/tables.js';
import type { ConsentRecordTable } from './tables.js';
import { type ConsentChannel, type ConsentEvent, type ConsentRecord, consentState, type ConsentTopic, type ScopeName } from './model.js';
import { readableCopyPage } from './pages.js';
import {
  type ConsentStatus,
  type GpcSignal,
  gpcEffect,
  type Objection,
  type OptOutReason,
  optOutReason,
  type SubjectPreferences,
} from './preferences.js';
import { dpvRecord, type DpvConsentRecord, kantaraReceipt, type KantaraReceipt, type ReceiptSource } from './receipts.js';
import { checkConsentAct, type CheckedAct, type ConsentActInput, notConsentBased, staleNotice } from './requirements.js';
import { signUnsubscribeToken, verifyUnsubscribeToken } from './unsubscribe.js';

export interface ConsentsDeps {
  store: Store;
  work: UnitOfWorkRunner;
  subjects: Subjects;
  keys: KeyService;
  journal: Journal;
  policies: PolicyVersions;
  clock: Clock;
  ids: IdSource;
  /** Base URL for links sent to people (config `publicUrl`); without it no link is minted. */
  publicUrl?: string;
}

export interface WithdrawalInput {
  channel: ConsentChannel;
  /** Withdraw only this separate consent; without it the purpose consent and all its separate consents go. */
  separateScope?: ScopeName;
  locale?: Locale;
}

export interface OptOuts {
  gpc: GpcSignal | null;
  saleSharingOptOut: boolean;
  objections: Objection[];
  /** Purposes of the active policy the subject has opted out of, and why. */
  purposes: { purpose: string; reason: OptOutReason }[];
}

export interface RenewalMarking {
  marked: number;
  /** Subjects whose consents were marked: notify the gate for these after commit when you passed a transaction. */
  subjectIds: string[];
}

export interface RenewalItem {
  recordId: string;
  subjectId: string;
  purpose: string;
  topic: ConsentTopic;
  /** `policy-changed`: a material change needs a new consent; `expired`: the validity ended. */
  reason: 'policy-changed' | 'expired';
  /** When the consent stopped counting. */
  since: number;
  policyVersion: number;
}

export interface UnsubscribeView {
  locale: Locale;
  purposeTitle: string;
}

/** Renewal marks and their journal entries are written in slices, well under both engines' parameter limits. */
const RENEWAL_BATCH = 400;
const RENEWAL_ACTOR = 'system:policy-renewal';

export class Consents {
  private readonly store: Store;
  private readonly work: UnitOfWorkRunner;
  private readonly subjects: Subjects;
  private readonly keys: KeyService;
  private readonly journal: Journal;
  private readonly policies: PolicyVersions;
  private readonly clock: Clock;
  private readonly ids: IdSource;
  private readonly publicUrl: string;

  constructor(deps: ConsentsDeps) {
    this.store = deps.store;
    this.work = deps.work;
    this.subjects = deps.subjects;
    this.keys = deps.keys;
    this.journal = deps.journal;
    this.policies = deps.policies;
    this.clock = deps.clock;
    this.ids = deps.ids;
    this.publicUrl = (deps.publicUrl ?? '').replace(/\/+$/, '');
  }

  /**
   * Records a give or refuse act. The act is checked against the policy version whose
   * notice the person saw; under Kazakhstan's law a given consent must carry the content
   * of 94-V art. 8(4) (errors name each missing field, and nothing is written).
   *
   * @example
   * await consents.record(subjectId, {
   *   purpose: 'marketing', decision: 'give', channel: 'web-form',
   *   notice: { policyVersion: 3, locale: 'ru', text: shownText },
   *   subjectFullName: 'Айгерим Нурланқызы', validity: 'P2Y',
   *   scope: { thirdParties: false, crossBorder: false, publicDissemination: false },
   *   categories: ['user.name', 'user.contact.email'],
   * }, 'apikey:0123abcd');
   * // The separate cross-border consent (94-V art. 7(6)) is an act of its own:
   * await consents.record(subjectId, { ...same, separateScope: 'crossBorder' }, actor);
   */
  async record(subjectId: string, input: ConsentActInput, actor: string, options: { gpc?: boolean } = {}): Promise<ConsentRecord> {
    const now = this.clock.now();
    const shown = await this.version(input.notice.policyVersion);
    const act = checkConsentAct(input, shown, shown ? this.policies.active().number : 0, now);
    return this.work.run(async (uow) => {
      const { trx } = uow;
      if (act.event === 'given') await this.assertNoticeInEffect(trx, act, now);
      const subject = await this.subjects.lock(uow, subjectId);
      if (act.event === 'given') await this.assertNotBehindRenewal(trx, subjectId, act);
      const id = this.ids.next();
      const row: NewRow = {
        id,
        subject_id: subjectId,
        purpose: act.purpose.id,
        topic: act.topic,
        event: act.event,
        at: now,
        actor,
        policy_version: act.policyVersion,
        third_parties: flag(act.scope.thirdParties),
        cross_border: flag(act.scope.crossBorder),
        public_dissemination: flag(act.scope.publicDissemination),
        categories: JSON.stringify(act.categories),
        validity: act.validity,
        valid_until: act.validUntil,
        channel: act.channel,
        locale: act.locale,
        notice_sha256: act.noticeSha256,
        notice_text: act.noticeText,
        subject_name_enc: act.subjectFullName === null ? null : seal(this.subjects.key(subject), Buffer.from(act.subjectFullName, 'utf8'), nameContext(subjectId, id)),
      };
      const [stored] = await this.append(trx, subjectId, [row]);
      const entries = [actEntry(actor, stored)];
      if (options.gpc) entries.push(...(await this.insertGpc(trx, subject, 'sec-gpc-header', actor)).entries);
      await this.subjects.changed(uow, subjectId);
      await this.journal.append(trx, entries);
      return toRecord(stored, now);
    });
  }

  /**
   * Withdraws the subject's consent to a purpose — with every separate consent under it,
   * since a transfer cannot outlive the processing it serves — or, with `separateScope`,
   * just that separate consent. Withdrawal needs no policy check: it only ever narrows
   * what may be done, even for a purpose a newer policy dropped.
   */
  async withdraw(subjectId: string, purposeId: string, input: WithdrawalInput, actor: string, options: { gpc?: boolean } = {}): Promise<ConsentRecord[]> {
    const now = this.clock.now();
    return this.work.run(async (uow) => {
      const { trx } = uow;
      const subject = await this.subjects.lock(uow, subjectId);
      const rows = await this.withdrawIn(uow, subject, purposeId, input, actor, {});
      if (rows.length === 0) {
        const what = input.separateScope ? `separate consent (${input.separateScope})` : 'consent';
        // The purpose is named only if some version declares it: an undeclared id may be a misplaced value.
        const named = this.policies.list().some((v) => v.index.purpose(purposeId)) ? `"${purposeId}"` : 'this purpose';
        throw new CustodianError('conflict', `There is no ${what} to ${named} to withdraw`, [{ path: input.separateScope ? 'separateScope' : 'purpose', message: `no given ${what} to withdraw` }]);
      }
      if (options.gpc) await this.journal.append(trx, (await this.insertGpc(trx, subject, 'sec-gpc-header', actor)).entries);
      return rows.map((row) => toRecord(row, now));
    });
  }

  /** Every act and marking for the subject, oldest first. */
  async history(subjectId: string): Promise<ConsentRecord[]> {
    await this.subjects.find(this.store.db, subjectId);
    const rows = await this.store.db.selectFrom('consent_record').selectAll().where('subject_id', '=', subjectId).orderBy('seq').execute();
    const now = this.clock.now();
    return rows.map((row) => toRecord(row, now));
  }

  async get(recordId: string): Promise<ConsentRecord> {
    return toRecord(await this.row(recordId), this.clock.now());
  }

  /**
   * Everything the purpose gate needs about one subject, in two queries: the current
   * consent per purpose and separate scope, objections, and the GPC opt-out. Plain data,
   * safe to cache until the subject's next change event (the rules take `now`, so expiry
   * needs no reload). Pass the open
   * transaction as `db` when inside one.
   */
  async subjectPreferences(db: Kysely<Database>, subjectId: string): Promise<SubjectPreferences> {
    const now = this.clock.now();
    const [rows, signals] = await Promise.all([
      db
        .selectFrom('consent_record')
        .select(['id', 'purpose', 'topic', 'event', 'at', 'policy_version', 'given_version', 'valid_until', 'third_parties', 'cross_border', 'public_dissemination', 'categories', 'channel'])
        .where('subject_id', '=', subjectId)
        .where('current', '=', 1)
        .execute(),
      db
        .selectFrom('subject')
        .leftJoin('opt_out_signal', 'opt_out_signal.subject_id', 'subject.id')
        .select(['subject.jurisdiction', 'opt_out_signal.id', 'opt_out_signal.kind', 'opt_out_signal.purpose', 'opt_out_signal.at', 'opt_out_signal.source'])
        .where('subject.id', '=', subjectId)
        .orderBy('opt_out_signal.at')
        .execute(),
    ]);
    const prefs: SubjectPreferences = {
      subjectId,
      jurisdiction: (signals[0]?.jurisdiction ?? null) as Jurisdiction | null,
      asOf: now,
      purposes: {},
      objections: {},
      gpc: null,
    };
    for (const row of rows) {
      const validUntil = row.valid_until === null ? null : Number(row.valid_until);
      const status: ConsentStatus = {
        recordId: row.id,
        event: row.event as ConsentEvent,
        state: consentState(row.event as ConsentEvent, validUntil, now),
        at: Number(row.at),
        policyVersion: Number(row.policy_version),
        coveredVersion: row.event === 'renewal-needed' ? (row.given_version === null ? null : Number(row.given_version)) : Number(row.policy_version),
        validUntil,
        scope: { thirdParties: Number(row.third_parties) === 1, crossBorder: Number(row.cross_border) === 1, publicDissemination: Number(row.public_dissemination) === 1 },
        categories: JSON.parse(row.categories) as string[],
        channel: row.channel as ConsentChannel | null,
      };
      const entry = (prefs.purposes[row.purpose] ??= { consent: null, separate: {} });
      if (row.topic === 'purpose') entry.consent = status;
      else entry.separate[row.topic as ScopeName] = status;
    }
    for (const signal of signals) {
      if (signal.id === null) continue;
      const at = Number(signal.at);
      if (signal.kind === 'gpc') prefs.gpc ??= { recordId: signal.id, at, source: signal.source as GpcSignal['source'] };
      else if (signal.purpose !== null) prefs.objections[signal.purpose] ??= { recordId: signal.id, purpose: signal.purpose, at };
    }
    return prefs;
  }

  /** The subject's opt-outs, read against the active policy: what the gate would refuse and why. */
  async optOuts(subjectId: string): Promise<OptOuts> {
    await this.subjects.find(this.store.db, subjectId);
    const prefs = await this.subjectPreferences(this.store.db, subjectId);
    const policy = this.policies.active().index.policy;
    const declared = policy.operator.jurisdictions;
    const purposes = policy.purposes.flatMap((purpose) => {
      const reason = optOutReason(prefs, purpose, declared);
      return reason ? [{ purpose: purpose.id, reason }] : [];
    });
    return { gpc: prefs.gpc, saleSharingOptOut: gpcEffect(prefs, declared).saleSharingOptOut, objections: Object.values(prefs.objections), purposes };
  }

  /**
   * Records a Global Privacy Control signal. It is recorded once (browsers send it with
   * every request) and stays: GPC has no "off" signal — an absent header means nothing.
   * What it binds depends on the subject's law; see `optOutReason`.
   */
  async recordGpc(subjectId: string, source: GpcSignal['source'], actor: string): Promise<{ signal: GpcSignal; created: boolean; saleSharingOptOut: boolean }> {
    return this.work.run(async (uow) => {
      const subject = await this.subjects.lock(uow, subjectId);
      const { signal, created, entries } = await this.insertGpc(uow.trx, subject, source, actor);
      if (created) await this.subjects.changed(uow, subjectId);
      await this.journal.append(uow.trx, entries);
      return { signal, created, saleSharingOptOut: gpcEffect({ gpc: signal, jurisdiction: subject.jurisdiction as Jurisdiction | null }, this.declaredJurisdictions()).saleSharingOptOut };
    });
  }

  /**
   * Records an objection (GDPR art. 21) to a purpose based on legitimate interests or a
   * public task, or to direct marketing. Objections are upheld when recorded: for
   * marketing the law leaves no choice (21(3)); for the others the operator must stop
   * unless it shows compelling grounds (21(1)), a judgement made outside Custodian — the
   * safe default is to stop at once and to keep stopping until a person decides otherwise.
   */
  async object(subjectId: string, purposeId: string, actor: string): Promise<{ objection: Objection; created: boolean }> {
    const active = this.policies.active();
    const purpose = active.index.purpose(purposeId);
    if (!purpose) throw new CustodianError('purpose_not_declared', `The purpose is not declared in policy version ${active.number}`, [{ path: 'purpose', message: 'purpose is not declared' }]);
    const basis = purpose.legalBasis.gdpr;
    if (basis !== 'legitimate-interests' && basis !== 'public-task' && !purpose.marketing) {
      throw new CustodianError('objection_not_applicable', `Purpose "${purposeId}" is not open to objection`, [
        { path: 'purpose', message: 'only purposes with legalBasis.gdpr legitimate-interests or public-task, or marketing purposes, take an objection (GDPR art. 21); withdraw consent instead where the basis is consent' },
      ]);
    }
    return this.work.run(async (uow) => {
      const { trx } = uow;
      await this.subjects.lock(uow, subjectId);
      const existing = await trx.selectFrom('opt_out_signal').selectAll().where('subject_id', '=', subjectId).where('kind', '=', 'objection').where('purpose', '=', purposeId).executeTakeFirst();
      if (existing) return { objection: { recordId: existing.id, purpose: purposeId, at: Number(existing.at) }, created: false };
      const row = { id: this.ids.next(), subject_id: subjectId, kind: 'objection', purpose: purposeId, at: this.clock.now(), actor, source: 'api', policy_version: active.number };
      await trx.insertInto('opt_out_signal').values(row).execute();
      await this.subjects.changed(uow, subjectId);
      await this.journal.append(trx, [
        { actor, operation: 'recording', subjectId, purpose: purposeId, details: { record: 'objection', objectionId: row.id, basis: basis ?? null, marketing: purpose.marketing, outcome: 'upheld', policyVersion: active.number } },
      ]);
      return { objection: { recordId: row.id, purpose: purposeId, at: row.at }, created: true };
    });
  }

  /**
   * After a new policy version with a material change: marks every currently valid consent
   * under the affected purposes, given under an earlier version, as needing renewal, so the
   * person is asked again (`renewals`). The gate does not wait for this: it already refuses
   * what a consent given under an older notice does not cover (`PolicyVersions.renewalFloor`).
   *
   * Runs in batches, each a unit of work of its own that locks only the batch's subjects:
   * writers elsewhere are never stalled behind a publish. It is idempotent — a marker
   * replaces the act it marks, so a second run (the `consent.mark-renewals` job after a
   * direct run, or after a crash halfway) finds nothing left to mark.
   *
   * @example
   * const marking = await consents.markRenewalNeeded(3, 4, ['marketing']);
   */
  async markRenewalNeeded(previousVersion: number, newVersion: number, affectedPurposeIds: readonly string[]): Promise<RenewalMarking> {
    if (affectedPurposeIds.length === 0) return { marked: 0, subjectIds: [] };
    const subjects = new Set<string>();
    let marked = 0;
    for (;;) {
      const candidates = await this.renewable(this.store.db, newVersion, affectedPurposeIds).select(['id', 'subject_id']).orderBy('id').limit(RENEWAL_BATCH).execute();
      if (candidates.length === 0) break;
      // One unit of work per journal stream: each holds one stream head, so writers on other streams never wait for it.
      const byStream = new Map<string, string[]>();
      for (const row of candidates) {
        const stream = streamFor(row.subject_id);
        byStream.set(stream, [...(byStream.get(stream) ?? []), row.id]);
      }
      for (const ids of byStream.values()) {
        const batch = await this.work.run((uow) => this.markBatch(uow, previousVersion, newVersion, affectedPurposeIds, ids));
        marked += batch.marked;
        for (const id of batch.subjectIds) subjects.add(id);
      }
    }
    return { marked, subjectIds: [...subjects] };
  }

  /** Current given consents to `purposes` from before `newVersion` that are still valid: what a material change sends for renewal. */
  private renewable(db: Kysely<Database>, newVersion: number, purposes: readonly string[]) {
    const now = this.clock.now();
    return db
      .selectFrom('consent_record')
      .where('purpose', 'in', [...purposes])
      .where('current', '=', 1)
      .where('event', '=', 'given')
      .where('policy_version', '<', newVersion)
      .where((eb) => eb.or([eb('valid_until', 'is', null), eb('valid_until', '>', now)]));
  }

  /**
   * Who must be asked again: current consents marked for renewal, and given consents whose
   * validity has ended. Only active subjects are listed: an erased or depersonalized one
   * can no longer be identified, let alone asked. Pages by record id.
   */
  async renewals(query: { purpose?: string; after?: string; limit?: number } = {}): Promise<{ items: RenewalItem[]; next: string | null }> {
    const now = this.clock.now();
    const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
    let select = this.store.db
      .selectFrom('consent_record')
      .innerJoin('subject', 'subject.id', 'consent_record.subject_id')
      .select(['consent_record.id', 'consent_record.subject_id', 'consent_record.purpose', 'consent_record.topic', 'consent_record.event', 'consent_record.at', 'consent_record.valid_until', 'consent_record.policy_version'])
      .where('consent_record.current', '=', 1)
      .where('subject.state', '=', 'active')
      .where((eb) =>
        eb.or([
          eb('consent_record.event', '=', 'renewal-needed'),
          eb.and([eb('consent_record.event', '=', 'given'), eb('consent_record.valid_until', 'is not', null), eb('consent_record.valid_until', '<=', now)]),
        ]),
      )
      .orderBy('consent_record.id')
      .limit(limit + 1);
    if (query.purpose) select = select.where('consent_record.purpose', '=', query.purpose);
    if (query.after) select = select.where('consent_record.id', '>', query.after);
    const rows = await select.execute();
    const page = rows.slice(0, limit);
    return {
      items: page.map((row) => ({
        recordId: row.id,
        subjectId: row.subject_id,
        purpose: row.purpose,
        topic: row.topic as ConsentTopic,
        reason: row.event === 'renewal-needed' ? 'policy-changed' : 'expired',
        since: row.event === 'renewal-needed' ? Number(row.at) : Number(row.valid_until),
        policyVersion: Number(row.policy_version),
      })),
      next: rows.length > limit ? page[page.length - 1].id : null,
    };
  }

  /**
   * A signed link that withdraws the subject's consent to a marketing purpose without
   * logging in; put it in every mailing (and see `unsubscribeHeaders`). The link is absolute
   * under `CUSTODIAN_PUBLIC_URL`; without it no link is minted, since a relative one is no
   * valid `List-Unsubscribe` URI and would leave the person without a working way out.
   *
   * @example await consents.unsubscribeLink(subjectId, 'marketing'); // 'https://privacy.example/unsubscribe?token=…'
   */
  async unsubscribeLink(subjectId: string, purposeId: string): Promise<string> {
    const purpose = this.policies.active().index.purpose(purposeId);
    if (!purpose) throw new CustodianError('purpose_not_declared', 'The purpose is not declared', [{ path: 'purpose', message: 'purpose is not declared' }]);
    if (!purpose.consent) throw notConsentBased(purpose);
    if (!purpose.marketing) {
      throw new CustodianError('consent_not_applicable', `Purpose "${purposeId}" is not a marketing purpose`, [{ path: 'purpose', message: 'unsubscribe links are for marketing purposes (marketing: true)' }]);
    }
    const subject = await this.subjects.find(this.store.db, subjectId);
    if (!isActive(subject)) throw notActive(subject);
    if (!this.publicUrl) {
      throw new CustodianError('public_url_missing', 'Unsubscribe links need CUSTODIAN_PUBLIC_URL, the address people reach Custodian at', [
        { path: 'CUSTODIAN_PUBLIC_URL', message: 'is not set: a relative link is not a valid List-Unsubscribe URI' },
      ]);
    }
    const token = signUnsubscribeToken(this.keys, { subjectId, purpose: purposeId, issuedAt: Math.floor(this.clock.now() / 1000) });
    return `${this.publicUrl}/unsubscribe?token=${token}`;
  }

  /** The RFC 8058 headers for a marketing e-mail: mail clients then offer one-click unsubscribe. */
  async unsubscribeHeaders(subjectId: string, purposeId: string): Promise<{ 'List-Unsubscribe': string; 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }> {
    return { 'List-Unsubscribe': `<${await this.unsubscribeLink(subjectId, purposeId)}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
  }

  /** What the unsubscribe confirmation page shows; a forged token is a `link_invalid` error. */
  async unsubscribeView(token: string): Promise<UnsubscribeView> {
    const claims = verifyUnsubscribeToken(this.keys, token);
    const subject = await this.store.db.selectFrom('subject').select(['locale']).where('id', '=', claims.subjectId).executeTakeFirst();
    return this.view(claims.purpose, subject?.locale ?? null);
  }

  /**
   * Withdraws the consent a genuine unsubscribe token names. Clicking twice, or after the
   * consent ended some other way, shows the same confirmation: the person's wish holds,
   * and the page reveals nothing about the state of anyone's consent.
   */
  async unsubscribe(token: string, channel: 'email' | 'web-form'): Promise<UnsubscribeView & { withdrawn: boolean }> {
    const claims = verifyUnsubscribeToken(this.keys, token);
    const result = await this.work.run(async (uow) => {
      const subject = await uow.lockSubject(claims.subjectId);
      if (!subject || !isActive(subject)) return { locale: subject?.locale ?? null, withdrawn: false };
      const rows = await this.withdrawIn(uow, subject, claims.purpose, { channel }, 'subject', { via: 'unsubscribe-link', linkIssuedAt: claims.issuedAt });
      return { locale: subject.locale, withdrawn: rows.length > 0 };
    });
    return { ...this.view(claims.purpose, result.locale), withdrawn: result.withdrawn };
  }

  /** A Kantara Consent Receipt 1.1 for a given consent. */
  async kantaraReceipt(recordId: string): Promise<KantaraReceipt> {
    const { source } = await this.receiptSource(recordId);
    if (source.record.event !== 'given') {
      throw new CustodianError('conflict', 'A Kantara consent receipt records a consent given; this record is not one', [{ path: 'format', message: 'use format=jsonld or format=html for this record' }]);
    }
    return kantaraReceipt(source);
  }

  /** The ISO/IEC TS 27560 consent record in DPV JSON-LD. */
  async consentRecordJsonLd(recordId: string): Promise<DpvConsentRecord> {
    return dpvRecord((await this.receiptSource(recordId)).source);
  }

  /** What a receipt or a readable copy is made of: the act, the notice it was given under, the subject. */
  async receiptSource(recordId: string, locale?: Locale): Promise<{ source: ReceiptSource; row: ConsentRecordTable; subject: SubjectRow | undefined }> {
    const row = await this.row(recordId);
    if (row.event === 'renewal-needed') {
      throw new CustodianError('conflict', 'A renewal marking is not an act of the person and has no receipt', [{ path: 'id', message: 'receipts exist for given, refused and withdrawn acts' }]);
    }
    const version = await this.version(Number(row.policy_version));
    const purpose = version?.index.purpose(row.purpose);
    if (!version || !purpose) throw notFound('Policy version of the consent', 'id');
    const subject = await this.subjectRow(this.store.db, row.subject_id);
    const policy = version.index.policy;
    const chosen = locale ?? asLocale(subject?.locale) ?? asLocale(row.locale) ?? policy.defaultLocale;
    return { source: { record: toRecord(row, this.clock.now()), policy, purpose, locale: chosen }, row, subject };
  }

  private view(purposeId: string, subjectLocale: string | null): UnsubscribeView {
    const versions = this.policies.list();
    const policy = versions.length > 0 ? this.policies.active().index : undefined;
    const locale = asLocale(subjectLocale) ?? policy?.policy.defaultLocale ?? 'en';
    const purpose: Purpose | undefined = policy?.purpose(purposeId);
    return { locale, purposeTitle: purpose ? localize(purpose.title, locale, policy!.policy.defaultLocale) : purposeId };
  }

  /** Appends withdrawal rows for what is currently given (or awaiting renewal) and journals them. */
  private async withdrawIn(
    uow: UnitOfWork,
    subject: SubjectRow,
    purposeId: string,
    input: WithdrawalInput,
    actor: string,
    extra: Record<string, string | number>,
  ): Promise<ConsentRecordTable[]> {
    const { trx } = uow;
    let query = trx.selectFrom('consent_record').selectAll().where('subject_id', '=', subject.id).where('purpose', '=', purposeId).where('current', '=', 1);
    query = input.separateScope ? query.where('topic', '=', input.separateScope) : query;
    const current = (await query.execute()).filter((row) => row.event === 'given' || row.event === 'renewal-needed');
    if (current.length === 0) return [];
    const now = this.clock.now();
    const policyVersion = this.policies.list().length > 0 ? this.policies.active().number : Number(current[0].policy_version);
    const rows: NewRow[] = current.map((target) => ({
      id: this.ids.next(),
      subject_id: subject.id,
      purpose: purposeId,
      topic: target.topic,
      event: 'withdrawn',
      at: now,
      actor,
      policy_version: policyVersion,
      third_parties: target.third_parties,
      cross_border: target.cross_border,
      public_dissemination: target.public_dissemination,
      categories: target.categories,
      validity: null,
      valid_until: null,
      channel: input.channel,
      locale: input.locale ?? subject.locale,
      notice_sha256: null,
      notice_text: null,
      subject_name_enc: null,
    }));
    const stored = await this.append(trx, subject.id, rows);
    await this.subjects.changed(uow, subject.id);
    await this.journal.append(
      trx,
      stored.map((row) => actEntry(actor, row, extra)),
    );
    return stored;
  }

  /**
   * Marks the given candidates. Their subjects are locked before the rows are re-read: a
   * consent recorded between the first look and the lock would otherwise be superseded by a
   * marker pointing at its predecessor, leaving two current rows. Rows a concurrent act
   * superseded meanwhile drop out of the re-read.
   */
  private async markBatch(uow: UnitOfWork, previousVersion: number, newVersion: number, purposes: readonly string[], candidateIds: readonly string[]): Promise<RenewalMarking> {
    const { trx } = uow;
    const now = this.clock.now();
    const subjectIds = [
      ...new Set((await trx.selectFrom('consent_record').select('subject_id').where('id', 'in', [...candidateIds]).execute()).map((row) => row.subject_id)),
    ].sort();
    await uow.lockSubjects(subjectIds);
    const batch = await this.renewable(trx, newVersion, purposes)
      .selectAll()
      .where('id', 'in', [...candidateIds])
      .orderBy('id')
      .execute();
    if (batch.length === 0) return { marked: 0, subjectIds: [] };
    const seqs = await trx
      .selectFrom('consent_record')
      .select(['subject_id', (eb) => eb.fn.max('seq').as('max')])
      .where('subject_id', 'in', subjectIds)
      .groupBy('subject_id')
      .execute();
    const nextSeq = new Map(seqs.map((s) => [s.subject_id, Number(s.max)]));
    const markers: ConsentRecordTable[] = batch.map((given) => {
      const seq = (nextSeq.get(given.subject_id) ?? 0) + 1;
      nextSeq.set(given.subject_id, seq);
      return {
        ...given,
        id: this.ids.next(),
        seq,
        event: 'renewal-needed',
        current: 1,
        at: now,
        actor: RENEWAL_ACTOR,
        policy_version: newVersion,
        // What the marked consent covers stays what its notice said; the gate reads it here.
        given_version: given.policy_version,
        channel: null,
        notice_sha256: null,
        notice_text: null,
        // The name is sealed to the act it was given with; the marking points there instead.
        subject_name_enc: null,
        previous_id: given.id,
      };
    });
    await trx.updateTable('consent_record').set({ current: 0 }).where('id', 'in', batch.map((row) => row.id)).execute();
    await trx.insertInto('consent_record').values(markers).execute();
    const touched = [...new Set(batch.map((row) => row.subject_id))];
    await this.subjects.changed(uow, touched);
    await this.journal.append(
      trx,
      markers.map((row) => ({
        actor: RENEWAL_ACTOR,
        operation: 'clarification' as const,
        subjectId: row.subject_id,
        purpose: row.purpose,
        details: { record: 'consent', consentId: row.id, event: 'renewal-needed', topic: row.topic, replaces: row.previous_id, previousVersion, newVersion },
      })),
    );
    return { marked: markers.length, subjectIds: touched };
  }

  /**
   * A consent is given under the notice in effect, read from the database: this node's
   * copy of the versions may be behind, and a publish may be committing right now — if it
   * commits after this consent, its renewal marking finds it (see `inEffectWithin`).
   */
  private async assertNoticeInEffect(trx: Transaction<Database>, act: CheckedAct, now: number): Promise<void> {
    const inEffect = await this.policies.inEffectWithin(trx, now);
    if (act.policyVersion < inEffect) throw staleNotice(act.policyVersion, inEffect);
  }

  /**
   * A consent marked for renewal by version N is renewed only under N or later — also while
   * N is published but not yet in effect, when the in-effect notice is older than N.
   */
  private async assertNotBehindRenewal(trx: Transaction<Database>, subjectId: string, act: CheckedAct): Promise<void> {
    const current = await trx
      .selectFrom('consent_record')
      .select(['event', 'policy_version'])
      .where('subject_id', '=', subjectId)
      .where('purpose', '=', act.purpose.id)
      .where('topic', '=', act.topic)
      .where('current', '=', 1)
      .executeTakeFirst();
    if (current?.event === 'renewal-needed' && Number(current.policy_version) > act.policyVersion) throw staleNotice(act.policyVersion, Number(current.policy_version));
  }

  /** Writes rows as the newest of their subject, purpose and topic. */
  private async append(trx: Transaction<Database>, subjectId: string, rows: NewRow[]): Promise<ConsentRecordTable[]> {
    const [max, currents] = await Promise.all([
      trx.selectFrom('consent_record').select((eb) => eb.fn.max('seq').as('max')).where('subject_id', '=', subjectId).executeTakeFirst(),
      trx.selectFrom('consent_record').select(['id', 'purpose', 'topic']).where('subject_id', '=', subjectId).where('current', '=', 1).execute(),
    ]);
    let seq = Number(max?.max ?? 0);
    const stored = rows.map((row): ConsentRecordTable => {
      const previous = currents.find((c) => c.purpose === row.purpose && c.topic === row.topic);
      return { ...row, seq: ++seq, current: 1, previous_id: previous?.id ?? null, given_version: null };
    });
    const superseded = stored.flatMap((row) => (row.previous_id ? [row.previous_id] : []));
    if (superseded.length > 0) await trx.updateTable('consent_record').set({ current: 0 }).where('id', 'in', superseded).execute();
    await trx.insertInto('consent_record').values(stored).execute();
    return stored;
  }

  private async insertGpc(trx: Transaction<Database>, subject: SubjectRow, source: GpcSignal['source'], actor: string): Promise<{ signal: GpcSignal; created: boolean; entries: JournalEntry[] }> {
    const existing = await trx.selectFrom('opt_out_signal').select(['id', 'at', 'source']).where('subject_id', '=', subject.id).where('kind', '=', 'gpc').orderBy('at').executeTakeFirst();
    if (existing) return { signal: { recordId: existing.id, at: Number(existing.at), source: existing.source as GpcSignal['source'] }, created: false, entries: [] };
    const policyVersion = this.policies.list().length > 0 ? this.policies.active().number : 0;
    const row = { id: this.ids.next(), subject_id: subject.id, kind: 'gpc', purpose: null, at: this.clock.now(), actor, source, policy_version: policyVersion };
    await trx.insertInto('opt_out_signal').values(row).execute();
    const jurisdiction = subject.jurisdiction as Jurisdiction | null;
    const binds = gpcEffect({ gpc: { recordId: row.id, at: row.at, source }, jurisdiction }, this.declaredJurisdictions());
    const effect = binds.saleSharingOptOut ? 'sale-sharing-opt-out' : binds.objection ? 'objection' : 'recorded';
    return {
      signal: { recordId: row.id, at: row.at, source },
      created: true,
      entries: [{ actor, operation: 'recording', subjectId: subject.id, details: { record: 'gpc', signalId: row.id, source, effect, jurisdiction } }],
    };
  }

  /** The operator's declared jurisdictions, against which a subject of unknown residence is read. */
  private declaredJurisdictions(): readonly Jurisdiction[] {
    return this.policies.list().length > 0 ? this.policies.active().index.policy.operator.jurisdictions : [];
  }

  private async version(number: number): Promise<PublishedPolicy | undefined> {
    if (!this.policies.get(number)) await this.policies.refresh();
    return this.policies.get(number);
  }

  private async row(recordId: string): Promise<ConsentRecordTable> {
    const row = await this.store.db.selectFrom('consent_record').selectAll().where('id', '=', recordId).executeTakeFirst();
    if (!row) throw notFound('Consent record', 'id');
    return row;
  }

  private async subjectRow(db: Kysely<Database>, subjectId: string): Promise<SubjectRow | undefined> {
    return db.selectFrom('subject').selectAll().where('id', '=', subjectId).executeTakeFirst();
  }








}

type NewRow = Omit<ConsentRecordTable, 'seq' | 'current' | 'previous_id' | 'given_version'>;

function flag(value: boolean): number {
  return value ? 1 : 0;
}

/** The subject's name is bound to the consent act it was written on. */
export function nameContext(subjectId: string, recordId: string): string {
  return valueContext(subjectId, recordId, 'consent:user.name');
}

function asLocale(value: string | null | undefined): Locale | undefined {
  return (LOCALES as readonly string[]).includes(value ?? '') ? (value as Locale) : undefined;
}

function actEntry(actor: string, row: ConsentRecordTable, extra: Record<string, string | number> = {}): JournalEntry {
  return {
    actor,
    operation: 'recording',
    subjectId: row.subject_id,
    purpose: row.purpose,
    categories: row.subject_name_enc ? ['user.name'] : [],
    details: {
      record: 'consent',
      consentId: row.id,
      event: row.event,
      topic: row.topic,
      policyVersion: row.policy_version,
      channel: row.channel,
      locale: row.locale,
      validUntil: row.valid_until,
      thirdParties: row.third_parties === 1,
      crossBorder: row.cross_border === 1,
      publicDissemination: row.public_dissemination === 1,
      coveredCategories: JSON.parse(row.categories) as string[],
      noticeSha256: row.notice_sha256,
      ...extra,
    },
  };
}

function toRecord(row: ConsentRecordTable, now: number): ConsentRecord {
  const event = row.event as ConsentEvent;
  const validUntil = row.valid_until === null ? null : Number(row.valid_until);
  return {
    id: row.id,
    subjectId: row.subject_id,
    purpose: row.purpose,
    topic: row.topic as ConsentTopic,
    event,
    state: consentState(event, validUntil, now),
    current: Number(row.current) === 1,
    at: Number(row.at),
    actor: row.actor,
    policyVersion: Number(row.policy_version),
    scope: { thirdParties: Number(row.third_parties) === 1, crossBorder: Number(row.cross_border) === 1, publicDissemination: Number(row.public_dissemination) === 1 },
    categories: JSON.parse(row.categories) as string[],
    validity: row.validity,
    validUntil,
    channel: row.channel as ConsentChannel | null,
    locale: (row.locale as Locale | null) ?? null,
    notice: row.notice_sha256 ? { sha256: row.notice_sha256, textKept: row.notice_text !== null } : null,
    subjectNameRecorded: row.subject_name_enc !== null,
    previousId: row.previous_id,
  };
}
