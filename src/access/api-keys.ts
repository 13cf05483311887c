/**
 * API keys for service callers. A key is shown once, at creation; the store keeps only a
 * SHA-256 of its secret (the secret is 256 random bits, so a slow password hash would add
 * latency without adding safety).
 *
 * Format: `cust_<keyId>_<secret>` — the id finds the row, the secret proves possession.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.js';
import { CustodianError } from '../errors.js';
import type { Store } from '../store/store.js';
import type { UnitOfWorkRunner } from '../store/unit-of-work.js';

export const SCOPES = [
  'admin',
  'policy:read',
  'policy:write',
  'subjects:read',
  'subjects:write',
  'data:read',
  'data:write',
  'journal:read',
  'decisions',
  'consents:read',
  'consents:write',
  'disclosures:read',
  'disclosures:write',
  'requests:read',
  'requests:write',
  'requests:verify',
] as const;
export type Scope = (typeof SCOPES)[number];

export interface ApiKeyPrincipal {
  keyId: string;
  name: string;
  scopes: Scope[];
}

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

export function hasScope(principal: ApiKeyPrincipal, scope: Scope): boolean {
  return principal.scopes.includes('admin') || principal.scopes.includes(scope);
}

const FORMAT = /^cust_([a-f0-9]{16})_([A-Za-z0-9_-]{43})$/;

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/**
 * How long a verified key is trusted without asking the store. A revocation applies at once
 * in this process and, on PostgreSQL, on every node (the `apikey` change event); this TTL
 * bounds it where no event can arrive (SQLite shared with a CLI process, a lost notification).
 */
const VERIFIED_TTL_MS = 10_000;

/** Change events about API keys (`key`: the key id): nodes drop it from their verified cache. */
export const APIKEY_TOPIC = 'apikey';

export class ApiKeys {
  /** Touching last_used_at on every request would make each read a write; once a minute is enough. */
  private readonly lastTouched = new Map<string, number>();
  /** Verified keys by the hash of the whole presented key, so a hit proves the secret too. */
  private readonly verified = new Map<string, { principal: ApiKeyPrincipal; until: number }>();

  constructor(private readonly deps: { store: Store; work: UnitOfWorkRunner; clock: Clock }) {}

  private get store(): Store {
    return this.deps.store;
  }

  private get clock(): Clock {
    return this.deps.clock;
  }

  async create(name: string, scopes: string[]): Promise<{ id: string; key: string; scopes: Scope[] }> {
    const problems = [
      ...(name.trim().length === 0 || name.length > 100 ? [{ path: 'name', message: 'name must be 1–100 characters' }] : []),
      ...(scopes.length === 0 ? [{ path: 'scopes', message: 'at least one scope is required' }] : []),
      ...scopes.flatMap((s, i) =>
        s.trim() === ''
          ? [{ path: `scopes[${i}]`, message: 'is empty' }]
          : // Only known scope names are repeated back: anything else may be a misplaced secret.
            isScope(s)
            ? []
            : [{ path: `scopes[${i}]`, message: `unknown scope; known: ${SCOPES.join(', ')}` }],
      ),
    ];
    if (problems.length > 0) throw new CustodianError('validation_failed', 'Invalid API key request', problems);
    const id = randomBytes(8).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const unique = [...new Set(scopes)] as Scope[];
    await this.store.db
      .insertInto('api_key')
      .values({ id, name: name.trim(), secret_hash: hashSecret(secret), scopes: JSON.stringify(unique), created_at: this.clock.now(), last_used_at: null, revoked_at: null })
      .execute();
    return { id, key: `cust_${id}_${secret}`, scopes: unique };
  }

  /** Resolves a presented key to its principal, or undefined when unknown, wrong or revoked. */
  async authenticate(presented: string): Promise<ApiKeyPrincipal | undefined> {
    const match = FORMAT.exec(presented);
    if (!match) return undefined;
    const cacheKey = hashSecret(presented);
    const cached = this.verified.get(cacheKey);
    if (cached && cached.until > performance.now()) return cached.principal;
    const [, id, secret] = match;
    const row = await this.store.db.selectFrom('api_key').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || row.revoked_at !== null) return undefined;
    const expected = Buffer.from(row.secret_hash, 'hex');
    if (!timingSafeEqual(expected, Buffer.from(hashSecret(secret), 'hex'))) return undefined;
    const now = this.clock.now();
    if (now - (this.lastTouched.get(id) ?? 0) > 60_000) {
      this.lastTouched.set(id, now);
      await this.store.db.updateTable('api_key').set({ last_used_at: now }).where('id', '=', id).execute();
    }
    const principal = { keyId: id, name: row.name, scopes: JSON.parse(row.scopes) as Scope[] };
    if (this.verified.size > 10_000) this.verified.clear();
    this.verified.set(cacheKey, { principal, until: performance.now() + VERIFIED_TTL_MS });
    return principal;
  }

  async revoke(id: string): Promise<boolean> {
    this.forget(id);
    return this.deps.work.run(async (uow) => {
      const result = await uow.trx.updateTable('api_key').set({ revoked_at: this.clock.now() }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
      const revoked = Number(result.numUpdatedRows) > 0;
      if (revoked) uow.afterCommit({ topic: APIKEY_TOPIC, key: id });
      return revoked;
    });
  }

  /** Drops a key from the verified cache, so its next use asks the store. */
  forget(keyId: string): void {
    for (const [key, entry] of this.verified) if (entry.principal.keyId === keyId) this.verified.delete(key);
  }

  /** Drops every verified key (after this node may have missed change events). */
  forgetAll(): void {
    this.verified.clear();
  }

  async list(): Promise<{ id: string; name: string; scopes: Scope[]; createdAt: number; lastUsedAt: number | null; revokedAt: number | null }[]> {
    const rows = await this.store.db.selectFrom('api_key').selectAll().orderBy('created_at').execute();
    return rows.map((r) => ({ id: r.id, name: r.name, scopes: JSON.parse(r.scopes) as Scope[], createdAt: Number(r.created_at), lastUsedAt: r.last_used_at === null ? null : Number(r.last_used_at), revokedAt: r.revoked_at === null ? null : Number(r.revoked_at) }));
  }
}
