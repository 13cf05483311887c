/**
 * The vault: data subjects, their identifiers and their personal data, encrypted with the
 * subject's own key and journaled in the same transaction as every change.
 */
import type { Clock, IdSource } from '../clock.js';
import { open, seal, valueContext } from '../crypto/envelope.js';
import type { KeyService } from '../crypto/keys.js';
import { CustodianError, type ErrorDetail, notFound } from '../errors.js';
import type { Journal } from '../journal/journal.js';
import { addDuration } from '../law/duration.js';
import type { DataSource, Jurisdiction, Locale, PolicyIndex, ProcessingOperation, Purpose } from '../policy/model.js';
import type { PolicyVersions } from '../policy/versions.js';
import { preparedInsert } from '../store/prepared.js';
import type { Store } from '../store/store.js';
import { writeTogether } from '../store/write-together.js';
import type { DataItemTable } from '../store/tables.js';
import type { UnitOfWorkRunner } from '../store/unit-of-work.js';
import { type ActiveSubject, type Subjects } from './subjects.js';
import type { PurposeGate } from '../decisions/gate.js';
import type { Reason } from '../decisions/reasons.js';
import { denied } from '../decisions/denied.js';
import { checkValue } from './values.js';
import { defaultValueType } from '../policy/taxonomy.js';
import { IDENTIFIER_CATEGORY, type IdentifierType, normalizeIdentifier } from './identifiers.js';

/** A personal-data value as the API carries it. Stored encrypted as JSON. */
export type DataValue = string | number | boolean | { [key: string]: unknown } | unknown[];

export interface IdentifierInput {
  type: IdentifierType;
  value: string;
}

export interface SubjectInput {
  identifiers: IdentifierInput[];
  jurisdiction?: Jurisdiction;
  locale?: Locale;
}

export interface CollectItemInput {
  category: string;
  value: DataValue;
  purpose: string;
  source: DataSource;
}

export interface DataItem {
  id: string;
  category: string;
  value: DataValue;
  purposes: string[];
  source: DataSource;
  collectedAt: number;
  retentionDueAt: number | null;
  state: string;
  policyVersion: number;
  revision: number;
}

export function toDataItem(row: DataItemTable, value: DataValue): DataItem {
  return {
    id: row.id,
    category: row.category,
    value,
    purposes: JSON.parse(row.purposes) as string[],
    source: row.source as DataSource,
    collectedAt: Number(row.collected_at),
    retentionDueAt: row.retention_due_at === null ? null : Number(row.retention_due_at),
    state: row.state,
    policyVersion: Number(row.policy_version),
    revision: Number(row.revision),
  };
}

export interface SubjectSummary {
  id: string;
  state: string;
  jurisdiction: string | null;
  locale: string | null;
  createdAt: number;
}

export interface VaultDeps {
  store: Store;
  work: UnitOfWorkRunner;
  subjects: Subjects;
  keys: KeyService;
  journal: Journal;
  policies: PolicyVersions;
  gate: PurposeGate;
  clock: Clock;
  ids: IdSource;
}

export class Vault {
  private readonly store: Store;
  private readonly work: UnitOfWorkRunner;
  private readonly subjects: Subjects;
  private readonly keys: KeyService;
  private readonly journal: Journal;
  private readonly policies: PolicyVersions;
  private readonly gate: PurposeGate;
  private readonly clock: Clock;
  private readonly ids: IdSource;

  constructor(deps: VaultDeps) {
    ({ store: this.store, work: this.work, subjects: this.subjects, keys: this.keys, journal: this.journal, policies: this.policies, gate: this.gate, clock: this.clock, ids: this.ids } = deps);
  }

