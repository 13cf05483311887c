/**
 * Data backups that carry no key, and restoring them against the key store in place.
 *
 * A data backup is the data schema only: subjects' and acts' wrapped keys live in the key
 * schema (`custodian_keys`, on SQLite a file of its own) and are left out, and so are the
 * system keys (`key_material`: the blind-index, journal and link keys, wrapped by the KEK).
 * What the backup holds is ciphertext under keys it does not contain, so once a subject's
 * key is destroyed no copy of this backup can bring the subject back.
 *
 * - SQLite: SQLite's online backup API copies the main database page by page, consistent
 *   while the server keeps writing (progress in pages); the copy's `key_material` rows are
 *   then deleted with `secure_delete` and the file vacuumed into one rollback-journal file.
 * - PostgreSQL: `pg_dump --format=custom --schema=public --exclude-table-data=key_material`
 *   (a consistent snapshot; progress per table). `pg_dump` and `pg_restore` of the server's
 *   major version must be on the PATH.
 *
 * Restore (server stopped) replaces the data schema with the backup's and keeps the key
 * store and the system keys of the installation as they are now.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, openSync, readSync, closeSync, renameSync, rmSync } from 'node:fs';
import SqliteDatabase from 'better-sqlite3';
import { SetupError } from '../errors.js';
import type { StoreLocation } from './store.js';
import type { KeyMaterialTable } from './tables.js';

export interface BackupProgress {
  /** `pages` on SQLite, `tables` on PostgreSQL. */
  unit: 'pages' | 'tables';
  done: number;
  total?: number;
}

const SQLITE_MAGIC = 'SQLite format 3\u0000';
const PG_MAGIC = 'PGDMP';

/** Writes a data backup of `location` to `out` (through a temporary file, renamed at the end). */
export async function backupData(location: StoreLocation, out: string, onProgress?: (p: BackupProgress) => void): Promise<void> {
  const tmp = `${out}.partial`;
  rmSync(tmp, { force: true });
  try {
    if (location.engine === 'sqlite') await backupSqlite(location.path, tmp, onProgress);
    else await backupPostgres(location.url, tmp, onProgress);
    renameSync(tmp, out);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

async function backupSqlite(path: string, tmp: string, onProgress?: (p: BackupProgress) => void): Promise<void> {
  if (!existsSync(path)) throw new SetupError(`${path}: no database to back up`);
  const source = new SqliteDatabase(path, { fileMustExist: true });
  try {
    source.pragma('busy_timeout = 5000');
    await source.backup(tmp, {
      progress({ totalPages, remainingPages }) {
        onProgress?.({ unit: 'pages', done: totalPages - remainingPages, total: totalPages });
        return 256;
      },
    });
  } finally {
    source.close();
  }
  const copy = new SqliteDatabase(tmp);
  try {
    copy.pragma('secure_delete = ON');
    copy.exec('delete from key_material');
    copy.pragma('journal_mode = DELETE');
    copy.exec('vacuum');
  } finally {
    copy.close();
  }
}

function pgArgs(url: string): { args: string[]; env: NodeJS.ProcessEnv } {
  // The password goes through the environment, never onto a command line others can read.
  const parsed = new URL(url);
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (parsed.password) env.PGPASSWORD = decodeURIComponent(parsed.password);
  parsed.password = '';
  return { args: [`--dbname=${parsed.toString()}`], env };
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, onStderrLine?: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let tail = '';
    let buffered = '';
    child.stderr.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        onStderrLine?.(line);
        if (/error|fatal/i.test(line)) tail = line;
      }
    });
    child.on('error', (error) => reject((error as NodeJS.ErrnoException).code === 'ENOENT' ? new SetupError(`${command} is not installed (it must be on the PATH, of the PostgreSQL server's major version)`) : error));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new SetupError(`${command} failed (exit ${code})${tail ? `: ${tail.replace(/postgres(ql)?:\/\/\S+/g, 'postgres://…')}` : ''}`))));
  });
}

async function backupPostgres(url: string, tmp: string, onProgress?: (p: BackupProgress) => void): Promise<void> {
  const { args, env } = pgArgs(url);
  let tables = 0;
  await run('pg_dump', ['--format=custom', '--schema=public', '--exclude-table-data=key_material', '--no-owner', '--verbose', `--file=${tmp}`, ...args], env, (line) => {
    if (/dumping contents of table/.test(line)) onProgress?.({ unit: 'tables', done: ++tables });
  });
}

