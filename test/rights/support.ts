/** What the rights tests share: a store fingerprint that includes the rights tables, and the HTTP calls. */
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ManualClock } from '../../src/clock.js';
import { type Custodian, openCustodian, publishPolicyFile } from '../../src/custodian.js';
import { buildApp } from '../../src/http/app.js';
import { SmtpMailer } from '../../src/notify/smtp-mailer.js';
import { parseMail } from '../notify/mime.js';
import { startSmtpServer, type TestSmtpServer } from '../notify/smtp-server.js';
import { DEMO_POLICY, TEST_PUBLIC_URL } from '../support/custodian.js';
import { createTestDatabase, type TestEngine } from '../support/engines.js';
import { storeSnapshot } from '../support/snapshot.js';

export async function rightsSnapshot(custodian: Custodian): Promise<Record<string, string>> {
  const base = await storeSnapshot(custodian);
  for (const table of ['rights_request', 'rights_verification', 'rights_package', 'rights_recipient_notice', 'job'] as const) {
    const rows = (await custodian.store.db.selectFrom(table).selectAll().execute()) as Record<string, unknown>[];
    base[table] = JSON.stringify(rows.map((row) => Object.keys(row).sort().map((k) => [k, String(row[k])])).map((r) => JSON.stringify(r)).sort());
  }
  return base;
}

export function requestCalls(app: FastifyInstance, headers: Record<string, string>) {
  return {
    file: (payload: object) => app.inject({ method: 'POST', url: '/v1/requests', headers, payload }),
    get: (id: string) => app.inject({ method: 'GET', url: `/v1/requests/${id}`, headers }),
    act: (id: string, action: string, payload: object = {}) => app.inject({ method: 'POST', url: `/v1/requests/${id}/${action}`, headers, payload }),
  };
}

/** The journal's events about one request, oldest first. */
export async function requestEvents(custodian: Custodian, requestId: string) {
  const rows = await custodian.store.db.selectFrom('journal_event').selectAll().orderBy('at').orderBy('seq').execute();
  return rows.map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> })).filter((r) => r.details.request === requestId);
}

/** A test Custodian whose `mail.send` jobs go to a real SMTP server on 127.0.0.1, behind its HTTP app with an admin key. */
export async function createMailingApp(engine: TestEngine, options: { policy?: string; now?: string } = {}): Promise<MailingApp> {
  const smtp = await startSmtpServer();
  const database = await createTestDatabase(engine);
  const clock = new ManualClock(Date.parse(options.now ?? '2026-11-23T06:00:00Z'));
  const config = { database: database.location, keyringPath: join(database.dir, 'keyring.json'), publicUrl: TEST_PUBLIC_URL };
  const custodian = await openCustodian(config, { clock, mailer: new SmtpMailer(smtp.url) });
  await publishPolicyFile(custodian, options.policy ?? DEMO_POLICY);
  const app = await buildApp(custodian);
  const headers = { authorization: `Bearer ${(await custodian.apiKeys.create('test', ['admin'])).key}` };
  return {
    custodian,
    clock,
    app,
    headers,
    smtp,
    async close() {
      await app.close();
      await custodian.close();
      await database.drop();
      await smtp.close();
    },
  };
}

export interface MailingApp {
  custodian: Custodian;
  clock: ManualClock;
  app: FastifyInstance;
  headers: Record<string, string>;
  smtp: TestSmtpServer;
  close(): Promise<void>;
}

/** The last mail the SMTP server received for an address, parsed. */
export function lastMailTo(smtp: TestSmtpServer, address: string) {
  const mail = smtp.received.filter((m) => m.to.includes(address)).at(-1);
  return mail ? parseMail(mail.raw) : undefined;
}
