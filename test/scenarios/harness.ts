/** The seed scenarios' harness: a reference operator's policy published, its API over HTTP (in-process). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { parseDocument } from 'yaml';
import { buildApp } from '../../src/http/app.js';
import { createTestCustodian, EXAMPLES_DIR, type TestCustodian } from '../support/custodian.js';
import type { ENGINES } from '../support/engines.js';

export interface Harness {
  t: TestCustodian;
  app: FastifyInstance;
  headers: Record<string, string>;
}

/**
 * The Kazakh seeds state no BIN, and Custodian refuses to record a 94-V consent that cannot
 * name the operator's BIN (art. 8(4)); the compiler warns about it. An operator adds its
 * BIN before going live, and so do these scenarios (a made-up one that passes the check).
 */
export function withBin(source: string): string {
  const doc = parseDocument(source);
  if (doc.getIn(['operator', 'jurisdictions']) && JSON.stringify(doc.getIn(['operator', 'jurisdictions'])).includes('KZ') && !doc.hasIn(['operator', 'registrations'])) {
    doc.setIn(['operator', 'registrations'], doc.createNode([{ scheme: 'BIN', value: '240540001232' }]));
  }
  return doc.toString();
}

export async function open(engine: (typeof ENGINES)[number], example: string): Promise<Harness> {
  const t = await createTestCustodian(engine, { policy: null });
  const file = join(EXAMPLES_DIR, `${example}.policy.yaml`);
  await t.custodian.policies.publish(withBin(readFileSync(file, 'utf8')), file);
  const app = await buildApp(t.custodian);
  const headers = { authorization: `Bearer ${(await t.custodian.apiKeys.create('scenario', ['admin'])).key}` };
  return { t, app, headers };
}

export async function close(h: Harness): Promise<void> {
  await h.app.close();
  await h.t.dispose();
}

export function api(h: Harness) {
  const call = async (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) => {
    const res = await h.app.inject({ method, url, headers: h.headers, ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: String(res.headers['content-type'] ?? '').includes('json') ? res.json() : res.body, raw: res.body };
  };
  return {
    call,
    async subject(email: string, extra: object = {}): Promise<string> {
      const res = await call('POST', '/v1/subjects', { identifiers: [{ type: 'email', value: email }], ...extra });
      assert.equal(res.status, 201, res.raw);
      return res.body.id;
    },
    async collect(id: string, items: { category: string; value: unknown; purpose: string }[]) {
      const res = await call('POST', `/v1/subjects/${id}/data`, { items: items.map((i) => ({ ...i, source: 'direct' })) });
      assert.equal(res.status, 201, res.raw);
    },
    /** A consent stating everything 94-V art. 8(4) asks, as the policy declares it. */
    async consent(id: string, purpose: string, extra: object = {}) {
      const declared = h.t.custodian.policies.active().index.purpose(purpose)!;
      const res = await call('POST', `/v1/subjects/${id}/consents`, {
        purpose,
        decision: 'give',
        channel: 'web-form',
        subjectFullName: 'Aigerim Nurlanovna Bekova',
        categories: declared.categories,
        validity: declared.consent?.validity ?? 'until-purpose-achieved',
        // A separate act (94-V art. 7(6)) covers its own scope only; the main act states all three.
        ...('separateScope' in extra ? {} : { scope: { thirdParties: declared.consent?.thirdParties ?? false, crossBorder: declared.consent?.crossBorder ?? false, publicDissemination: declared.consent?.publicDissemination ?? false } }),
        notice: { policyVersion: 1, locale: 'ru', text: `Согласие на обработку персональных данных: ${purpose}` },
        ...extra,
      });
      assert.equal(res.status, 201, res.raw);
      return res.body;
    },
    async decide(subjectId: string, purpose: string, operation: string, categories: string[], recipient?: string): Promise<{ allow: boolean; codes: string[] }> {
      const res = await call('POST', '/v1/decisions', { subjectId, purpose, operation, categories, ...(recipient ? { recipient } : {}) });
      assert.equal(res.status, 200, res.raw);
      return { allow: res.body.allow, codes: res.body.reasons.map((r: { code: string }) => r.code) };
    },
    async disclose(subjectId: string, recipient: string, purpose: string, categories: string[]) {
      return call('POST', '/v1/disclosures', { subjectId, recipient, purpose, categories });
    },
  };
}