/** What kind of file this is: a SQLite or a PostgreSQL data backup, or neither. */
export function backupKind(file: string): 'sqlite' | 'postgres' | undefined {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(16);
    readSync(fd, head, 0, 16, 0);
    const text = head.toString('latin1');
    if (text === SQLITE_MAGIC) return 'sqlite';
    if (text.startsWith(PG_MAGIC)) return 'postgres';
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * Replaces the data of `location` with the backup in `file`, keeping the key store and the
 * current system keys. The server must be stopped. Migrations then bring the restored
 * schema up to date (the caller opens Custodian, which runs them).
 */
export async function restoreData(location: StoreLocation, file: string, onProgress?: (p: BackupProgress) => void): Promise<void> {
  const kind = backupKind(file);
  if (kind !== location.engine) throw new SetupError(kind ? `${file} is a ${kind} backup, but CUSTODIAN_DATABASE_URL is ${location.engine}` : `${file} is not a Custodian data backup`);
  if (location.engine === 'sqlite') await restoreSqlite(location.path, file);
  else await restorePostgres(location.url, file, onProgress);
}

function checkSqliteBackup(file: string): void {
  const backup = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  try {
    const tables = new Set((backup.prepare(`select name from sqlite_master where type = 'table'`).all() as { name: string }[]).map((r) => r.name));
    if (!tables.has('subject') || !tables.has('key_material')) throw new SetupError(`${file} is not a Custodian data backup`);
    // A copy with keys in it (a raw file copy, a backup from before the key store) would bring erased subjects back.
    const keyed = backup.prepare('select (select count(*) from key_material) + (select count(*) from subject where wrapped_key is not null) as n').get() as { n: number };
    if (keyed.n > 0) throw new SetupError(`${file} holds keys: it is not a backup written by \`custodian backup\`, and restoring it could bring erased subjects back`);
  } finally {
    backup.close();
  }
}

async function restoreSqlite(path: string, file: string): Promise<void> {
  checkSqliteBackup(file);
  const system = existsSync(path) ? readSystemKeysSqlite(path) : [];
  for (const suffix of ['-wal', '-shm', '']) rmSync(`${path}${suffix}`, { force: true });
  copyFileSync(file, path);
  const restored = new SqliteDatabase(path);
  try {
    restored.pragma('journal_mode = WAL');
    const insert = restored.prepare('insert or ignore into key_material (purpose, kek_id, wrapped, public_key, created_at) values (@purpose, @kek_id, @wrapped, @public_key, @created_at)');
    restored.transaction(() => system.forEach((row) => insert.run(row)))();
  } finally {
    restored.close();
  }
}

function readSystemKeysSqlite(path: string): KeyMaterialTable[] {
  const current = new SqliteDatabase(path, { fileMustExist: true });
  try {
    return current.prepare('select purpose, kek_id, wrapped, public_key, created_at from key_material').all() as KeyMaterialTable[];
  } catch {
    return [];
  } finally {
    current.close();
  }
}

async function restorePostgres(url: string, file: string, onProgress?: (p: BackupProgress) => void): Promise<void> {
  const { args, env } = pgArgs(url);
  const listing: string[] = [];
  await runCollect('pg_restore', ['--list', file], env, listing).catch(() => {
    throw new SetupError(`${file} is not a Custodian data backup`);
  });
  const entries = listing.join('\n');
  if (!/ TABLE public subject /.test(entries)) throw new SetupError(`${file} is not a Custodian data backup`);
  if (/ TABLE DATA public key_material /.test(entries) || / SCHEMA - custodian_keys /.test(entries)) {
    throw new SetupError(`${file} holds keys: it is not a backup written by \`custodian backup\`, and restoring it could bring erased subjects back`);
  }
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const system = (await client.query<KeyMaterialTable>('select purpose, kek_id, wrapped, public_key, created_at from key_material').catch(() => ({ rows: [] as KeyMaterialTable[] }))).rows;
    // The data schema is set aside, not dropped, until the backup is in; the key schema stays as it is.
    await client.query('drop schema if exists custodian_restore_previous cascade');
    await client.query('alter schema public rename to custodian_restore_previous');
    let tables = 0;
    try {
      await run('pg_restore', ['--no-owner', '--exit-on-error', '--single-transaction', '--verbose', ...args, file], env, (line) => {
        if (/processing data for table/.test(line)) onProgress?.({ unit: 'tables', done: ++tables });
      });
      const keyed = await client.query<{ n: string }>('select (select count(*) from public.key_material) + (select count(*) from public.subject where wrapped_key is not null) as n');
      if (Number(keyed.rows[0].n) > 0) throw new SetupError(`${file} holds keys: it is not a backup written by \`custodian backup\``);
    } catch (error) {
      await client.query('drop schema if exists public cascade');
      await client.query('alter schema custodian_restore_previous rename to public');
      throw error;
    }
    for (const row of system) {
      await client.query('insert into public.key_material (purpose, kek_id, wrapped, public_key, created_at) values ($1, $2, $3, $4, $5) on conflict (purpose) do nothing', [row.purpose, row.kek_id, row.wrapped, row.public_key, row.created_at]);
    }
    await client.query('drop schema custodian_restore_previous cascade');
  } finally {
    await client.end();
  }
}

function runCollect(command: string, args: string[], env: NodeJS.ProcessEnv, lines: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      lines.push(...out.split('\n'));
      code === 0 ? resolve() : reject(new SetupError(`${command} failed (exit ${code})`));
    });
  });
}
