/**
 * Erasure as crypto-shredding, with its proof.
 *
 * What a legal obligation in the policy still needs is kept (a purpose whose basis is a
 * legal obligation — GDPR art. 6(1)(c), 94-V / 152-FZ "law", CCPA legal compliance or
 * claims — or a legal hold: an active block for a legal claim, an authority order or a
 * breach investigation), and stated with its reason; everything else is destroyed:
 *
 * - nothing kept: the items and every identifier (and its blind index) are deleted, the
 *   subject key is destroyed, and the subject row becomes a tombstone (state `erased`, no
 *   residency, no locale, no key) that the gate answers `deny` for;
 * - something kept: the other items and identifiers are deleted (not marked), the kept ones
 *   lose every purpose but the obligation's, and the key stays until their retention ends.
 *
 * Whatever is destroyed gets a destruction act (RKN order 179: what — categories and
 * counts —, in which systems, why, when, by whom, on which request), signed with the
 * journal's Ed25519 key and kept for ACT_RETENTION. Where the act must name the person
 * (152-FZ applies to the subject), the name is sealed under a key of the act's own, which
 * lives as long as the act — never under the subject's key, which is gone.
 */
import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Clock, IdSource } from '../clock.js';
import { newDataKey, open, seal, valueContext } from '../crypto/envelope.js';
import type { KeyService } from '../crypto/keys.js';
import { CustodianError, notFound } from '../errors.js';
import type { Journal } from '../journal/journal.js';
import { addDuration } from '../law/duration.js';
import { governingLaws, type Jurisdiction, type Law } from '../law/jurisdictions.js';
import type { PolicyIndex, Purpose } from '../policy/model.js';
import type { PolicyVersions } from '../policy/versions.js';
import type { Store } from '../store/store.js';
import type { Database } from '../store/tables.js';
import type { UnitOfWorkRunner } from '../store/unit-of-work.js';
import { IDENTIFIER_CATEGORY, type IdentifierType } from './identifiers.js';
import { type KeyStore, keyOwnerName } from './key-store.js';
import { isActive, type Subjects } from './subjects.js';

/**
 * How long a destruction act is kept: three years (RKN order 179 of 28.10.2022, item 5).
 * A law fact: its home is `law/` once the law module exports it.
 */
export const ACT_RETENTION = 'P3Y';

/** `restore`: found without a key after a data backup was restored, because it was erased after the backup. */
export const ERASURE_REASONS = ['request', 'withdrawal', 'purpose-achieved', 'unlawful', 'court', 'retention', 'restore'] as const;
export type ErasureReason = (typeof ERASURE_REASONS)[number];

/** The job that removes destruction acts past their retention, daily. */
export const EXPIRE_ACTS_JOB = 'erasure.expire-acts';

/** The system Custodian itself is, in an act's list of systems. */
export const VAULT_SYSTEM = 'custodian';

export interface ErasureOptions {
  actor: string;
  reason: ErasureReason;
  requestId?: string;
  /** Connected systems the data was also destroyed in (the rights fan-out). */
  systems?: string[];
}

export interface KeptCategory {
  category: string;
  reason: 'legal-obligation' | 'legal-hold';
  article?: string;
  /** Until when it must be kept (epoch ms), when the retention rule says. */
  until?: number;
}

export interface ErasureResult {
  erased: { category: string; items: number }[];
  /** Withheld: a legal obligation in the policy keeps them. */
  kept: KeptCategory[];
  /** The subject key and every identifier index are gone. */
  shredded: boolean;
  /** The destruction act, when anything was destroyed. */
  actId: string | null;
}

/** The person an act names (152-FZ), as sealed under the act's own key. */
export interface ActPerson {
  name: string | null;
  identifiers: { type: string; value: string }[];
}

export interface DestructionAct {
  id: string;
  subjectId: string;
  requestId: string | null;
  reason: ErasureReason;
  actor: string;
  at: number;
  systems: string[];
  categories: { category: string; items: number }[];
  kept: KeptCategory[];
  shredded: boolean;
  /** The person, decrypted with the act's key; null when the act names nobody. */
  person: ActPerson | null;
  retainUntil: number;
  keyId: string;
  signature: string;
}

export interface ErasureDeps {
  store: Store;
  work: UnitOfWorkRunner;
  subjects: Subjects;
  keys: KeyService;
  keyStore: KeyStore;
  journal: Journal;
  policies: PolicyVersions;
  clock: Clock;
  ids: IdSource;
}

