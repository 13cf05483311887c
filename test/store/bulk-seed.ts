/**
 * Fills a migrated Custodian database with many subjects at once — subjects, identifiers,
 * data items, consent acts, opt-outs, blocks, disclosures and journal events — written with
 * the engine's own driver in multi-row statements rather than through the vault, so a
 * million items take minutes, not hours. For plan tests and benchmarks only.
 *
 * The rows have the vault's shapes and sizes (uuid ids, sealed-value-sized strings, JSON
 * lists, epoch-ms times) and a realistic mix (most items active, some destroyed or
 * depersonalized; consents given, withdrawn or absent; a few blocks and objections), but
 * their values are random: no seeded subject's data can be decrypted, and seeded journal
 * events do not chain (`journal verify` would fail). Each stream's head is moved past the
 * seeded events, so Custodian keeps appending after them.
 *
 * @example
 *   await bulkSeed(location, { subjects: 2000, itemsPerSubject: 5, eventsPerItem: 3, now, policyVersion: 1 });
 */
import { randomBytes, randomUUID } from 'node:crypto';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { streamFor } from '../../src/journal/journal.js';
import type { StoreLocation } from '../../src/store/store.js';

type PgType = 'text' | 'bigint' | 'integer';
type Value = string | number | null;

/** Column names and their PostgreSQL types, in insert order. */
const COLUMNS = {
  subject: { id: 'text', state: 'text', jurisdiction: 'text', locale: 'text', kek_id: 'text', wrapped_key: 'text', created_at: 'bigint', updated_at: 'bigint', version: 'integer' },
  subject_identifier: { id: 'text', subject_id: 'text', type: 'text', blind_index: 'text', value_enc: 'text', created_at: 'bigint' },
  data_item: {
    id: 'text',
    subject_id: 'text',
    category: 'text',
    value_enc: 'text',
    purposes: 'text',
    source: 'text',
    collected_at: 'bigint',
    retention_due_at: 'bigint',
    state: 'text',
    policy_version: 'integer',
    updated_at: 'bigint',
    revision: 'integer',
  },
  consent_record: {
    id: 'text',
    subject_id: 'text',
    seq: 'integer',
    purpose: 'text',
    topic: 'text',
    event: 'text',
    current: 'integer',
    at: 'bigint',
    actor: 'text',
    policy_version: 'integer',
    third_parties: 'integer',
    cross_border: 'integer',
    public_dissemination: 'integer',
    categories: 'text',
    validity: 'text',
    valid_until: 'bigint',
    channel: 'text',
    locale: 'text',
    notice_sha256: 'text',
    notice_text: 'text',
    subject_name_enc: 'text',
    previous_id: 'text',
    given_version: 'integer',
  },
  opt_out_signal: { id: 'text', subject_id: 'text', kind: 'text', purpose: 'text', at: 'bigint', actor: 'text', source: 'text', policy_version: 'integer' },
  data_block: { id: 'text', subject_id: 'text', categories: 'text', reason: 'text', created_at: 'bigint', created_by: 'text', lifted_at: 'bigint', lifted_by: 'text' },
  disclosure: {
    id: 'text',
    subject_id: 'text',
    recipient_id: 'text',
    recipient_kind: 'text',
    country: 'text',
    cross_border: 'integer',
    safeguard: 'text',
    purpose: 'text',
    categories: 'text',
    bases: 'text',
    policy_version: 'integer',
    disclosed_at: 'bigint',
    actor: 'text',
  },
  journal_event: { stream: 'text', seq: 'bigint', id: 'text', at: 'bigint', actor: 'text', operation: 'text', subject_id: 'text', purpose: 'text', categories: 'text', details: 'text', prev_hash: 'text', hash: 'text' },
} satisfies Record<string, Record<string, PgType>>;

type Table = keyof typeof COLUMNS;
type Rows = { [T in Table]: Value[][] };

