/**
 * The disclosure register: every transfer of a subject's data to a recipient, recorded
 * only after the purpose gate allows it (recipient declared for the purpose, categories
 * declared for the recipient, safeguard and separate consent for cross-border transfers),
 * in the same transaction as its journal event. It answers "who received my data", feeds
 * cross-border reports, and lets erasure and rectification be passed on (GDPR art. 19).
 */
import type { Kysely } from 'kysely';
import type { Clock, IdSource } from '../clock.js';
import type { PurposeGate } from '../decisions/gate.js';
import { denied } from '../decisions/denied.js';
import type { Subjects } from '../vault/subjects.js';
import type { UnitOfWorkRunner } from '../store/unit-of-work.js';
import type { Journal } from '../journal/journal.js';
import { homeRegion, isCrossBorder } from '../law/transfers.js';
import type { PolicyVersions } from '../policy/versions.js';
import type { Store } from '../store/store.js';
import type { Database } from '../store/tables.js';
import type { DisclosureTable } from './tables.js';

export interface DisclosureInput {
  subjectId: string;
  recipient: string;
  purpose: string;
  categories: string[];
}

export interface Disclosure {
  id: string;
  subjectId: string;
  recipient: string;
  recipientKind: string;
  country: string;
  crossBorder: boolean;
  safeguard: string | null;
  purpose: string;
  categories: string[];
  bases: string[];
  policyVersion: number;
  disclosedAt: number;
}

export interface DisclosureFilter {
  subjectId?: string;
  recipient?: string;
  country?: string;
  crossBorder?: boolean;
  from?: number;
  to?: number;
  limit?: number;
}

export interface CrossBorderLine {
  recipient: string;
  country: string;
  safeguard: string | null;
  purposes: string[];
  categories: string[];
  disclosures: number;
  subjects: number;
}

export interface DisclosuresDeps {
  store: Store;
  work: UnitOfWorkRunner;
  subjects: Subjects;
  journal: Journal;
  policies: PolicyVersions;
  gate: PurposeGate;
  clock: Clock;
  ids: IdSource;
}

export class Disclosures {
  private readonly store: Store;
  private readonly work: UnitOfWorkRunner;
  private readonly subjects: Subjects;
  private readonly journal: Journal;
  private readonly policies: PolicyVersions;
  private readonly gate: PurposeGate;
  private readonly clock: Clock;
  private readonly ids: IdSource;

  constructor(deps: DisclosuresDeps) {
    ({ store: this.store, work: this.work, subjects: this.subjects, journal: this.journal, policies: this.policies, gate: this.gate, clock: this.clock, ids: this.ids } = deps);
  }

  async record(input: DisclosureInput, actor: string): Promise<Disclosure> {
    const active = this.policies.active();
    return this.work.run(async (uow) => {
      const { trx } = uow;
      // Shared: disclosures of one subject may run together, a depersonalization waits for them.
      const subject = await this.subjects.lockAny(uow, input.subjectId, { path: 'subjectId', mode: 'share' });
      const decision = await this.gate.decide({ subjectId: input.subjectId, purpose: input.purpose, operation: 'transfer', categories: input.categories, recipient: input.recipient }, { trx, subject });
      if (!decision.allow) {
        // The recipient is named only when the policy declares it: an undeclared id may be a misplaced value.
        const recipient = active.index.recipient(input.recipient) ? `"${input.recipient}"` : 'an undeclared recipient';
        const purpose = active.index.purpose(input.purpose) ? `"${input.purpose}"` : 'an undeclared purpose';
        throw denied(`Transfer to ${recipient} for ${purpose} is not allowed`, decision.reasons, 'recipient');
      }
      const recipient = active.index.recipient(input.recipient)!;
      const crossBorder = isCrossBorder(recipient.country, homeRegion(active.index.policy.operator));
      const row: DisclosureTable = {
        id: this.ids.next(),
        subject_id: input.subjectId,
        recipient_id: recipient.id,
        recipient_kind: recipient.kind,
        country: recipient.country,
        cross_border: crossBorder ? 1 : 0,
        safeguard: recipient.safeguard ?? null,
        purpose: input.purpose,
        categories: JSON.stringify([...new Set(input.categories)]),
        bases: JSON.stringify(decision.reasons.filter((r) => r.code.startsWith('basis_')).map((r) => r.message)),
        policy_version: active.number,
        disclosed_at: this.clock.now(),
        actor,
      };
      await trx.insertInto('disclosure').values(row).execute();
      await this.journal.append(trx, [
        {
          actor,
          operation: 'transfer',
          subjectId: input.subjectId,
          purpose: input.purpose,
          categories: JSON.parse(row.categories) as string[],
          details: { disclosure: row.id, recipient: recipient.id, country: recipient.country, crossBorder: row.cross_border === 1, safeguard: row.safeguard },
        },
      ]);
      return toDisclosure(row);
    });
  }