/** Bases that are a legal obligation to keep, per law, with the article that says erasure yields to it. */
const OBLIGATION_BASES: Readonly<Record<Law, { bases: readonly string[]; article: string }>> = {
  gdpr: { bases: ['legal-obligation'], article: 'GDPR art. 17(3)(b)' },
  kz: { bases: ['law'], article: '94-V art. 18(2)' },
  ru: { bases: ['law'], article: '152-FZ art. 21(5)' },
  ccpa: { bases: ['legal-compliance', 'legal-claims'], article: 'CCPA 1798.105(d)(8)' },
};

/** Block reasons that are legal holds: they keep data from destruction (94-V art. 1, "blocking"). */
const HOLD_REASONS = new Set(['legal-claim', 'authority-order', 'breach-investigation']);

/** The article an obligation purpose rests on for this subject, or undefined when it is not one. */
function obligationArticle(purpose: Purpose, laws: readonly Law[]): string | undefined {
  for (const law of laws) {
    const basis = purpose.legalBasis[law];
    if (basis && OBLIGATION_BASES[law].bases.includes(basis)) return OBLIGATION_BASES[law].article;
  }
  return undefined;
}

export class Erasure {
  constructor(private readonly deps: ErasureDeps) {}

  /**
   * Erases a subject: destroys what no legal obligation keeps, and proves it.
   *
   * @example
   * const result = await custodian.erasure.erase(subjectId, { actor: 'staff:dpo', reason: 'request', requestId });
   * if (result.actId) console.log((await custodian.erasure.act(result.actId)).signatureValid); // true
   */
  async erase(subjectId: string, options: ErasureOptions): Promise<ErasureResult> {
    const { work, subjects, journal, policies, clock } = this.deps;
    if (!(ERASURE_REASONS as readonly string[]).includes(options.reason)) {
      throw new CustodianError('validation_failed', 'Unknown erasure reason', [{ path: 'reason', message: `must be one of ${ERASURE_REASONS.join(', ')}` }]);
    }
    const active = policies.active();
    const result = await work.run(async (uow): Promise<ErasureResult> => {
      const { trx } = uow;
      const subject = await subjects.lockAny(uow, subjectId, { path: 'subjectId' });
      // Erased before: nothing is left to destroy, and a second act would prove nothing.
      if (subject.state === 'erased') return { erased: [], kept: [], shredded: true, actId: null };
      const now = clock.now();
      const laws = governingLaws(active.index.policy.operator.jurisdictions, subject.jurisdiction as Jurisdiction | null);
      const plan = await planErasure(trx, active.index, subjectId, laws, now);

      // The person is read before the key can go: the act must name them under 152-FZ. (A
      // subject restored from a backup after its key was destroyed has no name left to read.)
      const keyed = isActive(subject) ? await subjects.lockActive(uow, subjectId) : undefined;
      const namesPerson = laws.includes('ru') && keyed !== undefined && plan.destroyedCount > 0;
      const person = namesPerson ? await readPerson(trx, subjects.key(keyed), subjectId) : null;

      const shredded = plan.kept.length === 0;
      let keyDestroyed = false;
      if (plan.items.length > 0) await trx.deleteFrom('data_item').where('id', 'in', plan.items).execute();
      if (plan.identifiers.length > 0) await trx.deleteFrom('subject_identifier').where('id', 'in', plan.identifiers).execute();
      for (const [purposes, ids] of plan.narrowed) await trx.updateTable('data_item').set({ purposes, updated_at: now }).where('id', 'in', ids).execute();
      if (shredded) {
        // The key goes first: across SQLite's two files a crash then leaves a subject without
        // a key (read as erased), never a tombstone whose key survives.
        keyDestroyed = await subjects.destroyKey(uow, subjectId);
        // Items left behind by an earlier depersonalization hold no value, but go with the rest.
        await trx.deleteFrom('data_item').where('subject_id', '=', subjectId).execute();
        await trx.updateTable('subject').set({ state: 'erased', jurisdiction: null, locale: null, wrapped_key: null, kek_id: null, updated_at: now }).where('id', '=', subjectId).execute();
      }
      // Bumps the version (gates on every node distrust their cache), drops the cached key
      // here at once and, after commit, on every node through the `subject` event.
      await subjects.changed(uow, subjectId);

      const erased = plan.erased;
      // An act when something was destroyed: items, identifiers or the key itself.
      const actId = plan.destroyedCount > 0 || keyDestroyed ? this.deps.ids.next() : null;
      if (actId) {
        await this.writeAct(trx, {
          id: actId,
          subjectId,
          requestId: options.requestId ?? null,
          reason: options.reason,
          actor: options.actor,
          at: now,
          systems: [VAULT_SYSTEM, ...new Set((options.systems ?? []).filter((s) => s !== VAULT_SYSTEM))],
          categories: erased,
          kept: plan.kept,
          shredded,
          person,
          retainUntil: addDuration(now, ACT_RETENTION),
        });
      }
      await journal.append(trx, [
        {
          actor: options.actor,
          operation: 'destruction',
          subjectId,
          categories: erased.map((e) => e.category),
          details: {
            kind: 'erasure',
            reason: options.reason,
            items: plan.destroyedCount,
            kept: plan.kept.map((k) => k.category),
            shredded,
            act: actId,
            request: options.requestId ?? null,
          },
        },
      ]);
      return { erased, kept: plan.kept, shredded, actId };
    });
    if (result.shredded && result.actId) await this.deps.store.purgeDeletedKeys();
    return result;
  }