export interface SeedShape {
  subjects: number;
  /** Items per subject on average (each subject has 1 … 2n−1). */
  itemsPerSubject: number;
  /** Journal events per item on average (collection, uses, extractions, transfers). */
  eventsPerItem: number;
  /** The seeded history lies in the year before this. */
  now: number;
  policyVersion: number;
  /** Subjects written per transaction. */
  chunk?: number;
  onProgress?: (line: string) => void;
}

export interface SeedResult {
  subjects: number;
  items: number;
  events: number;
  seconds: number;
}

const ORDERS_CATEGORIES = ['user.name', 'user.contact.email', 'user.contact.phone_number', 'user.contact.address'];
const OPERATIONS = ['use', 'extraction', 'use', 'transfer', 'storage', 'clarification'];
const DAY = 86_400_000;
const YEAR = 365 * DAY;

/** Random printable text of a sealed value's length (base64url of `bytes` random bytes). */
function sealedLike(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

function hex64(): string {
  return randomBytes(32).toString('hex');
}

/** A small fast deterministic generator, so two runs seed the same mix. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface RowWriter {
  heads(): Promise<Map<string, { seq: number; hash: string }>>;
  /** Writes one chunk's rows and the moved stream heads in one transaction. */
  write(rows: Rows, heads: Map<string, { seq: number; hash: string }>): Promise<void>;
  close(): Promise<void>;
}

function emptyRows(): Rows {
  return Object.fromEntries(Object.keys(COLUMNS).map((t) => [t, []])) as unknown as Rows;
}

function sqliteWriter(path: string): RowWriter {
  const db = new SqliteDatabase(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -1000000');
  const BATCH = 200;
  const statements = new Map<string, SqliteDatabase.Statement>();
  const insert = (table: Table, count: number) => {
    const key = `${table}:${count}`;
    let statement = statements.get(key);
    if (!statement) {
      const columns = Object.keys(COLUMNS[table]);
      const row = `(${columns.map(() => '?').join(', ')})`;
      statement = db.prepare(`insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values ${Array.from({ length: count }, () => row).join(', ')}`);
      statements.set(key, statement);
    }
    return statement;
  };
  const upsertHead = db.prepare('insert into journal_head (stream, seq, hash) values (?, ?, ?) on conflict (stream) do update set seq = excluded.seq, hash = excluded.hash');
  const writeAll = db.transaction((rows: Rows, heads: Map<string, { seq: number; hash: string }>) => {
    for (const table of Object.keys(COLUMNS) as Table[]) {
      const all = rows[table];
      for (let start = 0; start < all.length; start += BATCH) {
        const slice = all.slice(start, start + BATCH);
        insert(table, slice.length).run(slice.flat());
      }
    }
    for (const [stream, head] of heads) upsertHead.run(stream, head.seq, head.hash);
  });
  return {
    async heads() {
      const rows = db.prepare('select stream, seq, hash from journal_head').all() as { stream: string; seq: number; hash: string }[];
      return new Map(rows.map((r) => [r.stream, { seq: Number(r.seq), hash: r.hash }]));
    },
    async write(rows, heads) {
      writeAll(rows, heads);
    },
    async close() {
      db.close();
    },
  };
}

async function postgresWriter(url: string): Promise<RowWriter> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // Seeding is not the durability under test.
  await client.query('set synchronous_commit = off');
  return {
    async heads() {
      const { rows } = await client.query<{ stream: string; seq: string; hash: string }>('select stream, seq, hash from journal_head');
      return new Map(rows.map((r) => [r.stream, { seq: Number(r.seq), hash: r.hash }]));
    },
    async write(rows, heads) {
      await client.query('begin');
      try {
        for (const table of Object.keys(COLUMNS) as Table[]) {
          const all = rows[table];
          if (all.length === 0) continue;
          const columns = Object.entries(COLUMNS[table]) as [string, PgType][];
          // One statement per table and chunk: a column per array parameter, unnested into rows.
          const arrays = columns.map((_, c) => all.map((row) => row[c]));
          const text = `insert into "${table}" (${columns.map(([name]) => `"${name}"`).join(', ')}) select * from unnest(${columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')})`;
          await client.query(text, arrays);
        }
        const streams = [...heads.keys()];
        await client.query(
          'insert into journal_head (stream, seq, hash) select * from unnest($1::text[], $2::bigint[], $3::text[]) on conflict (stream) do update set seq = excluded.seq, hash = excluded.hash',
          [streams, streams.map((s) => heads.get(s)!.seq), streams.map((s) => heads.get(s)!.hash)],
        );
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw error;
      }
    },
    async close() {
      await client.end();
    },
  };
}

