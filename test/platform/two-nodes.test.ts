/**
 * Two real `custodian serve` processes on one PostgreSQL database, as behind a load
 * balancer. What one node changes, the other obeys at once — a block, a consent
 * withdrawal, an API key revocation, a new policy version — because every committed unit
 * of work NOTIFYs the others, which drop what they cached. Without that push the other
 * node would go on answering from its caches for their TTLs (2 s for a subject, 10 s for
 * a key, 15 s for the policy); the issue asks for at most 100 ms.
 *
 * And a publish with a material change on one node does not hold up writes on the other:
 * its renewal marking runs in small batches after the version commits.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it, type TestContext } from 'node:test';
import { sql } from 'kysely';
import { type Custodian, openCustodian } from '../../src/custodian.js';
import { CHANGE_CHANNEL } from '../../src/store/unit-of-work.js';
import { marketingConsent } from '../support/consents.js';
import { DEMO_POLICY } from '../support/custodian.js';
import { createTestDatabase, engineSkip, type TestDatabase } from '../support/engines.js';
import { type ServeNode, startServeNode } from './serve-node.js';

const LIMIT_MS = 100;
const POLL_MS = 5;
/** Longer than the longest cache TTL, so a node that only obeys once its cache expires is measured, not timed out. */
const GIVE_UP_MS = 20_000;
const TRIALS = 3;

const demo = readFileSync(DEMO_POLICY, 'utf8');

interface Answer {
  status: number;
  body: any;
}