  /** One subject's disclosures — who received their data; an unknown subject is `not_found`. */
  async forSubject(subjectId: string): Promise<Disclosure[]> {
    await this.subjects.find(this.store.db, subjectId);
    return this.list({ subjectId });
  }

  async list(filter: DisclosureFilter): Promise<Disclosure[]> {
    let query = this.store.db.selectFrom('disclosure').selectAll();
    if (filter.subjectId) query = query.where('subject_id', '=', filter.subjectId);
    if (filter.recipient) query = query.where('recipient_id', '=', filter.recipient);
    if (filter.country) query = query.where('country', '=', filter.country);
    if (filter.crossBorder !== undefined) query = query.where('cross_border', '=', filter.crossBorder ? 1 : 0);
    if (filter.from !== undefined) query = query.where('disclosed_at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('disclosed_at', '<', filter.to);
    const rows = await query.orderBy('disclosed_at').orderBy('id').limit(filter.limit ?? 1000).execute();
    return rows.map(toDisclosure);
  }

  /** Cross-border transfers in [from, to), one line per recipient and country. */
  async crossBorderReport(from: number, to: number): Promise<CrossBorderLine[]> {
    return crossBorderReport(this.store.db, from, to);
  }
}

async function crossBorderReport(db: Kysely<Database>, from: number, to: number): Promise<CrossBorderLine[]> {
  const rows = await db
    .selectFrom('disclosure')
    .select(['recipient_id', 'country', 'safeguard', 'purpose', 'categories', 'subject_id'])
    .where('cross_border', '=', 1)
    .where('disclosed_at', '>=', from)
    .where('disclosed_at', '<', to)
    .execute();
  const lines = new Map<string, { line: CrossBorderLine; subjects: Set<string>; purposes: Set<string>; categories: Set<string> }>();
  for (const row of rows) {
    const key = `${row.recipient_id}\u0000${row.country}`;
    const entry = lines.get(key) ?? { line: { recipient: row.recipient_id, country: row.country, safeguard: row.safeguard, purposes: [], categories: [], disclosures: 0, subjects: 0 }, subjects: new Set(), purposes: new Set(), categories: new Set() };
    entry.line.disclosures++;
    entry.subjects.add(row.subject_id);
    entry.purposes.add(row.purpose);
    for (const c of JSON.parse(row.categories) as string[]) entry.categories.add(c);
    lines.set(key, entry);
  }
  return [...lines.values()]
    .map(({ line, subjects, purposes, categories }) => ({ ...line, subjects: subjects.size, purposes: [...purposes].sort(), categories: [...categories].sort() }))
    .sort((a, b) => a.country.localeCompare(b.country) || a.recipient.localeCompare(b.recipient));
}

function toDisclosure(row: DisclosureTable): Disclosure {
  return {
    id: row.id,
    subjectId: row.subject_id,
    recipient: row.recipient_id,
    recipientKind: row.recipient_kind,
    country: row.country,
    crossBorder: Number(row.cross_border) === 1,
    safeguard: row.safeguard,
    purpose: row.purpose,
    categories: JSON.parse(row.categories) as string[],
    bases: JSON.parse(row.bases) as string[],
    policyVersion: Number(row.policy_version),
    disclosedAt: Number(row.disclosed_at),
  };
}
