/**
 * Schema migrations: the runner, and the store's own tables. Each migration is written once
 * in Kysely's schema builder so the same code creates the same tables on SQLite and
 * PostgreSQL. Features keep their migrations beside their tables and the composition root
 * (`src/migrations.ts`) hands the whole ordered set to the runner: the store knows no
 * feature.
 */
import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';

/** The first schema, from before features owned their migrations. */
export const foundationMigrations: Record<string, Migration> = {
  '0001_foundation': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('key_material')
        .addColumn('purpose', 'text', (c) => c.primaryKey())
        .addColumn('kek_id', 'text', (c) => c.notNull())
        .addColumn('wrapped', 'text', (c) => c.notNull())
        .addColumn('public_key', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('subject')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('jurisdiction', 'text')
        .addColumn('locale', 'text')
        .addColumn('kek_id', 'text')
        .addColumn('wrapped_key', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('subject_kek_idx').on('subject').column('kek_id').execute();

      await db.schema
        .createTable('subject_identifier')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('subject_id', 'text', (c) => c.notNull().references('subject.id'))
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('blind_index', 'text', (c) => c.notNull())
        .addColumn('value_enc', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('subject_identifier_lookup', ['type', 'blind_index'])
        .execute();
      await db.schema.createIndex('subject_identifier_subject_idx').on('subject_identifier').column('subject_id').execute();

      await db.schema
        .createTable('data_item')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('subject_id', 'text', (c) => c.notNull().references('subject.id'))
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('value_enc', 'text', (c) => c.notNull())
        .addColumn('purposes', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('collected_at', 'bigint', (c) => c.notNull())
        .addColumn('retention_due_at', 'bigint')
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('policy_version', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('data_item_subject_idx').on('data_item').columns(['subject_id', 'category']).execute();
      await db.schema.createIndex('data_item_retention_idx').on('data_item').columns(['state', 'retention_due_at']).execute();

      await db.schema
        .createTable('journal_event')
        .addColumn('stream', 'text', (c) => c.notNull())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('operation', 'text', (c) => c.notNull())
        .addColumn('subject_id', 'text')
        .addColumn('purpose', 'text')
        .addColumn('categories', 'text', (c) => c.notNull())
        .addColumn('details', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('journal_event_pk', ['stream', 'seq'])
        .execute();
      await db.schema.createIndex('journal_event_subject_idx').on('journal_event').columns(['subject_id', 'at']).execute();

      await db.schema
        .createTable('journal_head')
        .addColumn('stream', 'text', (c) => c.primaryKey())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('journal_checkpoint')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('heads', 'text', (c) => c.notNull())
        .addColumn('digest', 'text', (c) => c.notNull())
        .addColumn('key_id', 'text', (c) => c.notNull())
        .addColumn('signature', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('journal_checkpoint_at_idx').on('journal_checkpoint').column('at').execute();

      await db.schema
        .createTable('api_key')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('secret_hash', 'text', (c) => c.notNull())
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('last_used_at', 'bigint')
        .addColumn('revoked_at', 'bigint')
        .execute();

      await db.schema
        .createTable('policy_version')
        .addColumn('number', 'integer', (c) => c.primaryKey())
        .addColumn('policy_id', 'text', (c) => c.notNull())
        .addColumn('label', 'text')
        .addColumn('effective_at', 'bigint', (c) => c.notNull())
        .addColumn('published_at', 'bigint', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('compiled', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
    },
  },
};

/** The store's own tables: the job queue; and the subject version writers check caches against. */
export const storeMigrations: Record<string, Migration> = {
  '0006_platform': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('job')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('run_at', 'bigint', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('max_attempts', 'integer', (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('idempotency_key', 'text', (c) => c.unique())
        .addColumn('locked_by', 'text')
        .addColumn('locked_until', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('finished_at', 'bigint')
        .execute();
      // Claiming reads due pending jobs in run_at order; listing filters by state.
      await db.schema.createIndex('job_due_idx').on('job').columns(['state', 'run_at']).execute();
      await db.schema.alterTable('subject').addColumn('version', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    },
  },
};

export type Migrations = Readonly<Record<string, Migration>>;

class StaticMigrationProvider implements MigrationProvider {
  constructor(private readonly migrations: Migrations) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return { ...this.migrations };
  }
}

/** Migrations apply in the order of their names (`0001_…`, `0002_…`). */
export function migrator(db: Kysely<any>, migrations: Migrations): Migrator {
  return new Migrator({ db, provider: new StaticMigrationProvider(migrations), migrationTableName: 'schema_migration', migrationLockTableName: 'schema_migration_lock' });
}

export async function migrateToLatest(db: Kysely<any>, migrations: Migrations): Promise<string[]> {
  const { error, results } = await migrator(db, migrations).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** True when every known migration has been applied (used by /readyz). */
export async function migrationsCurrent(db: Kysely<any>, migrations: Migrations): Promise<boolean> {
  const all = await migrator(db, migrations).getMigrations();
  return all.every((m) => m.executedAt !== undefined);
}
