/** The vault's tables after the foundation: rectification revisions, blocks, depersonalized records. */
import type { Kysely, Migration } from 'kysely';

export const vaultMigrations: Record<string, Migration> = {
  '0003_vault_controls': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('data_item').addColumn('revision', 'integer', (c) => c.notNull().defaultTo(1)).execute();
      await db.schema
        .createTable('data_block')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('subject_id', 'text', (c) => c.notNull().references('subject.id'))
        .addColumn('categories', 'text')
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('lifted_at', 'bigint')
        .addColumn('lifted_by', 'text')
        .execute();
      await db.schema.createIndex('data_block_subject_idx').on('data_block').columns(['subject_id', 'lifted_at']).execute();
      await db.schema
        .createTable('depersonalized_record')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('transform', 'text', (c) => c.notNull())
        .addColumn('purposes', 'text', (c) => c.notNull())
        .addColumn('collected_month', 'text', (c) => c.notNull())
        .execute();
    },
  },
};
