/** What the rights tests share: a store fingerprint that includes the rights tables, and the HTTP calls. */
import type { FastifyInstance } from 'fastify';
import type { Custodian } from '../../src/custodian.js';
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