  /**
   * Finds the subject holding any of these identifiers, or creates one. Identifiers not yet
   * known are attached. Identifiers belonging to two different subjects are a conflict.
   */
  async upsertSubject(input: SubjectInput, actor: string): Promise<{ id: string; created: boolean }> {
    const normalized = this.normalizeIdentifiers(input.identifiers);
    const indexed = normalized.map((i) => ({ ...i, blindIndex: this.keys.blindIndex(i.type, i.value) }));
    // Two first sightings of one identifier race to insert it; the loser finds the winner's.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.upsertIndexed(input, indexed, actor);
      } catch (error) {
        if (attempt >= 3 || !isUniqueViolation(error)) throw error;
      }
    }
  }

  private async upsertIndexed(input: SubjectInput, indexed: (IdentifierInput & { blindIndex: string })[], actor: string): Promise<{ id: string; created: boolean }> {
    return this.work.run(async (uow) => {
      const { trx } = uow;
      const matches = await trx
        .selectFrom('subject_identifier')
        .select(['subject_id', 'type', 'blind_index'])
        .where((eb) => eb.or(indexed.map((i) => eb.and([eb('type', '=', i.type), eb('blind_index', '=', i.blindIndex)]))))
        .execute();
      const owners = [...new Set(matches.map((m) => m.subject_id))];
      if (owners.length > 1) {
        throw new CustodianError('conflict', 'The identifiers belong to different subjects', [{ path: 'identifiers', message: 'identifiers match more than one subject' }]);
      }
      const now = this.clock.now();
      let subject: ActiveSubject;
      let created = false;
      if (owners.length === 1) {
        // Locked before anything is linked: a depersonalization that won the race is seen here.
        subject = await this.subjects.lock(uow, owners[0], { path: 'identifiers' });
      } else {
        const id = this.ids.next();
        await this.store.lockKeyring(trx, 'shared');
        // The data key goes to the key store, apart from the subject row (subjects.ts).
        subject = await this.subjects.create(uow, { id, jurisdiction: input.jurisdiction ?? null, locale: input.locale ?? null, created_at: now, updated_at: now });
        created = true;
      }
      const known = new Set(matches.map((m) => `${m.type}\u0000${m.blind_index}`));
      const fresh = indexed.filter((i) => !known.has(`${i.type}\u0000${i.blindIndex}`));
      if (fresh.length > 0 && !created) {
        // New identifiers are collection too, which a block of the subject or their category stops.
        const blocks = await trx.selectFrom('data_block').select('categories').where('subject_id', '=', subject.id).where('lifted_at', 'is', null).execute();
        const blockedCategories = new Set(blocks.flatMap((b) => (b.categories ? (JSON.parse(b.categories) as string[]) : [])));
        if (blocks.some((b) => b.categories === null)) throw new CustodianError('denied', 'The subject is blocked: no identifiers can be added', [{ path: 'identifiers', code: 'subject_blocked', message: 'the subject’s data is blocked' }]);
        const refused = indexed.map((i, n) => ({ i, n })).filter(({ i }) => fresh.includes(i) && blockedCategories.has(IDENTIFIER_CATEGORY[i.type]));
        if (refused.length > 0) throw new CustodianError('denied', 'Some identifiers are in blocked categories', refused.map(({ i, n }) => ({ path: `identifiers[${n}]`, code: 'category_blocked', message: `${IDENTIFIER_CATEGORY[i.type]} is blocked` })));
      }
      if (fresh.length > 0) {
        const key = this.subjects.key(subject);
        await trx
          .insertInto('subject_identifier')
          .values(
            fresh.map((i) => {
              const id = this.ids.next();
              return { id, subject_id: subject.id, type: i.type, blind_index: i.blindIndex, value_enc: seal(key, Buffer.from(i.value), valueContext(subject.id, id, `identifier:${i.type}`)), created_at: now };
            }),
          )
          .execute();
        await this.journal.append(trx, [
          {
            actor,
            operation: 'collection',
            subjectId: subject.id,
            categories: [...new Set(fresh.map((i) => IDENTIFIER_CATEGORY[i.type]))],
            details: { kind: 'identifiers', count: fresh.length, newSubject: created },
          },
        ]);
      }
      return { id: subject.id, created };
    });
  }

  /** Changes where the subject resides (which law's rules apply) or the language it reads. */
  async updateSubject(id: string, changes: { jurisdiction?: Jurisdiction | null; locale?: Locale | null }, actor: string): Promise<SubjectSummary> {
    const fields = Object.keys(changes).filter((k) => changes[k as keyof typeof changes] !== undefined);
    if (fields.length === 0) throw new CustodianError('validation_failed', 'Nothing to change', [{ path: '', message: 'give jurisdiction and/or locale' }]);
    await this.work.run(async (uow) => {
      await this.subjects.lock(uow, id);
      await uow.trx.updateTable('subject').set({ ...changes, updated_at: this.clock.now() }).where('id', '=', id).execute();
      // Residency decides which law's rules the gate applies.
      await this.subjects.changed(uow, id);
      await this.journal.append(uow.trx, [{ actor, operation: 'clarification', subjectId: id, categories: [], details: { kind: 'subject', fields } }]);
    });
    return this.getSubject(id);
  }

  async getSubject(id: string): Promise<SubjectSummary> {
    const row = await this.store.db.selectFrom('subject').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Subject', 'id');
    return { id: row.id, state: row.state, jurisdiction: row.jurisdiction, locale: row.locale, createdAt: Number(row.created_at) };
  }

  /**
   * Collects items under declared purposes. Every item is checked against the active
   * policy before anything is written; one bad item rejects the whole request.
   */
  async collect(subjectId: string, items: CollectItemInput[], actor: string): Promise<{ ids: string[]; policyVersion: number }> {
    const active = this.policies.active();
    const values: DataValue[] = [];
    const problems = items.flatMap((item, i) => {
      const found = checkItem(active.index, item, `items[${i}]`, 'collection');
      const category = active.index.category(item.category);
      if (category) {
        // Checked and normalized before encryption: once sealed, a value can no longer be inspected.
        const checked = checkValue(category, item.value, { now: this.clock.now() });
        if (checked.ok) values[i] = checked.value;
        else found.push({ code: 'value_invalid', path: `items[${i}].value`, message: checked.message });
      }
      return found;
    });
    if (problems.length > 0) throw new CustodianError(problems[0].code, problems[0].message, problems.map(({ path, message }) => ({ path, message })));

    const result = await this.work.run(async (uow) => {
      const { trx } = uow;
      // Locked first: nothing (a depersonalization, a block on another node) lands between the decision and the commit.
      const subject = await this.subjects.lock(uow, subjectId);
      // Collection is processing too: no consent, a block or a residency rule stops it.
      const asked = new Map<string, { purpose: string; source: DataSource; categories: Set<string> }>();
      for (const item of items) {
        const key = `${item.purpose}\u0000${item.source}`;
        const entry = asked.get(key) ?? { purpose: item.purpose, source: item.source, categories: new Set<string>() };
        entry.categories.add(item.category);
        asked.set(key, entry);
      }
      for (const { purpose, source, categories } of asked.values()) {
        const decision = await this.gate.decide({ subjectId, purpose, operation: 'collection', categories: [...categories], source }, { trx, subject });
        if (!decision.allow) throw denied(`Collection for "${purpose}" is not allowed`, decision.reasons, 'items');
      }
      const key = this.subjects.key(subject);
      const now = this.clock.now();
      // Items collected together for one purpose fall due together.
      const dueFor = new Map<string, number | null>();
      const due = (purposeId: string): number | null => {
        if (!dueFor.has(purposeId)) dueFor.set(purposeId, retentionDueAt(active.index.purpose(purposeId)!, now));
        return dueFor.get(purposeId)!;
      };
      const rows = items.map((item, i) => {
        const id = this.ids.next();
        return {
          id,
          subject_id: subjectId,
          category: item.category,
          value_enc: seal(key, Buffer.from(JSON.stringify(values[i])), valueContext(subjectId, id, item.category)),
          purposes: JSON.stringify([item.purpose]),
          source: item.source,
          collected_at: now,
          retention_due_at: due(item.purpose),
          state: 'active',
          policy_version: active.number,
          updated_at: now,
          revision: 1,
        };
      });
      const byPurpose = new Map<string, typeof rows>();
      rows.forEach((row, i) => {
        const group = byPurpose.get(items[i].purpose);
        if (group) group.push(row);
        else byPurpose.set(items[i].purpose, [row]);
      });
      const journaled = await this.journal.prepareAppend(
        trx,
        [...byPurpose].map(([purpose, group]) => ({
          actor,
          operation: 'collection' as const,
          subjectId,
          purpose,
          categories: [...new Set(group.map((r) => r.category))],
          details: { items: group.map((r) => r.id), sources: [...new Set(group.map((r) => r.source))], policyVersion: active.number },
        })),
      );
      // The items and their journal events: one commit, and one round trip on PostgreSQL.
      await writeTogether(trx, [...INSERT_ITEMS.bind(trx, rows), ...journaled.writes]);
      return { ids: rows.map((r) => r.id), policyVersion: active.number, dues: rows.flatMap((r, i) => (r.retention_due_at === null ? [] : [{ purpose: items[i].purpose, category: r.category, due: r.retention_due_at }])) };
    });
    this.gate.noteRetention(subjectId, result.dues);
    return { ids: result.ids, policyVersion: result.policyVersion };
  }

  /**
   * Reads a subject's data for one declared purpose, through the purpose gate: only items
   * collected for that purpose, in categories it declares. Categories the gate refuses on
   * their own (blocked, past retention) are withheld and listed; a refusal of the whole
   * request (no consent, subject blocked…) is a `denied` error carrying every reason.
   * The release is journaled.
   */
  async readForPurpose(subjectId: string, purposeId: string, actor: string): Promise<{ items: DataItem[]; withheld: { category: string; reasons: Reason[] }[] }> {
    const active = this.policies.active();
    const purpose = active.index.purpose(purposeId);
    if (!purpose) throw new CustodianError('purpose_not_declared', `The purpose is not declared in policy version ${active.number}`, [{ path: 'purpose', message: 'purpose is not declared' }]);
    const operation: ProcessingOperation = purpose.operations.includes('extraction') ? 'extraction' : 'use';

    return this.work.run(async (uow) => {
      const { trx } = uow;
      const subject = await this.subjects.lock(uow, subjectId, { mode: 'share' });
      const within = { trx, subject };
      const rows = (
        await trx
          .selectFrom('data_item')
          .selectAll()
          .where('subject_id', '=', subjectId)
          .where('state', '=', 'active')
          .where('category', 'in', purpose.categories.length > 0 ? purpose.categories : [''])
          .orderBy('collected_at')
          .orderBy('id')
          .execute()
      ).filter((r) => (JSON.parse(r.purposes) as string[]).includes(purposeId));
      const categories = [...new Set(rows.map((r) => r.category))];
      const decision = await this.gate.decide({ subjectId, purpose: purposeId, operation, categories }, within);
      let released = categories;
      const withheld: { category: string; reasons: Reason[] }[] = [];
      if (!decision.allow) {
        const perCategory = await Promise.all(categories.map(async (category) => ({ category, decision: await this.gate.decide({ subjectId, purpose: purposeId, operation, categories: [category] }, within) })));
        released = perCategory.filter((c) => c.decision.allow).map((c) => c.category);
        withheld.push(...perCategory.filter((c) => !c.decision.allow).map((c) => ({ category: c.category, reasons: c.decision.reasons })));
        const subjectLevel = (await this.gate.decide({ subjectId, purpose: purposeId, operation, categories: [] }, within)).allow;
        if (!subjectLevel || released.length === 0) {
          throw denied(`Processing for "${purposeId}" is not allowed`, decision.reasons, 'purpose');
        }
      }
      const releasedRows = rows.filter((r) => released.includes(r.category));
      if (releasedRows.length === 0) return { items: [], withheld };
      const key = this.subjects.key(subject);
      await this.journal.append(trx, [
        {
          actor,
          operation,
          subjectId,
          purpose: purposeId,
          categories: [...new Set(releasedRows.map((r) => r.category))],
          details: { items: releasedRows.map((r) => r.id), policyVersion: active.number },
        },
      ]);
      return { items: releasedRows.map((r) => toDataItem(r, this.decryptItem(key, r))), withheld };
    });
  }

  /**
   * Rectification: replaces an item's value. The journal records who changed which item
   * when — never the old or the new value — and the item's revision counts the changes.
   * Correcting data is an obligation, not a use for a purpose, so it is not gated: it works
   * on blocked data too (blocking while accuracy is disputed is exactly when it is needed).
   */
  async rectify(subjectId: string, itemId: string, input: DataValue, actor: string): Promise<DataItem> {
    return this.work.run(async (uow) => {
      const { trx } = uow;
      // The subject's lock also orders concurrent corrections of one item: each sees the other's revision.
      const subject = await this.subjects.lock(uow, subjectId);
      const row = await trx.selectFrom('data_item').selectAll().where('id', '=', itemId).where('subject_id', '=', subjectId).executeTakeFirst();
      if (!row) throw notFound('Data item', 'itemId');
      if (row.state !== 'active') throw new CustodianError('conflict', `The item is ${row.state} and cannot be changed`, [{ path: 'itemId', message: `item is ${row.state}` }]);
      const category = this.policies.active().index.category(row.category) ?? { id: row.category, valueType: defaultValueType(row.category) };
      const checked = checkValue(category, input, { now: this.clock.now() });
      if (!checked.ok) throw new CustodianError('value_invalid', checked.message, [{ path: 'value', message: checked.message }]);
      const value: DataValue = checked.value;
      const purposes = JSON.parse(row.purposes) as string[];
      const key = this.subjects.key(subject);
      const now = this.clock.now();
      const updated = { ...row, value_enc: seal(key, Buffer.from(JSON.stringify(value)), valueContext(subjectId, itemId, row.category)), updated_at: now, revision: Number(row.revision) + 1 };
      await trx.updateTable('data_item').set({ value_enc: updated.value_enc, updated_at: now, revision: updated.revision }).where('id', '=', itemId).execute();
      await this.journal.append(trx, [{ actor, operation: 'clarification', subjectId, purpose: purposes[0], categories: [row.category], details: { item: itemId, revision: updated.revision } }]);
      return toDataItem(updated, value);
    });
  }

  /**
   * The address to send a subject mail to — their newest e-mail identifier, decrypted — and
   * the language they read. Decrypting it is journaled as an extraction for `purpose`.
   * Undefined when the subject is gone, erased or has no e-mail identifier.
   *
   * @example const to = await vault.mailRecipient(subjectId, { purpose: null, reason: 'consent-renewal' }, 'system:mail');
   */
  async mailRecipient(subjectId: string, use: { purpose: string | null; reason: string }, actor: string): Promise<{ address: string; locale: Locale | null } | undefined> {
    return this.work.run(async (uow) => {
      const { trx } = uow;
      const subject = await this.subjects.lockActive(uow, subjectId, 'share');
      if (!subject) return undefined;
      const identifier = await trx
        .selectFrom('subject_identifier')
        .selectAll()
        .where('subject_id', '=', subjectId)
        .where('type', '=', 'email')
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (!identifier) return undefined;
      const address = open(this.subjects.key(subject), identifier.value_enc, valueContext(subjectId, identifier.id, 'identifier:email')).toString('utf8');
      await this.journal.append(trx, [{ actor, operation: 'extraction', subjectId, purpose: use.purpose, categories: [IDENTIFIER_CATEGORY.email], details: { record: 'identifier', output: 'mail', reason: use.reason } }]);
      return { address, locale: (subject.locale as Locale | null) ?? null };
    });
  }

  private decryptItem(key: Buffer, row: DataItemTable): DataValue {
    return JSON.parse(open(key, row.value_enc, valueContext(row.subject_id, row.id, row.category)).toString('utf8')) as DataValue;
  }

  private normalizeIdentifiers(identifiers: IdentifierInput[]): IdentifierInput[] {
    const problems: ErrorDetail[] = [];
    const seen = new Map<string, IdentifierInput>();
    identifiers.forEach((identifier, i) => {
      const result = normalizeIdentifier(identifier.type, identifier.value);
      if (!result.ok) problems.push({ path: `identifiers[${i}].value`, message: `${identifier.type} ${result.message}` });
      else seen.set(`${identifier.type}\u0000${result.value}`, { type: identifier.type, value: result.value });
    });
    if (problems.length > 0) throw new CustodianError('validation_failed', 'Invalid identifier', problems);
    return [...seen.values()];
  }

}