  /**
   * After a data backup is restored: subjects the backup holds as active whose key the key
   * store no longer has were erased after the backup was taken. Their data is unreadable
   * already; this finishes the erasure in the restored data (items, identifiers, tombstone)
   * and writes an act for it, since the original act was newer than the backup.
   */
  async eraseKeyless(actor: string): Promise<{ subjects: number }> {
    let subjects = 0;
    for (let after = ''; ; ) {
      const rows = await this.deps.store.db
        .selectFrom('subject')
        .leftJoin('custodian_keys.subject_key as k', 'k.subject_id', 'subject.id')
        .select('subject.id')
        .where('subject.state', '=', 'active')
        .where('k.subject_id', 'is', null)
        .where('subject.id', '>', after)
        .orderBy('subject.id')
        .limit(500)
        .execute();
      if (rows.length === 0) break;
      for (const row of rows) await this.erase(row.id, { actor, reason: 'restore' });
      subjects += rows.length;
      after = rows[rows.length - 1].id;
    }
    return { subjects };
  }

  /**
   * Destruction acts past their retention go, with their keys (and so the person they
   * name). Journaled as one `destruction` of the acts, without subject or values.
   */
  async expireActs(actor: string): Promise<{ acts: number }> {
    const { work, journal, keyStore, clock } = this.deps;
    const now = clock.now();
    let acts = 0;
    for (;;) {
      const batch = await work.run(async (uow) => {
        const rows = await uow.trx.selectFrom('destruction_act').select(['id', 'person_enc']).where('retain_until', '<=', now).orderBy('id').limit(500).execute();
        for (const row of rows) if (row.person_enc !== null) await keyStore.destroy(uow.trx, { kind: 'act', id: row.id });
        if (rows.length > 0) {
          await uow.trx.deleteFrom('destruction_act').where('id', 'in', rows.map((r) => r.id)).execute();
          await journal.append(uow.trx, [{ actor, operation: 'destruction', categories: [], details: { kind: 'destruction-acts-expired', acts: rows.length, retention: ACT_RETENTION } }]);
        }
        return rows.length;
      });
      acts += batch;
      if (batch < 500) break;
    }
    if (acts > 0) await this.deps.store.purgeDeletedKeys();
    return { acts };
  }

  /** A destruction act, with its signature checked over every field. */
  async act(actId: string): Promise<DestructionAct & { signatureValid: boolean }> {
    const row = await this.deps.store.db.selectFrom('destruction_act').selectAll().where('id', '=', actId).executeTakeFirst();
    if (!row) throw notFound('Destruction act', 'id');
    return this.readAct(row);
  }

  /** A subject's destruction acts, oldest first. */
  async actsOf(subjectId: string): Promise<(DestructionAct & { signatureValid: boolean })[]> {
    await this.deps.subjects.find(this.deps.store.db, subjectId);
    const rows = await this.deps.store.db.selectFrom('destruction_act').selectAll().where('subject_id', '=', subjectId).orderBy('at').orderBy('id').execute();
    return Promise.all(rows.map((row) => this.readAct(row)));
  }

