/**
 * Doing what a request asks, in the vault, through the paths that already exist for each
 * act: the purpose-free read of everything held (access, portability), `Vault.rectify`,
 * `Blocks` (restriction, stop processing, limiting sensitive data), `Consents` (withdrawal,
 * objection, opt-out of sale and sharing), and `Erasure` (crypto-shredding). Each of those
 * journals its own act; this file journals the release of a package and moves the request
 * to `completed` with what was done, in counts and category ids.
 */
import type { Clock, IdSource } from '../clock.js';
import type { Consents } from '../consent/consents.js';
import { sensitiveCategories } from '../consent/receipts.js';
import { newDataKey, open, seal, valueContext } from '../crypto/envelope.js';
import type { KeyService, WrappedKey } from '../crypto/keys.js';
import type { Disclosure, Disclosures } from '../disclosures/disclosures.js';
import { CustodianError, notFound } from '../errors.js';
import type { Journal } from '../journal/journal.js';
import type { LawId } from '../law/index.js';
import { type Locale, LOCALES, localize } from '../policy/model.js';
import type { PolicyVersions } from '../policy/versions.js';
import type { Store } from '../store/store.js';
import type { UnitOfWork, UnitOfWorkRunner } from '../store/unit-of-work.js';
import type { Blocks } from '../vault/blocking.js';
import type { Erasure } from '../vault/erasure.js';
import type { Subjects } from '../vault/subjects.js';
import type { DataValue, Vault } from '../vault/vault.js';
import { type AccessPackage, type DisclosureFact, type PackageItem, packageInformation, packageZip } from './access-package.js';
import type { RequestOutcome, RightsRequest } from './model.js';
import { type RecipientsTold, TOLD_TYPES } from './recipients-told.js';
import type { RightsRequests } from './requests.js';
import type { RightsRequestTable } from './tables.js';

/** How long a package stays downloadable before the expiry job deletes its content. */
export const PACKAGE_TTL_MS = 30 * 24 * 3600_000;
/** How long a download link works. */
export const DOWNLOAD_LINK_TTL_MS = 7 * 24 * 3600_000;

export interface FulfilmentInput {
  /** Rectification: the corrected values, by item. */
  corrections?: { itemId: string; value: DataValue }[];
  /** Withdrawal, objection: which purposes (default every one the act applies to). */
  purposes?: string[];
  /** Restriction: which categories (default the whole subject). */
  categories?: string[];
}

export interface FulfilmentDeps {
  store: Store;
  work: UnitOfWorkRunner;
  subjects: Subjects;
  keys: KeyService;
  journal: Journal;
  policies: PolicyVersions;
  clock: Clock;
  ids: IdSource;
  requests: RightsRequests;
  vault: Vault;
  blocks: Blocks;
  consents: Consents;
  disclosures: Disclosures;
  erasure: Erasure;
  recipientsTold: RecipientsTold;
  publicUrl?: string;
}

export class Fulfilment {
  constructor(private readonly deps: FulfilmentDeps) {}