/** Collection's insert, built once (see store/prepared.ts). */
const INSERT_ITEMS = preparedInsert('data_item', ['id', 'subject_id', 'category', 'value_enc', 'purposes', 'source', 'collected_at', 'retention_due_at', 'state', 'policy_version', 'updated_at', 'revision']);

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

interface ItemProblem extends ErrorDetail {
  code: 'value_invalid' | 'purpose_not_declared' | 'category_not_declared' | 'category_not_allowed_for_purpose' | 'operation_not_allowed' | 'source_not_declared';
}

function checkItem(policy: PolicyIndex, item: CollectItemInput, path: string, operation: ProcessingOperation): ItemProblem[] {
  const purpose = policy.purpose(item.purpose);
  const problems: ItemProblem[] = [];
  // Undeclared ids are not repeated back: the path names the field, and the value may be a misplaced piece of personal data.
  if (!purpose) problems.push({ code: 'purpose_not_declared', path: `${path}.purpose`, message: 'purpose is not declared in the policy' });
  if (!policy.category(item.category)) problems.push({ code: 'category_not_declared', path: `${path}.category`, message: 'category is not declared in the policy' });
  else if (purpose && !purpose.categories.includes(item.category))
    problems.push({ code: 'category_not_allowed_for_purpose', path: `${path}.category`, message: `category "${item.category}" is not declared for purpose "${item.purpose}"` });
  if (purpose && !purpose.operations.includes(operation)) problems.push({ code: 'operation_not_allowed', path: `${path}.purpose`, message: `purpose "${item.purpose}" does not allow ${operation}` });
  if (purpose && purpose.sources.length > 0 && !purpose.sources.includes(item.source))
    problems.push({ code: 'source_not_declared', path: `${path}.source`, message: `purpose "${item.purpose}" does not declare ${item.source} as a source of its data` });
  return problems;
}

/** When an item collected now for this purpose falls due; null when an event (not time) ends it. */
export function retentionDueAt(purpose: Purpose, collectedAt: number): number | null {
  const rule = purpose.retention;
  return rule.kind === 'duration' && rule.from === 'collected' ? addDuration(collectedAt, rule.duration) : null;
}
