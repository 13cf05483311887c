/**
 * Depersonalization (94-V art. 1: actions after which data can no longer be attributed to
 * a subject). Each item goes through an irreversible transform chosen by its category —
 * a birth date to its year or an age band, an address or location to its city, a direct
 * identifier suppressed, anything else replaced by a keyed hash whose key exists only for
 * the batch and is then dropped — and lands in `depersonalized_record`, which has no
 * subject id, no item id, no batch and only the month of collection. The original is
 * destroyed. (Rows still land in the store in the order they are written; releasing them in
 * shuffled batches mixed across subjects is future work.)
 * Depersonalizing a whole subject also deletes its identifiers and destroys its data key.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Clock, IdSource } from '../clock.js';
import { open, valueContext } from '../crypto/envelope.js';
import { CustodianError } from '../errors.js';
import type { Journal } from '../journal/journal.js';
import type { DataCategory } from '../policy/model.js';
import type { PolicyVersions } from '../policy/versions.js';
import type { Store } from '../store/store.js';
import type { UnitOfWorkRunner } from '../store/unit-of-work.js';
import type { Subjects } from './subjects.js';
import { IDENTIFIER_CATEGORY } from './identifiers.js';

export const TRANSFORMS = ['year', 'age-band', 'city', 'suppress', 'hash'] as const;
export type Transform = (typeof TRANSFORMS)[number];

/** The transform a category gets unless the request names one. */
export function defaultTransform(category: DataCategory | { id: string; identifier: boolean; special: boolean }): Transform {
  const id = category.id;
  if (/birth/.test(id)) return 'year';
  if (id.startsWith('user.location') || id.startsWith('user.contact.address')) return 'city';
  if (category.identifier || category.special) return 'suppress';
  return 'hash';
}

const AGE_BANDS: [number, string][] = [
  [18, 'under 18'],
  [25, '18-24'],
  [35, '25-34'],
  [45, '35-44'],
  [55, '45-54'],
  [65, '55-64'],
];

function parseDate(value: unknown): Date | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Applies a transform. `batchKey` lives only for one depersonalization run. */
export function applyTransform(transform: Transform, value: unknown, now: number, batchKey: Buffer): unknown {
  switch (transform) {
    case 'suppress':
      return null;
    case 'year':
      return parseDate(value)?.getUTCFullYear() ?? null;
    case 'age-band': {
      const born = parseDate(value);
      if (!born) return null;
      const age = Math.floor((now - born.getTime()) / (365.2425 * 86_400_000));
      return AGE_BANDS.find(([limit]) => age < limit)?.[1] ?? '65+';
    }
    case 'city':
      return typeof value === 'object' && value !== null && typeof (value as { city?: unknown }).city === 'string' ? (value as { city: string }).city : null;
    case 'hash':
      return createHmac('sha256', batchKey).update(JSON.stringify(value)).digest('base64url').slice(0, 22);
  }
}

export interface DepersonalizeRequest {
  /** Items to depersonalize; omit both to depersonalize the whole subject. */
  itemIds?: string[];
  categories?: string[];
  /** Per-category transform overrides. */
  transforms?: Record<string, Transform>;
}

export interface DepersonalizerDeps {
  work: UnitOfWorkRunner;
  /** When given, a whole-subject run makes the destroyed key unrecoverable from the medium (see Store.purgeDeletedKeys). */
  store?: Pick<Store, 'purgeDeletedKeys'>;
  subjects: Subjects;
  journal: Journal;
  policies: PolicyVersions;
  clock: Clock;
  ids: IdSource;
}

export class Depersonalizer {
  constructor(private readonly deps: DepersonalizerDeps) {}

