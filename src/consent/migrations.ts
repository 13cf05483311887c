/**
 * The consent tables. Written once in Kysely's schema builder so SQLite and PostgreSQL get
 * the same shape; `store/migrations.ts` spreads these into the ordered list.
 */
import type { Kysely, Migration } from 'kysely';

export const consentMigrations: Record<string, Migration> = {
  '0002_consent': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('consent_record')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('subject_id', 'text', (c) => c.notNull().references('subject.id'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('topic', 'text', (c) => c.notNull())
        .addColumn('event', 'text', (c) => c.notNull())
        .addColumn('current', 'integer', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('policy_version', 'integer', (c) => c.notNull())
        .addColumn('third_parties', 'integer', (c) => c.notNull())
        .addColumn('cross_border', 'integer', (c) => c.notNull())
        .addColumn('public_dissemination', 'integer', (c) => c.notNull())
        .addColumn('categories', 'text', (c) => c.notNull())
        .addColumn('validity', 'text')
        .addColumn('valid_until', 'bigint')
        .addColumn('channel', 'text')
        .addColumn('locale', 'text')
        .addColumn('notice_sha256', 'text')
        .addColumn('notice_text', 'text')
        .addColumn('subject_name_enc', 'text')
        .addColumn('previous_id', 'text')
        .addUniqueConstraint('consent_record_subject_seq', ['subject_id', 'seq'])
        .execute();
      // The gate's per-subject read and the renewal / expiry listings per purpose.
      await db.schema.createIndex('consent_record_current_idx').on('consent_record').columns(['subject_id', 'current']).execute();
      await db.schema.createIndex('consent_record_purpose_idx').on('consent_record').columns(['purpose', 'current', 'event']).execute();

      await db.schema
        .createTable('opt_out_signal')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('subject_id', 'text', (c) => c.notNull().references('subject.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('purpose', 'text')
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('policy_version', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('opt_out_signal_subject_idx').on('opt_out_signal').columns(['subject_id', 'kind']).execute();
    },
  },
  '0007_consent_coverage': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('consent_record').addColumn('given_version', 'integer').execute();
    },
  },
  /**
   * Issue 16: a withdrawal and a give read the subject's current consent to one purpose
   * (and topic). Against (subject_id, current) the purpose index (purpose, current, event)
   * matched as many columns, and a planner that took it walked every current consent to that
   * purpose, everyone's. Led by the subject and covering purpose and topic, the subject's
   * index is the better match for every per-subject read; it replaces its prefix.
   */
  '0008_consent_subject_indexes': {
    async up(db: Kysely<any>) {
      await db.schema.createIndex('consent_record_subject_current_idx').on('consent_record').columns(['subject_id', 'current', 'purpose', 'topic']).execute();
      await db.schema.dropIndex('consent_record_current_idx').ifExists().execute();
    },
  },
};
