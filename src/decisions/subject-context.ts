/**
 * What the gate knows about one subject: state, blocks, earliest retention due dates and
 * consent-side preferences. Loaded in a few queries, then cached so a decision is a pure
 * in-memory evaluation. Every service that changes these facts invalidates the entry;
 * a short TTL bounds staleness across processes sharing a PostgreSQL database.
 */
import type { Kysely } from 'kysely';
import type { Jurisdiction } from '../policy/model.js';
import { prepared } from '../store/prepared.js';
import type { Database, SubjectRow } from '../store/tables.js';

export type ConsentState = 'given' | 'refused' | 'withdrawn' | 'expired' | 'renewal-needed';

export interface ScopeFlags {
  thirdParties: boolean;
  crossBorder: boolean;
  publicDissemination: boolean;
}

export interface ConsentFacts {
  state: ConsentState;
  /** Epoch ms after which the consent no longer counts; null = until the purpose is achieved. */
  validUntil: number | null;
  /** Scopes the consent (or its separate acts, 94-V art. 7(6)) covers. */
  scope: ScopeFlags;
  /** Scopes covered by a consent given separately from the main one. */
  separate: ScopeFlags;
  /** The data the consent lists (94-V art. 8(4)); empty means all the purpose declares. */
  categories: readonly string[];
  /**
   * The policy version whose notice the consent covers — the one the person saw, also
   * while the consent is marked for renewal (0: unknown, covers nothing).
   */
  policyVersion: number;
}

export interface PreferenceFacts {
  consents: ReadonlyMap<string, ConsentFacts>;
  /** Purposes the subject objected to, objection upheld. */
  objections: ReadonlySet<string>;
  /** Opted out of sale/sharing (CCPA 1798.120, GPC). */
  saleSharingOptOut: boolean;
}

export type PreferencesLoader = (db: Kysely<Database>, subjectId: string) => Promise<PreferenceFacts>;

export interface SubjectContext {
  subjectId: string;
  /** The subject row's version when this was loaded (see `SubjectTable.version`). */
  version: number;
  state: 'active' | 'erased' | 'depersonalized';
  jurisdiction: Jurisdiction | null;
  blockedAll: boolean;
  blockedCategories: ReadonlySet<string>;
  /** Earliest retention due date of active items, by `purpose\0category`. */
  retentionDue: ReadonlyMap<string, number>;
  preferences: PreferenceFacts;
}

export const NO_PREFERENCES: PreferenceFacts = { consents: new Map(), objections: new Set(), saleSharingOptOut: false };

export function retentionKey(purpose: string, category: string): string {
  return `${purpose}\u0000${category}`;
}

/** The subject row's fields the context keeps. */
export type SubjectFacts = Pick<SubjectRow, 'state' | 'jurisdiction' | 'version'>;

/**
 * Loads what the gate knows about a subject. `subject`, when the caller holds the row
 * locked in `db`'s transaction, saves reading it again.
 */
export async function loadSubjectContext(db: Kysely<Database>, subjectId: string, preferences: PreferencesLoader, subject?: SubjectFacts): Promise<SubjectContext | undefined> {
  subject ??= (await SUBJECT_FACTS.rows(db, { subjectId }))[0];
  if (!subject) return undefined;
  const [blocks, dues, prefs] = await Promise.all([OPEN_BLOCKS.rows(db, { subjectId }), EARLIEST_DUES.rows(db, { subjectId }), preferences(db, subjectId)]);
  const blockedCategories = new Set<string>();
  let blockedAll = false;
  for (const block of blocks) {
    if (block.categories === null) blockedAll = true;
    else for (const c of JSON.parse(block.categories) as string[]) blockedCategories.add(c);
  }
  const retentionDue = new Map<string, number>();
  for (const row of dues) {
    for (const purpose of JSON.parse(row.purposes) as string[]) {
      const key = retentionKey(purpose, row.category);
      const due = Number(row.due);
      retentionDue.set(key, Math.min(due, retentionDue.get(key) ?? Infinity));
    }
  }
  return {
    subjectId,
    version: Number(subject.version),
    state: subject.state as SubjectContext['state'],
    jurisdiction: subject.jurisdiction as Jurisdiction | null,
    blockedAll,
    blockedCategories,
    retentionDue,
    preferences: prefs,
  };
}

// Loaded whenever a cached context is stale, on every write path: built once (see store/prepared.ts).
const SUBJECT_FACTS = prepared<{ subjectId: string }, SubjectFacts>((db, p) => db.selectFrom('subject').select(['state', 'jurisdiction', 'version']).where('id', '=', p.subjectId));
const OPEN_BLOCKS = prepared<{ subjectId: string }, { categories: string | null }>((db, p) =>
  db.selectFrom('data_block').select('categories').where('subject_id', '=', p.subjectId).where('lifted_at', 'is', null),
);
const EARLIEST_DUES = prepared<{ subjectId: string }, { purposes: string; category: string; due: number | string | null }>((db, p) =>
  db
    .selectFrom('data_item')
    .select(['purposes', 'category', (eb) => eb.fn.min('retention_due_at').as('due')])
    .where('subject_id', '=', p.subjectId)
    .where('state', '=', 'active')
    .where('retention_due_at', 'is not', null)
    .groupBy(['purposes', 'category']),
);

/** A bounded map with per-entry expiry on a monotonic clock; oldest entries are evicted first. */
export class SubjectContextCache {
  private readonly entries = new Map<string, { context: SubjectContext | undefined; loadedAt: number }>();
  /**
   * Bumped on every invalidation. A load that started before a change committed must not
   * be cached after it: `set` is given the generation seen when the load began.
   */
  private readonly generations = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 100_000,
  ) {}

  /** `null` when not cached; `undefined` when cached as "no such subject". */
  get(subjectId: string): SubjectContext | undefined | null {
    const entry = this.entries.get(subjectId);
    if (!entry) return null;
    if (performance.now() - entry.loadedAt > this.ttlMs) {
      this.entries.delete(subjectId);
      return null;
    }
    return entry.context;
  }

  /** Bumped by `clear`, so a load that began before it is not cached after it either. */
  private epoch = 0;

  generation(subjectId: string): number {
    return this.epoch * 2 ** 32 + (this.generations.get(subjectId) ?? 0);
  }

  set(subjectId: string, context: SubjectContext | undefined, generation = this.generation(subjectId)): void {
    if (generation !== this.generation(subjectId)) return;
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(subjectId, { context, loadedAt: performance.now() });
  }

  /** Replaces a cached entry, keeping its age (so the TTL still bounds staleness). */
  replace(subjectId: string, context: SubjectContext): void {
    const entry = this.entries.get(subjectId);
    if (entry) entry.context = context;
  }

  invalidate(subjectId: string): void {
    this.entries.delete(subjectId);
    if (this.generations.size >= this.maxEntries) {
      // Forgetting generations could let a stale load in: a new epoch turns those away.
      this.generations.clear();
      this.clear();
    }
    this.generations.set(subjectId, (this.generations.get(subjectId) ?? 0) + 1);
  }

  clear(): void {
    this.epoch++;
    this.entries.clear();
  }
}