  /** Fulfils an in-progress request in the vault and completes it. */
  async fulfil(requestId: string, input: FulfilmentInput, actor: string): Promise<RightsRequest> {
    const { requests, work } = this.deps;
    const request = await requests.get(requestId);
    if (request.state !== 'in-progress') throw new CustodianError('conflict', `A request that is ${request.state} cannot be fulfilled`, [{ path: 'id', message: `request is ${request.state}` }]);
    if (!request.subjectId) {
      // Nobody matched: the answer is that nothing is held.
      return work.run(async (uow) => requests.complete(uow, requestId, { subjectFound: false }, actor));
    }
    const subjectId = request.subjectId;
    // Who received the data, read before the change (and before the unit of work, which on SQLite holds the one connection).
    const told = (TOLD_TYPES as readonly string[]).includes(request.type) ? await this.deps.disclosures.forSubject(subjectId) : undefined;
    switch (request.type) {
      case 'access':
      case 'portability':
      {
        const kind = request.type === 'portability' ? 'portability' : 'access';
        // Read before the unit of work: on SQLite it holds the one connection until it commits.
        const disclosures = kind === 'access' ? await this.deps.disclosures.forSubject(subjectId) : [];
        return work.run(async (uow) => {
          const row = await requests.forFulfilment(uow, requestId);
          const pkg = await this.makePackage(uow, row, kind, disclosures, actor);
          return requests.complete(uow, requestId, { subjectFound: true, packageId: pkg.id, done: countByCategory(pkg.items) }, actor);
        });
      }
      case 'rectification': {
        const corrections = input.corrections ?? [];
        if (corrections.length === 0) throw new CustodianError('validation_failed', 'A rectification needs the corrected values', [{ path: 'corrections', message: 'at least one correction is required' }]);
        const done: PackageItem[] = [];
        for (const c of corrections) done.push(await this.rectifyOne(subjectId, c, actor));
        return this.complete(requestId, { subjectFound: true, done: countByCategory(done) }, actor, told);
      }
      case 'restriction':
      case 'stop-processing': {
        const block = await this.deps.blocks.block(subjectId, { categories: request.type === 'restriction' ? input.categories : undefined, reason: 'subject-request' }, actor);
        return this.complete(requestId, { subjectFound: true, done: (block.categories ?? ['*']).map((category) => ({ category, items: 0 })) }, actor, told);
      }
      case 'limit-sensitive': {
        const policy = this.deps.policies.active().index.policy;
        const sensitive = sensitiveCategories(policy, policy.categories.map((c) => c.id)).map((c) => c.id);
        if (sensitive.length > 0) await this.deps.blocks.block(subjectId, { categories: sensitive, reason: 'subject-request' }, actor);
        return this.complete(requestId, { subjectFound: true, done: sensitive.map((category) => ({ category, items: 0 })) }, actor);
      }
      case 'withdrawal': {
        const prefs = await this.deps.consents.subjectPreferences(this.deps.store.db, subjectId);
        const now = this.deps.clock.now();
        const given = Object.entries(prefs.purposes)
          .filter(([, p]) => p.consent?.event === 'given' && (p.consent.validUntil === null || p.consent.validUntil > now))
          .map(([id]) => id);
        const purposes = input.purposes ?? given;
        for (const purpose of purposes) await this.deps.consents.withdraw(subjectId, purpose, { channel: channelOf(request.channel) }, actor);
        return this.complete(requestId, { subjectFound: true, purposes }, actor);
      }
      case 'objection': {
        const policy = this.deps.policies.active().index.policy;
        const open = policy.purposes.filter((p) => p.marketing || p.legalBasis.gdpr === 'legitimate-interests' || p.legalBasis.gdpr === 'public-task').map((p) => p.id);
        const purposes = input.purposes ?? open;
        for (const purpose of purposes) await this.deps.consents.object(subjectId, purpose, actor);
        return this.complete(requestId, { subjectFound: true, purposes }, actor);
      }
      case 'opt-out': {
        const { saleSharingOptOut } = await this.deps.consents.recordGpc(subjectId, 'api', actor);
        return this.complete(requestId, { subjectFound: true, purposes: saleSharingOptOut ? ['sale', 'sharing'] : [] }, actor);
      }
      case 'erasure': {
        const result = await this.deps.erasure.erase(subjectId, { actor, reason: 'request', requestId });
        return this.complete(requestId, { subjectFound: true, done: result.erased, kept: result.kept.map((k) => ({ category: k.category, reason: k.reason, ...(k.article ? { article: k.article } : {}) })) }, actor, told);
      }
      case 'appeal':
        // An appeal is a second look by staff at an earlier answer; completing it records that it was decided.
        return this.complete(requestId, { subjectFound: true }, actor);
    }
  }

  /** The package of a request as JSON (what `?format=json` answers); its release is journaled. */
  async packageJson(requestId: string, actor: string): Promise<AccessPackage> {
    return JSON.parse((await this.readPackage(requestId, 'json', actor)).toString('utf8')) as AccessPackage;
  }

  /** The zipped package (JSON, CSV, HTML); its release is journaled. */
  async packageZip(requestId: string, actor: string): Promise<Buffer> {
    return this.readPackage(requestId, 'zip', actor);
  }