describe('two serving nodes on one PostgreSQL database', { skip: engineSkip('postgres') }, () => {
  let database: TestDatabase;
  /** In-process Custodian on the same database, for setup and for key revocation. */
  let admin: Custodian;
  let nodeA: ServeNode;
  let nodeB: ServeNode;
  let adminKey: string;
  const dirs: string[] = [];

  async function call(node: ServeNode, method: string, path: string, body?: unknown, key = adminKey): Promise<Answer> {
    const response = await fetch(`${node.base}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
  }

  async function expectStatus(answer: Promise<Answer>, status: number): Promise<any> {
    const { status: got, body } = await answer;
    assert.equal(got, status, JSON.stringify(body));
    return body;
  }

  const decide = async (node: ServeNode, subjectId: string, purpose: string, categories: string[]) =>
    (await expectStatus(call(node, 'POST', '/v1/decisions', { subjectId, purpose, operation: 'use', categories }), 200)) as { allow: boolean; reasons: { code: string }[] };

  const newSubject = async (node: ServeNode, label: string): Promise<string> =>
    (await expectStatus(call(node, 'POST', '/v1/subjects', { identifiers: [{ type: 'email', value: `${label}-${randomUUID().slice(0, 8)}@example.kz` }] }), 201)).id;

  const activeVersion = async (node: ServeNode): Promise<number> => (await expectStatus(call(node, 'GET', '/v1/policy'), 200)).publishedVersion.number;

  /**
   * Runs `change` (on A) and, from its acknowledgement, asks B every 5 ms until `obeyed`:
   * the milliseconds between the acknowledgement and B's first obeying answer.
   */
  async function propagation(change: () => Promise<void>, obeyed: () => Promise<boolean>): Promise<number> {
    await change();
    const acknowledged = performance.now();
    for (;;) {
      if (await obeyed()) return performance.now() - acknowledged;
      if (performance.now() - acknowledged > GIVE_UP_MS) return Infinity;
      await sleep(POLL_MS);
    }
  }

  /** Best of up to three trials (each set up and warmed afresh), reported and held to the limit. */
  async function bestOf(t: TestContext, what: string, trial: (n: number) => Promise<number>): Promise<void> {
    const figures: number[] = [];
    for (let n = 1; n <= TRIALS; n++) {
      figures.push(await trial(n));
      if (figures.at(-1)! <= LIMIT_MS) break;
    }
    const best = Math.min(...figures);
    t.diagnostic(`${what}: A acknowledged → B obeyed in ${figures.map((f) => `${f.toFixed(1)} ms`).join(', ')} (best ${best.toFixed(1)} ms, limit ${LIMIT_MS} ms)`);
    assert.ok(best <= LIMIT_MS, `${what}: B obeyed ${best.toFixed(1)} ms after A acknowledged; the limit is ${LIMIT_MS} ms`);
  }

  before(async () => {
    database = await createTestDatabase('postgres');
    const url = (database.location as { url: string }).url;
    const masterKey = `k1:${randomBytes(32).toString('base64')}`;
    // Migrates the database and creates the admin key before either node starts.
    admin = await openCustodian({ database: database.location, masterKey, keyringPath: join(database.dir, 'unused-keyring.json') });
    adminKey = (await admin.apiKeys.create('two-nodes', ['admin'])).key;
    const env = (name: string) => {
      const dir = mkdtempSync(join(tmpdir(), `custodian-node-${name}-`));
      dirs.push(dir);
      return {
        CUSTODIAN_DATABASE_URL: url,
        CUSTODIAN_MASTER_KEY: masterKey,
        CUSTODIAN_KEYRING: '',
        CUSTODIAN_PORT: '0',
        CUSTODIAN_HOST: '127.0.0.1',
        CUSTODIAN_POLICY: DEMO_POLICY,
        CUSTODIAN_DATA_DIR: dir,
        CUSTODIAN_LOG_LEVEL: 'warn',
        CUSTODIAN_SMTP_URL: '',
      };
    };
    nodeA = await startServeNode(env('a'));
    nodeB = await startServeNode(env('b'));
    await admin.policies.refresh();
  });

  after(async () => {
    await Promise.all([nodeA?.stop(), nodeB?.stop()]);
    await admin?.close();
    await database?.drop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('both nodes serve the same published policy with the shared keys', async () => {
    const [a, b] = await Promise.all([activeVersion(nodeA), activeVersion(nodeB)]);
    assert.equal(a, 1);
    assert.equal(b, 1, 'B found the version A published and did not publish its own copy');
    // A subject made on A, with data collected on A, is readable on B: the keys are shared.
    const id = await newSubject(nodeA, 'shared');
    await expectStatus(call(nodeA, 'POST', `/v1/subjects/${id}/data`, { items: [{ category: 'user.name', value: 'Shared Keys Person', purpose: 'orders', source: 'direct' }] }), 201);
    const read = await expectStatus(call(nodeB, 'GET', `/v1/subjects/${id}/data?purpose=orders`), 200);
    assert.equal(read.items[0].value, 'Shared Keys Person');
  });

  it('(a) a subject blocked on A is refused on B at once', async (t) => {
    await bestOf(t, 'block', async () => {
      const id = await newSubject(nodeA, 'block');
      assert.equal((await decide(nodeB, id, 'orders', ['user.name'])).allow, true, 'B allows, and has the subject cached');
      return propagation(
        async () => void (await expectStatus(call(nodeA, 'POST', `/v1/subjects/${id}/blocks`, { reason: 'subject-request' }), 201)),
        async () => {
          const decision = await decide(nodeB, id, 'orders', ['user.name']);
          return !decision.allow && decision.reasons.some((r) => r.code === 'subject_blocked');
        },
      );
    });
  });

  it('(b) a consent withdrawn on A is refused on B at once', async (t) => {
    await bestOf(t, 'consent withdrawal', async () => {
      const id = await newSubject(nodeA, 'withdraw');
      await expectStatus(call(nodeA, 'POST', `/v1/subjects/${id}/consents`, marketingConsent(await activeVersion(nodeA))), 201);
      assert.equal((await decide(nodeB, id, 'marketing', ['user.contact.email'])).allow, true, 'B allows under the consent, and has it cached');
      return propagation(
        async () => void (await expectStatus(call(nodeA, 'POST', `/v1/subjects/${id}/consents/marketing/withdraw`, { channel: 'web-form' }), 200)),
        async () => {
          const decision = await decide(nodeB, id, 'marketing', ['user.contact.email']);
          return !decision.allow && decision.reasons.some((r) => r.code === 'consent_withdrawn');
        },
      );
    });
  });

  it('(c) an API key revoked on another node is refused by B at once', async (t) => {
    await bestOf(t, 'API key revocation', async (n) => {
      const key = await admin.apiKeys.create(`revoked-${n}`, ['policy:read']);
      await expectStatus(call(nodeB, 'GET', '/v1/policy', undefined, key.key), 200);
      await expectStatus(call(nodeB, 'GET', '/v1/policy', undefined, key.key), 200); // now from B's verified cache
      return propagation(
        async () => assert.equal(await admin.apiKeys.revoke(key.id), true),
        async () => (await call(nodeB, 'GET', '/v1/policy', undefined, key.key)).status === 401,
      );
    });
  });

  it('(d) a version published on A is the active policy on B at once', async (t) => {
    await bestOf(t, 'publish', async (n) => {
      const before = await activeVersion(nodeB);
      const source = demo.replace('version: "2026.1"', `version: "2026.1-${n}-${randomUUID().slice(0, 8)}"`);
      assert.notEqual(source, demo, 'the demo policy changed: update the edit');
      let published = 0;
      return propagation(
        async () => {
          const body = await expectStatus(call(nodeA, 'POST', '/v1/policy/versions', { source }), 201);
          published = body.version.number;
          assert.equal(published, before + 1);
        },
        async () => (await activeVersion(nodeB)) === published,
      );
    });
  });

  it('a node whose LISTEN connection is cut reconnects, drops what it may have missed, and obeys at once again', async (t) => {
    const listeners = async () =>
      (await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database() and query = ${`LISTEN ${CHANGE_CHANNEL}`}`.execute(admin.store.db)).rows.map((r) => Number(r.pid));
    // B has a subject cached; its listener (and A's) is cut; the subject is blocked while B cannot hear.
    let missed = '';
    let back = 0;
    for (let attempt = 1; ; attempt++) {
      const cut = await listeners();
      assert.equal(cut.length, 2, 'A and B each listen on a connection of their own');
      missed = await newSubject(nodeA, 'missed');
      assert.equal((await decide(nodeB, missed, 'orders', ['user.name'])).allow, true);
      await sql`select pg_terminate_backend(pid) from pg_stat_activity where pid in (${sql.join(cut)})`.execute(admin.store.db);
      const began = performance.now();
      while ((await listeners()).some((pid) => cut.includes(pid))) {
        if (performance.now() - began > 10_000) assert.fail('the cut listeners did not go away');
        await sleep(1);
      }
      await admin.blocks.block(missed, { reason: 'subject-request' }, 'test');
      const inGap = (await listeners()).length === 0;
      for (;;) {
        const now = await listeners();
        if (now.length === 2 && now.every((pid) => !cut.includes(pid))) break;
        if (performance.now() - began > 10_000) assert.fail(`the listeners did not come back: ${now.join(', ')}`);
        await sleep(POLL_MS);
      }
      back = performance.now();
      if (inGap) break;
      // A listener was back before the block committed, so B may have heard it as usual: cut again.
      t.diagnostic(`attempt ${attempt}: a listener was back before the block committed`);
      assert.ok(attempt < TRIALS, 'could not commit a change while the listeners were cut');
    }
    // The notification of that block was lost; B resynced on reconnecting and asks the database again.
    for (;;) {
      const decision = await decide(nodeB, missed, 'orders', ['user.name']);
      if (!decision.allow) {
        assert.ok(decision.reasons.some((r) => r.code === 'subject_blocked'));
        const ms = performance.now() - back;
        t.diagnostic(`a block B missed while cut off was obeyed ${ms.toFixed(1)} ms after its listener was back`);
        assert.ok(ms <= LIMIT_MS, `B obeyed the missed block ${ms.toFixed(1)} ms after reconnecting (its cache would have kept it up to 2 s)`);
        break;
      }
      if (performance.now() - back > GIVE_UP_MS) assert.fail('B never obeyed the block it missed');
      await sleep(POLL_MS);
    }

    // And the push works again.
    await bestOf(t, 'block after reconnecting', async () => {
      const id = await newSubject(nodeA, 'reconnected');
      assert.equal((await decide(nodeB, id, 'orders', ['user.name'])).allow, true);
      return propagation(
        async () => void (await expectStatus(call(nodeA, 'POST', `/v1/subjects/${id}/blocks`, { reason: 'subject-request' }), 201)),
        async () => !(await decide(nodeB, id, 'orders', ['user.name'])).allow,
      );
    });
  });

  it('a publish on A with a material change does not hold up consents recorded on B meanwhile', async (t) => {
    // Marketing now also uses phone numbers (material), from a date ahead: the notice in effect
    // stays the current one, so consents given under it on B are valid throughout.
    const widened = demo
      .replace('categories: [user.name, user.contact.email]\n    subjects: [customer]\n    operations', 'categories: [user.name, user.contact.email, user.contact.phone_number]\n    subjects: [customer]\n    operations')
      .replace('effectiveDate: "2026-01-15"', `effectiveDate: "${new Date().getUTCFullYear() + 1}-01-15"`)
      .replace('version: "2026.1"', 'version: "2027.1"');
    assert.ok(widened.includes('categories: [user.name, user.contact.email, user.contact.phone_number]\n    subjects') && !widened.includes('2026-01-15'), 'the demo policy changed: update the edit');

    // Enough consents under the current notice that marking them takes several batches; and
    // subjects B will record consents for while A publishes.
    await admin.policies.refresh();
    const current = admin.policies.active().number;
    const marked = 1000;
    const fresh: string[] = [];
    let next = 0;
    const setupStart = performance.now();
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < marked + 600) {
          const i = next++;
          const { id } = await admin.vault.upsertSubject({ identifiers: [{ type: 'email', value: `renew-${i}@example.kz` }] }, 'test');
          if (i < marked) await admin.consents.record(id, marketingConsent(current), 'test');
          else fresh.push(id);
        }
      }),
    );
    t.diagnostic(`${marked} subjects with consents and ${fresh.length} without made in ${(performance.now() - setupStart).toFixed(0)} ms`);

    const consentOnB = async () => {
      const subjectId = fresh.pop();
      assert.ok(subjectId, 'enough fresh subjects for B');
      const began = performance.now();
      const answer = await call(nodeB, 'POST', `/v1/subjects/${subjectId}/consents`, marketingConsent(current));
      return { status: answer.status, body: answer.body, began, at: performance.now() };
    };
    const quiet: number[] = [];
    for (let i = 0; i < 10; i++) {
      const write = await consentOnB();
      assert.equal(write.status, 201, 'B records consents before the publish');
      quiet.push(write.at - write.began);
    }

    const expected = admin.policies.list().at(-1)!.number + 1;
    const start = performance.now();
    let publishedAt = Infinity;
    let seenOnB = Infinity;
    const publishing = call(nodeA, 'POST', '/v1/policy/versions', { source: widened }).then((answer) => {
      publishedAt = performance.now();
      return answer;
    });
    const watching = (async () => {
      while (publishedAt === Infinity) {
        const versions = (await expectStatus(call(nodeB, 'GET', '/v1/policy/versions'), 200)).versions as { number: number }[];
        if (versions.some((v) => v.number === expected)) return (seenOnB = performance.now());
        await sleep(POLL_MS);
      }
    })();
    const writes: Awaited<ReturnType<typeof consentOnB>>[] = [];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        // Keep recording consents on B until A's publish is acknowledged.
        while (publishedAt === Infinity && fresh.length > 0) writes.push(await consentOnB());
      }),
    );
    await watching;
    const publication = await publishing;

    const failed = writes.filter((w) => w.status !== 201);
    assert.deepEqual(failed, [], 'every consent recorded on B while A published succeeded');
    // Begun after the version committed and done before the marking finished.
    const duringMarking = writes.filter((w) => w.began > seenOnB && w.at < publishedAt);
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
    const during = writes.filter((w) => w.at < publishedAt).map((w) => w.at - w.began);
    t.diagnostic(
      `publish with renewal marking took ${(publishedAt - start).toFixed(0)} ms, the version reached B after ${(seenOnB - start).toFixed(0)} ms; ` +
        `B recorded ${during.length} consents meanwhile, ${duringMarking.length} of them while A was marking renewals; ` +
        `B's consent took ${median(quiet).toFixed(0)} ms (median) before the publish, ${median(during).toFixed(0)} ms (median) and at most ${Math.max(...during).toFixed(0)} ms during it`,
    );
    assert.ok(seenOnB < publishedAt, 'B heard of the new version before A finished marking renewals (the version commits first)');
    assert.ok(duringMarking.length > 0, 'B recorded consents while A was still marking renewals');

    assert.equal(publication.status, 201, JSON.stringify(publication.body));
    assert.equal(publication.body.version.number, expected);
    assert.equal(publication.body.renewalMarking, 'done');
    assert.ok(publication.body.renewalsMarked >= marked, `marked ${publication.body.renewalsMarked} of at least ${marked}`);
    // The notice in effect did not change, on either node.
    assert.equal(await activeVersion(nodeB), current);
    assert.equal(await activeVersion(nodeA), current);
  });
});
