import type { Kysely, Migration } from 'kysely';

export const rightsMigrations: Record<string, Migration> = {
  '0010_rights_requests': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('rights_request')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('subject_id', 'text')
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('laws', 'text', (c) => c.notNull())
        .addColumn('deadlines', 'text', (c) => c.notNull())
        .addColumn('received_at', 'bigint', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('locale', 'text')
        .addColumn('duplicate_of', 'text')
        .addColumn('identity', 'text', (c) => c.notNull())
        .addColumn('verification_method', 'text')
        .addColumn('verified_at', 'bigint')
        .addColumn('paused_at', 'bigint')
        .addColumn('pause_reason', 'text')
        .addColumn('paused_ms', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('extended', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('extension_reason', 'text')
        .addColumn('refusal_code', 'text')
        .addColumn('refusal_article', 'text')
        .addColumn('outcome', 'text')
        .addColumn('agent', 'text')
        .addColumn('document_enc', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('closed_at', 'bigint')
        .addColumn('reminded_at', 'bigint')
        .execute();
      await db.schema.createIndex('rights_request_subject_idx').on('rights_request').columns(['subject_id', 'type', 'state']).execute();
      await db.schema.createIndex('rights_request_state_idx').on('rights_request').columns(['state', 'received_at']).execute();
      await db.schema.createIndex('rights_request_received_idx').on('rights_request').columns(['received_at']).execute();
      await db.schema
        .createTable('rights_verification')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('request_id', 'text', (c) => c.notNull().references('rights_request.id'))
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('secret_hash', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('max_attempts', 'integer', (c) => c.notNull())
        .addColumn('used_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('rights_verification_request_idx').on('rights_verification').columns(['request_id', 'created_at']).execute();
      await db.schema.createIndex('rights_verification_secret_idx').on('rights_verification').columns(['secret_hash']).execute();
      await db.schema
        .createTable('rights_package')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('request_id', 'text', (c) => c.notNull().references('rights_request.id'))
        .addColumn('subject_id', 'text', (c) => c.notNull())
        .addColumn('content_enc', 'text')
        .addColumn('content_key', 'text')
        .addColumn('json_enc', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('deleted_at', 'bigint')
        .execute();
      await db.schema.createIndex('rights_package_request_idx').on('rights_package').columns(['request_id', 'created_at']).execute();
      await db.schema.createIndex('rights_package_expiry_idx').on('rights_package').columns(['deleted_at', 'expires_at']).execute();
      await db.schema
        .createTable('rights_recipient_notice')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('request_id', 'text', (c) => c.notNull().references('rights_request.id'))
        .addColumn('recipient_id', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('categories', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('sent_at', 'bigint')
        .addColumn('status_code', 'integer')
        .execute();
      await db.schema.createIndex('rights_recipient_notice_request_idx').on('rights_recipient_notice').columns(['request_id']).execute();
    },
  },
  '0011_rights_recipient_endpoints': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('rights_recipient_endpoint')
        .addColumn('recipient_id', 'text', (c) => c.primaryKey())
        .addColumn('webhook_url', 'text')
        .addColumn('email', 'text')
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
};