  /** A signed link to download the zip, working until it expires (and never after the package is deleted). */
  async downloadLink(requestId: string): Promise<{ url: string; expiresAt: number }> {
    if (!this.deps.publicUrl) throw new CustodianError('public_url_missing', 'Links need the public address Custodian is reached at (CUSTODIAN_PUBLIC_URL)');
    const pkg = await this.currentPackage(requestId);
    const expiresAt = Math.min(this.deps.clock.now() + DOWNLOAD_LINK_TTL_MS, Number(pkg.expires_at));
    const url = new URL('/privacy/requests/package', this.deps.publicUrl);
    url.searchParams.set('token', `${pkg.id}.${expiresAt.toString(36)}.${this.deps.keys.linkMac(`rights-package\u0000${pkg.id}\u0000${expiresAt}`)}`);
    return { url: url.href, expiresAt };
  }

  /** Follows a download link. */
  async download(token: string): Promise<Buffer> {
    const [packageId, expires36, signature] = token.split('.');
    const expiresAt = Number.parseInt(expires36 ?? '', 36);
    const invalid = new CustodianError('link_invalid', 'The link is not valid or has expired', [{ path: 'token', message: 'invalid or expired' }]);
    if (!packageId || !signature || !Number.isSafeInteger(expiresAt) || expiresAt <= this.deps.clock.now()) throw invalid;
    const expected = this.deps.keys.linkMac(`rights-package\u0000${packageId}\u0000${expiresAt}`);
    if (expected.length !== signature.length || !timingSafe(expected, signature)) throw invalid;
    const pkg = await this.deps.store.db.selectFrom('rights_package').select(['request_id', 'deleted_at']).where('id', '=', packageId).executeTakeFirst();
    if (!pkg || pkg.deleted_at !== null) throw invalid;
    return this.readPackage(pkg.request_id, 'zip', 'subject', packageId);
  }

  /** Deletes the content of packages past their time; the rows stay as the record that one was made. */
  async deleteExpiredPackages(): Promise<number> {
    const now = this.deps.clock.now();
    const result = await this.deps.work.run(async (uow) =>
      uow.trx.updateTable('rights_package').set({ content_enc: null, json_enc: null, content_key: null, deleted_at: now }).where('deleted_at', 'is', null).where('expires_at', '<=', now).executeTakeFirst(),
    );
    return Number(result.numUpdatedRows);
  }

  private async complete(requestId: string, outcome: RequestOutcome, actor: string, told?: readonly Disclosure[]): Promise<RightsRequest> {
    return this.deps.work.run(async (uow) => {
      const recipientsTold = told ? await this.deps.recipientsTold.queue(uow, requestId, told) : undefined;
      return this.deps.requests.complete(uow, requestId, recipientsTold === undefined ? outcome : { ...outcome, recipientsTold }, actor);
    });
  }

  private async rectifyOne(subjectId: string, correction: { itemId: string; value: DataValue }, actor: string): Promise<PackageItem> {
    const item = await this.deps.vault.rectify(subjectId, correction.itemId, correction.value, actor);
    return { id: item.id, category: item.category, value: null, purposes: item.purposes, source: item.source, collectedAt: '', retentionDueAt: null, state: item.state };
  }