  async depersonalize(subjectId: string, request: DepersonalizeRequest, actor: string): Promise<{ items: number; wholeSubject: boolean; transforms: Record<string, Transform> }> {
    const { work, subjects, journal, policies, clock, ids } = this.deps;
    const index = policies.active().index;
    const bad = Object.entries(request.transforms ?? {}).filter(([, t]) => !(TRANSFORMS as readonly string[]).includes(t));
    if (bad.length > 0) throw new CustodianError('validation_failed', 'Unknown transform', bad.map(([c]) => ({ path: `transforms.${c}`, message: `must be one of ${TRANSFORMS.join(', ')}` })));
    const undeclared = (request.categories ?? []).map((c, i) => ({ c, i })).filter(({ c }) => !index.category(c));
    if (undeclared.length > 0) throw new CustodianError('category_not_declared', 'Unknown category', undeclared.map(({ i }) => ({ path: `categories[${i}]`, message: 'category is not declared in the policy' })));
    const wholeSubject = !request.itemIds && !request.categories;
    const now = clock.now();
    const batchKey = randomBytes(32);

    const result = await work.run(async (uow) => {
      const { trx } = uow;
      const subject = await subjects.lock(uow, subjectId);
      let query = trx.selectFrom('data_item').selectAll().where('subject_id', '=', subjectId).where('state', '=', 'active');
      if (request.itemIds) query = query.where('id', 'in', request.itemIds.length > 0 ? request.itemIds : ['']);
      if (request.categories) query = query.where('category', 'in', request.categories.length > 0 ? request.categories : ['']);
      const rows = await query.execute();
      if (request.itemIds) {
        const found = new Set(rows.map((r) => r.id));
        const missing = request.itemIds.map((id, i) => ({ id, i })).filter(({ id }) => !found.has(id));
        if (missing.length > 0) throw new CustodianError('not_found', 'Some items do not exist or are not active', missing.map(({ i }) => ({ path: `itemIds[${i}]`, message: 'no active item with this id' })));
      }
      // A block stops depersonalization too (94-V art. 1), whatever the purposes say; read
      // inside this transaction, not from the gate's cache. Consent or purpose rules do not
      // stop it: depersonalizing is how data leaves processing when those end.
      const blocks = await trx.selectFrom('data_block').select('categories').where('subject_id', '=', subjectId).where('lifted_at', 'is', null).execute();
      const touched = new Set([...rows.map((r) => r.category), ...(wholeSubject ? Object.values(IDENTIFIER_CATEGORY) : [])]);
      const blocking = blocks.filter((b) => b.categories === null || (JSON.parse(b.categories) as string[]).some((c) => touched.has(c)));
      if (blocking.length > 0) {
        throw new CustodianError(
          'denied',
          'Blocked data cannot be depersonalized until the block is lifted',
          blocking.map((b) =>
            b.categories === null
              ? { path: 'id', code: 'subject_blocked', message: 'the subject’s data is blocked' }
              : { path: request.categories ? 'categories' : 'itemIds', code: 'category_blocked', message: `blocked categories: ${(JSON.parse(b.categories) as string[]).join(', ')}` },
          ),
        );
      }
      const key = subjects.key(subject);
      const used: Record<string, Transform> = {};
      const records = rows.map((row) => {
        const category = index.category(row.category) ?? { id: row.category, identifier: false, special: false };
        const transform = request.transforms?.[row.category] ?? defaultTransform(category);
        used[row.category] = transform;
        const value = JSON.parse(open(key, row.value_enc, valueContext(subjectId, row.id, row.category)).toString('utf8'));
        return {
          id: ids.next(),
          category: row.category,
          value: JSON.stringify(applyTransform(transform, value, now, batchKey)),
          transform,
          purposes: row.purposes,
          collected_month: new Date(Number(row.collected_at)).toISOString().slice(0, 7),
        };
      });
      // Insert in the order of the fresh random ids, so row order does not mirror the items.
      records.sort((a, b) => (a.id < b.id ? -1 : 1));
      if (records.length > 0) await trx.insertInto('depersonalized_record').values(records).execute();
      if (rows.length > 0) {
        await trx
          .updateTable('data_item')
          .set({ state: 'depersonalized', value_enc: '', updated_at: now })
          .where('id', 'in', rows.map((r) => r.id))
          .execute();
      }
      if (wholeSubject) {
        await trx.deleteFrom('subject_identifier').where('subject_id', '=', subjectId).execute();
        // The key goes before the row changes (the crash-safe order across SQLite's two files).
        await subjects.destroyKey(uow, subjectId);
        await trx.updateTable('subject').set({ state: 'depersonalized', wrapped_key: null, kek_id: null, updated_at: now }).where('id', '=', subjectId).execute();
      }
      await subjects.changed(uow, subjectId);
      await journal.append(trx, [
        {
          actor,
          operation: 'depersonalization',
          subjectId,
          categories: [...new Set(rows.map((r) => r.category))],
          details: { items: rows.length, scope: wholeSubject ? 'subject' : 'items', transforms: Object.entries(used).map(([c, t]) => `${c}:${t}`) },
        },
      ]);
      return { items: rows.length, wholeSubject, transforms: used };
    });
    batchKey.fill(0);
    if (result.wholeSubject) await this.deps.store?.purgeDeletedKeys();
    return result;
  }
}