  private async writeAct(trx: Transaction<Database>, act: Omit<DestructionAct, 'keyId' | 'signature'>): Promise<void> {
    const { keys, keyStore } = this.deps;
    let personEnc: string | null = null;
    if (act.person) {
      // The act's own key, in the key store: it lives (wrapped by the KEK) exactly as long as the act.
      const actKey = newDataKey();
      await keyStore.put(trx, { kind: 'act', id: act.id }, keys.wrap(actKey, actKeyOwner(act.id)), { now: act.at, retainUntil: act.retainUntil });
      personEnc = seal(actKey, Buffer.from(JSON.stringify(act.person), 'utf8'), personContext(act.id));
      actKey.fill(0);
    }
    const stored: StoredAct = {
      id: act.id,
      subject_id: act.subjectId,
      request_id: act.requestId,
      reason: act.reason,
      actor: act.actor,
      at: act.at,
      systems: JSON.stringify(act.systems),
      categories: JSON.stringify(act.categories),
      kept: JSON.stringify(act.kept),
      shredded: act.shredded ? 1 : 0,
      person_enc: personEnc,
      retain_until: act.retainUntil,
      key_id: keys.journalKeyId,
    };
    await trx.insertInto('destruction_act').values({ ...stored, signature: keys.signJournal(actDigest(stored)) }).execute();
  }

  private async readAct(row: DestructionActTable): Promise<DestructionAct & { signatureValid: boolean }> {
    const { keys } = this.deps;
    let signatureValid = false;
    try {
      signatureValid = row.key_id === keys.journalKeyId && keys.verifyJournal(actDigest(row), row.signature);
    } catch {
      signatureValid = false;
    }
    return {
      id: row.id,
      subjectId: row.subject_id,
      requestId: row.request_id,
      reason: row.reason as ErasureReason,
      actor: row.actor,
      at: Number(row.at),
      systems: JSON.parse(row.systems) as string[],
      categories: JSON.parse(row.categories) as DestructionAct['categories'],
      kept: JSON.parse(row.kept) as KeptCategory[],
      shredded: Number(row.shredded) === 1,
      person: row.person_enc === null ? null : await this.openPerson(row.id, row.person_enc),
      retainUntil: Number(row.retain_until),
      keyId: row.key_id,
      signature: row.signature,
      signatureValid,
    };
  }

  /** The person an act names; null once the act's key is gone (the act outlived its retention). */
  private async openPerson(actId: string, sealed: string): Promise<ActPerson | null> {
    const wrapped = await this.deps.keyStore.get(this.deps.store.db, { kind: 'act', id: actId });
    if (!wrapped) return null;
    const key = this.deps.keys.unwrap(wrapped, actKeyOwner(actId));
    try {
      return JSON.parse(open(key, sealed, personContext(actId)).toString('utf8')) as ActPerson;
    } finally {
      key.fill(0);
    }
  }
}

function actKeyOwner(actId: string): string {
  return keyOwnerName({ kind: 'act', id: actId });
}

function personContext(actId: string): string {
  return `custodian/act-person/v1|${actId}`;
}

/** A destruction act as stored (`destruction_act`); JSON as text. */
export interface DestructionActTable {
  id: string;
  subject_id: string;
  request_id: string | null;
  reason: string;
  actor: string;
  at: number;
  /** JSON array of system names. */
  systems: string;
  /** JSON array of { category, items }. */
  categories: string;
  /** JSON array of kept categories with their reasons. */
  kept: string;
  shredded: number;
  /** The person (152-FZ), sealed under the act's own key; null when the act names nobody. */
  person_enc: string | null;
  retain_until: number;
  /** The journal signing key that signed it. */
  key_id: string;
  signature: string;
}

declare module '../store/tables.js' {
  interface Database {
    destruction_act: DestructionActTable;
  }
}

type StoredAct = Omit<DestructionActTable, 'signature'>;

/**
 * What an act's signature covers: every stored field but the signature, in a fixed order,
 * under a name for the construction. SHA-256 of that JSON; Ed25519 signs the 32 bytes.
 */
export function actDigest(act: StoredAct): Buffer {
  const canonical = JSON.stringify([
    'custodian/destruction-act/v1',
    act.id,
    act.subject_id,
    act.request_id,
    act.reason,
    act.actor,
    Number(act.at),
    act.systems,
    act.categories,
    act.kept,
    Number(act.shredded),
    act.person_enc,
    Number(act.retain_until),
    act.key_id,
  ]);
  return createHash('sha256').update(canonical).digest();
}

interface ErasurePlan {
  /** Item ids to delete. */
  items: string[];
  /** Identifier ids to delete. */
  identifiers: string[];
  /** Kept items whose purposes narrow to the obligation's: purposes JSON → item ids. */
  narrowed: Map<string, string[]>;
  erased: { category: string; items: number }[];
  kept: KeptCategory[];
  destroyedCount: number;
}