/** Seeds `shape.subjects` more subjects; safe to call again on the same database (it appends). */
export async function bulkSeed(location: StoreLocation, shape: SeedShape): Promise<SeedResult> {
  const started = performance.now();
  const writer = location.engine === 'sqlite' ? sqliteWriter(location.path) : await postgresWriter(location.url);
  const chunk = shape.chunk ?? 1000;
  const random = mulberry32(shape.subjects * 7919 + shape.itemsPerSubject);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
  let items = 0;
  let events = 0;
  try {
    const heads = await writer.heads();
    for (let first = 0; first < shape.subjects; first += chunk) {
      const rows = emptyRows();
      const moved = new Map<string, { seq: number; hash: string }>();
      const event = (subjectId: string, at: number, operation: string, purpose: string | null, categories: string[], details: Record<string, unknown>) => {
        const stream = streamFor(subjectId);
        const head = heads.get(stream) ?? { seq: 0, hash: '0'.repeat(64) };
        const next = { seq: head.seq + 1, hash: hex64() };
        rows.journal_event.push([stream, next.seq, randomUUID(), at, 'apikey:seed0001', operation, subjectId, purpose, JSON.stringify(categories), JSON.stringify(details), head.hash, next.hash]);
        heads.set(stream, next);
        moved.set(stream, next);
        events++;
      };
      for (let n = first; n < Math.min(shape.subjects, first + chunk); n++) {
        const subjectId = randomUUID();
        const createdAt = shape.now - Math.floor(random() * YEAR);
        const roll = random();
        const state = roll < 0.96 ? 'active' : roll < 0.98 ? 'erased' : 'depersonalized';
        const active = state === 'active';
        rows.subject.push([subjectId, state, pick(['KZ', 'KZ', 'EU', null]), pick(['ru', 'kk', 'en']), active ? 'kek-seed' : null, active ? sealedLike(60) : null, createdAt, createdAt, 0]);
        if (active) {
          rows.subject_identifier.push([randomUUID(), subjectId, 'email', sealedLike(32), sealedLike(48), createdAt]);
          if (random() < 0.5) rows.subject_identifier.push([randomUUID(), subjectId, 'phone', sealedLike(32), sealedLike(40), createdAt]);
        }
        event(subjectId, createdAt, 'collection', null, ['user.contact.email'], { kind: 'identifiers', count: 1, newSubject: true });

        const count = 1 + Math.floor(random() * (2 * shape.itemsPerSubject - 1));
        for (let i = 0; i < count; i++) {
          const collectedAt = createdAt + Math.floor(random() * DAY * 30);
          const marketing = random() < 0.2;
          const category = marketing ? pick(['user.name', 'user.contact.email']) : pick(ORDERS_CATEGORIES);
          const itemRoll = random();
          const itemState = !active ? (state === 'erased' ? 'destroyed' : 'depersonalized') : itemRoll < 0.9 ? 'active' : itemRoll < 0.95 ? 'destroyed' : 'depersonalized';
          const itemId = randomUUID();
          rows.data_item.push([
            itemId,
            subjectId,
            category,
            itemState === 'active' ? sealedLike(56) : '',
            JSON.stringify([marketing ? 'marketing' : 'orders']),
            'direct',
            collectedAt,
            marketing ? null : collectedAt + 3 * YEAR,
            itemState,
            shape.policyVersion,
            collectedAt,
            1,
          ]);
          items++;
          const purpose = marketing ? 'marketing' : 'orders';
          event(subjectId, collectedAt, 'collection', purpose, [category], { items: [itemId], sources: ['direct'], policyVersion: shape.policyVersion });
          // The collection above, the identifier, consent and transfer events make up the rest (~1.5 per item).
          const later = Math.max(0, Math.floor(shape.eventsPerItem - 1.5 + random()));
          for (let e = 0; e < later; e++) event(subjectId, collectedAt + Math.floor(random() * DAY * 60), pick(OPERATIONS), purpose, [category], { items: [itemId], policyVersion: shape.policyVersion });
        }

        const consentRoll = random();
        if (active && consentRoll < 0.8) {
          const givenAt = createdAt + Math.floor(random() * DAY);
          const givenId = randomUUID();
          const withdrawn = consentRoll >= 0.6;
          rows.consent_record.push(consentRow(givenId, subjectId, 1, 'given', withdrawn ? 0 : 1, givenAt, shape.policyVersion, null));
          event(subjectId, givenAt, 'recording', 'marketing', ['user.name'], { record: 'consent', consentId: givenId, event: 'given' });
          if (withdrawn) {
            const withdrawnId = randomUUID();
            rows.consent_record.push(consentRow(withdrawnId, subjectId, 2, 'withdrawn', 1, givenAt + DAY * 20, shape.policyVersion, givenId));
            event(subjectId, givenAt + DAY * 20, 'recording', 'marketing', [], { record: 'consent', consentId: withdrawnId, event: 'withdrawn' });
          }
        }
        if (active && random() < 0.1) rows.opt_out_signal.push([randomUUID(), subjectId, 'gpc', null, createdAt + DAY, 'apikey:seed0001', 'sec-gpc-header', shape.policyVersion]);
        if (active && random() < 0.03) rows.opt_out_signal.push([randomUUID(), subjectId, 'objection', 'marketing', createdAt + DAY, 'apikey:seed0001', 'api', shape.policyVersion]);
        if (active && random() < 0.05) {
          const lifted = random() < 0.5;
          rows.data_block.push([randomUUID(), subjectId, random() < 0.5 ? null : JSON.stringify(['user.contact.address']), 'accuracy-disputed', createdAt + DAY, 'staff:seed', lifted ? createdAt + 2 * DAY : null, lifted ? 'staff:seed' : null]);
        }
        const disclosures = active && random() < 0.3 ? 1 + Math.floor(random() * 2) : 0;
        for (let d = 0; d < disclosures; d++) {
          const at = createdAt + Math.floor(random() * DAY * 60);
          const id = randomUUID();
          rows.disclosure.push([id, subjectId, 'courier', 'processor', 'KZ', 0, null, 'orders', JSON.stringify(['user.name', 'user.contact.address']), JSON.stringify(['GDPR: contract']), shape.policyVersion, at, 'apikey:seed0001']);
          event(subjectId, at, 'transfer', 'orders', ['user.name', 'user.contact.address'], { disclosure: id, recipient: 'courier', country: 'KZ', crossBorder: false });
        }
      }
      await writer.write(rows, moved);
      shape.onProgress?.(`seeded ${Math.min(shape.subjects, first + chunk)}/${shape.subjects} subjects (${items} items, ${events} events, ${((performance.now() - started) / 1000).toFixed(0)} s)`);
    }
  } finally {
    await writer.close();
  }
  return { subjects: shape.subjects, items, events, seconds: (performance.now() - started) / 1000 };
}

function consentRow(id: string, subjectId: string, seq: number, event: 'given' | 'withdrawn', current: number, at: number, policyVersion: number, previousId: string | null): Value[] {
  const given = event === 'given';
  return [
    id,
    subjectId,
    seq,
    'marketing',
    'purpose',
    event,
    current,
    at,
    'apikey:seed0001',
    policyVersion,
    0,
    0,
    0,
    JSON.stringify(['user.name', 'user.contact.email']),
    given ? 'P2Y' : null,
    given ? at + 2 * YEAR : null,
    'web-form',
    'ru',
    given ? hex64() : null,
    null,
    given ? sealedLike(40) : null,
    previousId,
    null,
  ];
}
