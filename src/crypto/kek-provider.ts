/**
 * Where key-encryption keys (KEKs) come from. The KEK never touches the database: it wraps
 * the per-subject data keys and the system keys that do. Two providers:
 *
 * - `file`: a keyring file created on first start in the data dir (mode 0600);
 * - `env`: `CUSTODIAN_MASTER_KEY`, one or more `id:base64key` entries separated by commas,
 *   the first being active — so an operator rotates by prepending a new entry, running
 *   `custodian keys rotate`, then dropping the old one.
 *
 * A bare base64 value (no `id:`) is accepted for a single key and gets the id `env`.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SetupError } from '../errors.js';

export interface KekProvider {
  readonly kind: 'file' | 'env';
  /** The KEK new data keys are wrapped with. */
  readonly activeId: string;
  get(id: string): Buffer | undefined;
  ids(): string[];
  /** Adds a new active KEK (file provider only); returns its id. */
  addActive(): string;
  /** Forgets a KEK once nothing is wrapped with it any more (file provider only). */
  retire(id: string): void;
}

interface KeyringFile {
  version: 1;
  active: string;
  keys: Record<string, string>;
}

function decodeKey(b64: string, where: string): Buffer {
  const key = Buffer.from(b64.trim(), 'base64');
  if (key.length !== 32) throw new SetupError(`${where}: a key must be 32 bytes, base64-encoded (got ${key.length} bytes)`);
  return key;
}

export function newKekId(now: Date = new Date()): string {
  return `kek-${now.toISOString().slice(0, 10).replaceAll('-', '')}-${randomBytes(3).toString('hex')}`;
}

export function envKekProvider(value: string): KekProvider {
  const keys = new Map<string, Buffer>();
  const entries = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (entries.length === 0) throw new SetupError('CUSTODIAN_MASTER_KEY is empty');
  for (const entry of entries) {
    // Base64 has no colon, so `id:` is unambiguous.
    const named = /^([A-Za-z0-9._-]+):(.+)$/.exec(entry);
    const [id, b64] = named ? [named[1], named[2]] : ['env', entry];
    if (keys.has(id)) throw new SetupError(`CUSTODIAN_MASTER_KEY: key id "${id}" appears twice`);
    keys.set(id, decodeKey(b64, `CUSTODIAN_MASTER_KEY (key "${id}")`));
  }
  const activeId = keys.keys().next().value as string;
  return {
    kind: 'env',
    activeId,
    get: (id) => keys.get(id),
    ids: () => [...keys.keys()],
    addActive() {
      throw new SetupError('Keys come from CUSTODIAN_MASTER_KEY: prepend a new "id:base64" entry there, then run `custodian keys rotate`.');
    },
    retire() {
      // The operator removes retired keys from the environment themselves.
    },
  };
}

/**
 * The keyring file is re-read when it changes (checked at most once a second), so a
 * server keeps working while `custodian keys rotate` runs in another process.
 */
export function fileKekProvider(path: string): KekProvider {
  // A file system's timestamps are coarse (ext4: a few ms), so a keyring rewritten in the
  // tick of the last read keeps its mtime: the file's identity is inode, size and times,
  // and a forced check (an unknown key id, `ids()`) reads the file whatever they say.
  const stamp = () => {
    const s = statSync(path);
    return `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
  };
  let ring = loadOrCreate(path);
  let seen = stamp();
  let checkedAt = Date.now();
  const current = (force = false): KeyringFile => {
    const now = Date.now();
    if (force || now - checkedAt > 1000) {
      checkedAt = now;
      const latest = stamp();
      if (force || latest !== seen) {
        ring = loadOrCreate(path);
        seen = latest;
      }
    }
    return ring;
  };
  const save = (next: KeyringFile) => {
    const tmp = `${path}.tmp`;
    writeFileSync(tmp, JSON.stringify(next, null, 2), { mode: 0o600 });
    renameSync(tmp, path);
    chmodSync(path, 0o600);
    ring = next;
    seen = stamp();
  };
  return {
    kind: 'file',
    get activeId() {
      return current().active;
    },
    get(id) {
      const b64 = current().keys[id] ?? current(true).keys[id];
      return b64 ? decodeKey(b64, path) : undefined;
    },
    ids: () => Object.keys(current(true).keys),
    addActive() {
      const base = current(true);
      const id = newKekId();
      save({ ...base, active: id, keys: { [id]: randomBytes(32).toString('base64'), ...base.keys } });
      return id;
    },
    retire(id) {
      const base = current(true);
      if (id === base.active) throw new SetupError('Cannot retire the active key-encryption key');
      const { [id]: _retired, ...rest } = base.keys;
      save({ ...base, keys: rest });
    },
  };
}

function loadOrCreate(path: string): KeyringFile {
  if (existsSync(path)) {
    const mode = statSync(path).mode & 0o777;
    if (mode & 0o077) throw new SetupError(`${path}: the keyring must not be readable by group or others (mode ${mode.toString(8)}; run chmod 600)`);
    const ring = JSON.parse(readFileSync(path, 'utf8')) as KeyringFile;
    if (ring.version !== 1 || !ring.keys?.[ring.active]) throw new SetupError(`${path}: not a Custodian keyring (version 1 with an active key)`);
    return ring;
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const id = newKekId();
  const ring: KeyringFile = { version: 1, active: id, keys: { [id]: randomBytes(32).toString('base64') } };
  // `wx` fails if another process created it between our check and now.
  try {
    writeFileSync(path, JSON.stringify(ring, null, 2), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreate(path);
    throw error;
  }
  return ring;
}