async function planErasure(trx: Transaction<Database>, index: PolicyIndex, subjectId: string, laws: readonly Law[], now: number): Promise<ErasurePlan> {
  const items = await trx.selectFrom('data_item').select(['id', 'category', 'purposes', 'retention_due_at']).where('subject_id', '=', subjectId).where('state', '=', 'active').execute();
  const identifiers = await trx.selectFrom('subject_identifier').select(['id', 'type']).where('subject_id', '=', subjectId).execute();
  const blocks = await trx.selectFrom('data_block').select(['categories', 'reason']).where('subject_id', '=', subjectId).where('lifted_at', 'is', null).execute();
  const holds = blocks.filter((b) => HOLD_REASONS.has(b.reason));
  const heldWhole = holds.some((b) => b.categories === null);
  const held = new Set(holds.flatMap((b) => (b.categories ? (JSON.parse(b.categories) as string[]) : [])));

  const kept = new Map<string, KeptCategory>();
  const keep = (entry: KeptCategory) => {
    const known = kept.get(entry.category);
    if (!known) kept.set(entry.category, entry);
    else if (entry.until !== undefined && (known.until === undefined || entry.until > known.until)) known.until = entry.until;
  };
  const plan: ErasurePlan = { items: [], identifiers: [], narrowed: new Map(), erased: [], kept: [], destroyedCount: 0 };
  const counts = new Map<string, number>();
  const destroy = (category: string) => counts.set(category, (counts.get(category) ?? 0) + 1);

  for (const item of items) {
    if (heldWhole || held.has(item.category)) {
      keep({ category: item.category, reason: 'legal-hold' });
      continue;
    }
    const due = item.retention_due_at === null ? undefined : Number(item.retention_due_at);
    const obligations = (JSON.parse(item.purposes) as string[]).flatMap((id) => {
      const purpose = index.purpose(id);
      const article = purpose && (due === undefined || due > now) ? obligationArticle(purpose, laws) : undefined;
      return article ? [{ id, article }] : [];
    });
    if (obligations.length > 0) {
      keep({ category: item.category, reason: 'legal-obligation', article: obligations[0].article, ...(due === undefined ? {} : { until: due }) });
      const purposes = JSON.stringify(obligations.map((o) => o.id));
      if (purposes !== item.purposes) plan.narrowed.set(purposes, [...(plan.narrowed.get(purposes) ?? []), item.id]);
      continue;
    }
    plan.items.push(item.id);
    destroy(item.category);
  }
  for (const identifier of identifiers) {
    const category = IDENTIFIER_CATEGORY[identifier.type as IdentifierType] ?? `identifier:${identifier.type}`;
    // An identifier in a kept category stays with it: the data kept must still be found.
    if (heldWhole || kept.has(category) || held.has(category)) {
      if (heldWhole || held.has(category)) keep({ category, reason: 'legal-hold' });
      continue;
    }
    plan.identifiers.push(identifier.id);
    destroy(category);
  }
  plan.erased = [...counts].map(([category, n]) => ({ category, items: n })).sort((a, b) => (a.category < b.category ? -1 : 1));
  plan.kept = [...kept.values()].sort((a, b) => (a.category < b.category ? -1 : 1));
  plan.destroyedCount = plan.items.length + plan.identifiers.length;
  return plan;
}

/** The person as an act names them: their name items and their identifiers, decrypted with the subject key. */
async function readPerson(trx: Transaction<Database>, key: Buffer, subjectId: string): Promise<ActPerson> {
  const names = await trx.selectFrom('data_item').select(['id', 'category', 'value_enc']).where('subject_id', '=', subjectId).where('state', '=', 'active').where('category', '=', 'user.name').orderBy('collected_at').execute();
  const identifiers = await trx.selectFrom('subject_identifier').select(['id', 'type', 'value_enc']).where('subject_id', '=', subjectId).orderBy('created_at').execute();
  const name = names.at(-1);
  return {
    name: name ? String(JSON.parse(open(key, name.value_enc, valueContext(subjectId, name.id, name.category)).toString('utf8'))) : null,
    identifiers: identifiers.map((i) => ({ type: i.type, value: open(key, i.value_enc, valueContext(subjectId, i.id, `identifier:${i.type}`)).toString('utf8') })),
  };
}
