/**
 * Blocking: a temporary stop on processing (94-V art. 1: "temporary cessation of the
 * collection, accumulation, change, addition, use, dissemination, depersonalization and
 * destruction"). Blocked data stays stored; the purpose gate refuses every use and
 * disclosure of it until the block is lifted. A block covers the whole subject or some
 * categories, and records a reason code — never free text, which could carry personal data.
 */
import type { Clock, IdSource } from '../clock.js';
import { CustodianError, notFound } from '../errors.js';
import type { Journal } from '../journal/journal.js';
import type { PolicyVersions } from '../policy/versions.js';
import type { Store } from '../store/store.js';
import type { UnitOfWorkRunner } from '../store/unit-of-work.js';
import type { Subjects } from './subjects.js';

export const BLOCK_REASONS = ['accuracy-disputed', 'unlawful-processing', 'subject-request', 'objection-pending', 'authority-order', 'legal-claim', 'breach-investigation'] as const;
export type BlockReason = (typeof BLOCK_REASONS)[number];

export interface Block {
  id: string;
  /** null: the whole subject. */
  categories: string[] | null;
  reason: BlockReason;
  createdAt: number;
  createdBy: string;
  liftedAt: number | null;
  liftedBy: string | null;
}

export interface BlocksDeps {
  store: Store;
  work: UnitOfWorkRunner;
  subjects: Subjects;
  journal: Journal;
  policies: PolicyVersions;
  clock: Clock;
  ids: IdSource;
}

export class Blocks {
  constructor(private readonly deps: BlocksDeps) {}

  async block(subjectId: string, input: { categories?: string[]; reason: BlockReason }, actor: string): Promise<Block> {
    const { work, subjects, journal, policies, clock, ids } = this.deps;
    const index = policies.active().index;
    const unknown = (input.categories ?? []).map((c, i) => ({ c, i })).filter(({ c }) => !index.category(c));
    if (unknown.length > 0) throw new CustodianError('category_not_declared', 'Unknown category', unknown.map(({ c, i }) => ({ path: `categories[${i}]`, message: 'category is not declared in the policy' })));
    const block: Block = {
      id: ids.next(),
      categories: input.categories && input.categories.length > 0 ? [...new Set(input.categories)] : null,
      reason: input.reason,
      createdAt: clock.now(),
      createdBy: actor,
      liftedAt: null,
      liftedBy: null,
    };
    await work.run(async (uow) => {
      await subjects.lock(uow, subjectId);
      await uow.trx
        .insertInto('data_block')
        .values({ id: block.id, subject_id: subjectId, categories: block.categories ? JSON.stringify(block.categories) : null, reason: block.reason, created_at: block.createdAt, created_by: actor, lifted_at: null, lifted_by: null })
        .execute();
      await subjects.changed(uow, subjectId);
      await journal.append(uow.trx, [{ actor, operation: 'blocking', subjectId, categories: block.categories ?? [], details: { block: block.id, scope: block.categories ? 'categories' : 'subject', reason: block.reason } }]);
    });
    return block;
  }

  async unblock(subjectId: string, blockId: string, actor: string): Promise<Block> {
    const { work, subjects, journal, clock } = this.deps;
    const now = clock.now();
    return work.run(async (uow) => {
      const { trx } = uow;
      // An erased subject's blocks can still be lifted (they stop nothing any more), so any state will do.
      await subjects.lockAny(uow, subjectId);
      const row = await trx.selectFrom('data_block').selectAll().where('id', '=', blockId).where('subject_id', '=', subjectId).executeTakeFirst();
      if (!row) throw notFound('Block', 'blockId');
      if (row.lifted_at !== null) throw new CustodianError('conflict', 'The block was already lifted', [{ path: 'blockId', message: 'already lifted' }]);
      await trx.updateTable('data_block').set({ lifted_at: now, lifted_by: actor }).where('id', '=', blockId).execute();
      const categories = row.categories ? (JSON.parse(row.categories) as string[]) : null;
      await subjects.changed(uow, subjectId);
      await journal.append(trx, [{ actor, operation: 'unblocking', subjectId, categories: categories ?? [], details: { block: blockId, scope: categories ? 'categories' : 'subject' } }]);
      return { ...toBlock(row), liftedAt: now, liftedBy: actor };
    });
  }

  async list(subjectId: string): Promise<Block[]> {
    await this.deps.subjects.find(this.deps.store.db, subjectId);
    const rows = await this.deps.store.db.selectFrom('data_block').selectAll().where('subject_id', '=', subjectId).orderBy('created_at').execute();
    return rows.map(toBlock);
  }
}

function toBlock(row: { id: string; categories: string | null; reason: string; created_at: number; created_by: string; lifted_at: number | null; lifted_by: string | null }): Block {
  return {
    id: row.id,
    categories: row.categories ? (JSON.parse(row.categories) as string[]) : null,
    reason: row.reason as BlockReason,
    createdAt: Number(row.created_at),
    createdBy: row.created_by,
    liftedAt: row.lifted_at === null ? null : Number(row.lifted_at),
    liftedBy: row.lifted_by,
  };
}
