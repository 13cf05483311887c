/** The vault's tables after the foundation: rectification revisions, blocks, depersonalized records. */
import { type Kysely, type Migration, PostgresAdapter, sql } from 'kysely';

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
  /**
   * Issue 16: a subject's queries must cost what the subject holds, not what everyone holds.
   * The gate's context, the purpose read and depersonalization ask for a subject's *active*
   * items, the gate those with a retention date. The retention index (state,
   * retention_due_at) matched that as well as (subject_id, category) did, and a planner that
   * took it walked every active item of every subject. (subject_id, state, retention_due_at)
   * matches every column the retention index can, and the subject besides, so no planner
   * prefers the other, with statistics or without. The retention index stays for the
   * retention sweep, which does want every active item by due date. A subject's newest
   * e-mail (the mail address) gets (subject_id, type, created_at) for the same reason:
   * against the (type, blind_index) key it walked every e-mail identifier. The subject-only
   * indexes they replace served nothing the new ones do not.
   */
  '0008_vault_subject_indexes': {
    async up(db: Kysely<any>) {
      await db.schema.createIndex('data_item_subject_state_idx').on('data_item').columns(['subject_id', 'state', 'retention_due_at']).execute();
      await db.schema.dropIndex('data_item_subject_idx').ifExists().execute();
      await db.schema.createIndex('subject_identifier_subject_type_idx').on('subject_identifier').columns(['subject_id', 'type', 'created_at']).execute();
      await db.schema.dropIndex('subject_identifier_subject_idx').ifExists().execute();
    },
  },
  /** Issue 8: destruction acts, the proof of an erasure. */
  '0009_vault_destruction_acts': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('destruction_act')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('subject_id', 'text', (c) => c.notNull())
        .addColumn('request_id', 'text')
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('systems', 'text', (c) => c.notNull())
        .addColumn('categories', 'text', (c) => c.notNull())
        .addColumn('kept', 'text', (c) => c.notNull())
        .addColumn('shredded', 'integer', (c) => c.notNull())
        .addColumn('person_enc', 'text')
        .addColumn('retain_until', 'bigint', (c) => c.notNull())
        .addColumn('key_id', 'text', (c) => c.notNull())
        .addColumn('signature', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('destruction_act_subject_idx').on('destruction_act').columns(['subject_id', 'at']).execute();
    },
  },
  /**
   * Issue 8: the key store apart from the data (see key-store.ts). Subjects' wrapped keys
   * move out of `subject` into `custodian_keys.subject_key`, and are cleared there; an act's
   * key gets `custodian_keys.act_key`. On SQLite the schema is the attached key file.
   */
  '0010_vault_key_store': {
    async up(db: Kysely<any>) {
      // The one engine difference here: SQLite's key schema is the file the store attached.
      if (db.getExecutor().adapter instanceof PostgresAdapter) await sql`create schema if not exists custodian_keys`.execute(db);
      const keys = db.schema.withSchema('custodian_keys');
      await keys
        .createTable('subject_key')
        .addColumn('subject_id', 'text', (c) => c.primaryKey())
        .addColumn('kek_id', 'text', (c) => c.notNull())
        .addColumn('wrapped', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await keys
        .createTable('act_key')
        .addColumn('act_id', 'text', (c) => c.primaryKey())
        .addColumn('kek_id', 'text', (c) => c.notNull())
        .addColumn('wrapped', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('retain_until', 'bigint', (c) => c.notNull())
        .execute();
      // Key first, then the subject row cleared (the crash-safe order across SQLite's two files).
      await sql`insert into custodian_keys.subject_key (subject_id, kek_id, wrapped, created_at) select id, kek_id, wrapped_key, created_at from subject where wrapped_key is not null and kek_id is not null`.execute(db);
      await db.updateTable('subject').set({ wrapped_key: null, kek_id: null }).where('wrapped_key', 'is not', null).execute();
    },
  },
};