  private async makePackage(uow: UnitOfWork, request: RightsRequestTable, kind: 'access' | 'portability', disclosures: readonly DisclosureFact[], actor: string): Promise<{ id: string; items: PackageItem[] }> {
    const { subjects, keys, journal, policies, clock, ids } = this.deps;
    const subjectId = request.subject_id!;
    const subject = await subjects.lock(uow, subjectId, { mode: 'share' });
    const key = subjects.key(subject);
    const { trx } = uow;
    const rows = await trx.selectFrom('data_item').selectAll().where('subject_id', '=', subjectId).where('state', 'in', ['active', 'blocked']).orderBy('collected_at').orderBy('id').execute();
    const identifiers = await trx.selectFrom('subject_identifier').selectAll().where('subject_id', '=', subjectId).orderBy('created_at').orderBy('id').execute();
    const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());
    let items: PackageItem[] = rows.map((r) => ({
      id: r.id,
      category: r.category,
      value: JSON.parse(open(key, r.value_enc, valueContext(subjectId, r.id, r.category)).toString('utf8')),
      purposes: JSON.parse(r.purposes) as string[],
      source: r.source,
      collectedAt: iso(Number(r.collected_at))!,
      retentionDueAt: iso(r.retention_due_at === null ? null : Number(r.retention_due_at)),
      state: r.state,
    }));
    // Portability covers only what the person provided (GDPR art. 20(1)).
    if (kind === 'portability') items = items.filter((i) => i.source === 'direct');
    const active = policies.active();
    const policy = active.index.policy;
    const locale = pickLocale(request.locale ?? subject.locale, policy.defaultLocale);
    const now = clock.now();
    const pkg: AccessPackage = {
      kind,
      requestId: request.id,
      generatedAt: new Date(now).toISOString(),
      locale,
      subject: {
        id: subjectId,
        jurisdiction: subject.jurisdiction,
        locale: subject.locale,
        createdAt: new Date(Number(subject.created_at)).toISOString(),
        identifiers: identifiers.map((i) => ({ type: i.type, value: open(key, i.value_enc, valueContext(subjectId, i.id, `identifier:${i.type}`)).toString('utf8') })),
      },
      vault: items,
      systems: [],
      information: kind === 'access' ? packageInformation(policy, locale, items, disclosures, JSON.parse(request.laws) as LawId[]) : {},
    };
    const zip = packageZip(pkg, localize(policy.operator.name, locale, policy.defaultLocale));
    const packageKey = newDataKey();
    const id = ids.next();
    const wrapped = keys.wrap(packageKey, `package:${id}`);
    await trx
      .insertInto('rights_package')
      .values({
        id,
        request_id: request.id,
        subject_id: subjectId,
        content_enc: seal(packageKey, zip, `rights-package:${id}:zip`),
        json_enc: seal(packageKey, Buffer.from(JSON.stringify(pkg)), `rights-package:${id}:json`),
        content_key: JSON.stringify(wrapped),
        created_at: now,
        expires_at: now + PACKAGE_TTL_MS,
        deleted_at: null,
      })
      .execute();
    await journal.append(trx, [
      {
        actor,
        operation: 'extraction',
        subjectId,
        categories: [...new Set(items.map((i) => i.category))],
        details: { record: 'rights-package', request: request.id, package: id, kind, items: items.length, identifiers: identifiers.length },
      },
    ]);
    return { id, items };
  }

  private async currentPackage(requestId: string, db: Pick<Store['db'], 'selectFrom'> = this.deps.store.db) {
    const pkg = await db.selectFrom('rights_package').selectAll().where('request_id', '=', requestId).orderBy('created_at', 'desc').orderBy('id', 'desc').executeTakeFirst();
    if (!pkg) throw notFound('Package', 'id');
    if (pkg.deleted_at !== null) throw new CustodianError('not_found', 'The package was deleted after its time', [{ path: 'id', message: 'package expired' }]);
    return pkg;
  }

  private async readPackage(requestId: string, format: 'json' | 'zip', actor: string, packageId?: string): Promise<Buffer> {
    return this.deps.work.run(async (uow) => {
      const pkg = await this.currentPackage(requestId, uow.trx);
      if (packageId && pkg.id !== packageId) throw new CustodianError('link_invalid', 'The link is not valid or has expired', [{ path: 'token', message: 'superseded' }]);
      const key = this.deps.keys.unwrap(JSON.parse(pkg.content_key!) as WrappedKey, `package:${pkg.id}`);
      const content = format === 'zip' ? open(key, pkg.content_enc!, `rights-package:${pkg.id}:zip`) : open(key, pkg.json_enc!, `rights-package:${pkg.id}:json`);
      await this.deps.journal.append(uow.trx, [{ actor, operation: 'extraction', subjectId: pkg.subject_id, details: { record: 'rights-package', request: requestId, package: pkg.id, output: format, to: 'data-subject' } }]);
      return content;
    });
  }
}

function countByCategory(items: readonly { category: string }[]): { category: string; items: number }[] {
  const counts = new Map<string, number>();
  for (const i of items) counts.set(i.category, (counts.get(i.category) ?? 0) + 1);
  return [...counts].map(([category, n]) => ({ category, items: n }));
}

function pickLocale(candidate: string | null, fallback: Locale): Locale {
  return (LOCALES as readonly string[]).includes(candidate ?? '') ? (candidate as Locale) : fallback;
}

function channelOf(channel: string): 'web-form' | 'api' | 'paper' | 'email' {
  return channel === 'web-form' || channel === 'email' ? channel : channel === 'post' ? 'paper' : 'api';
}

function timingSafe(a: string, b: string): boolean {
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
