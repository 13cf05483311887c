import type { Kysely, Migration } from 'kysely';

export const disclosureMigrations: Record<string, Migration> = {
  '0004_disclosures': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('disclosure')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('subject_id', 'text', (c) => c.notNull().references('subject.id'))
        .addColumn('recipient_id', 'text', (c) => c.notNull())
        .addColumn('recipient_kind', 'text', (c) => c.notNull())
        .addColumn('country', 'text', (c) => c.notNull())
        .addColumn('cross_border', 'integer', (c) => c.notNull())
        .addColumn('safeguard', 'text')
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('categories', 'text', (c) => c.notNull())
        .addColumn('bases', 'text', (c) => c.notNull())
        .addColumn('policy_version', 'integer', (c) => c.notNull())
        .addColumn('disclosed_at', 'bigint', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('disclosure_subject_idx').on('disclosure').columns(['subject_id', 'disclosed_at']).execute();
      await db.schema.createIndex('disclosure_recipient_idx').on('disclosure').columns(['recipient_id', 'disclosed_at']).execute();
      await db.schema.createIndex('disclosure_country_idx').on('disclosure').columns(['country', 'disclosed_at']).execute();
    },
  },
};
