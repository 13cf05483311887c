import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { calendarWarnings } from '../../law/index.js';
import { MIGRATIONS } from '../../migrations.js';
import { migrationsCurrent } from '../../store/migrations.js';
import type { RouteDeps } from './deps.js';

const Health = Type.Object({
  status: Type.String(),
  checks: Type.Optional(Type.Record(Type.String(), Type.String())),
  /** Codes that do not make the node unready, e.g. `calendar_horizon_near:kz:2027` a month before a calendar's data ends. */
  warnings: Type.Optional(Type.Array(Type.String())),
});

export const healthRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { custodian }) => {
  app.get('/healthz', { schema: { tags: ['health'], summary: 'The process is up', response: { 200: Health } } }, async () => ({ status: 'ok' }));

  app.get(
    '/readyz',
    { schema: { tags: ['health'], summary: 'The store is reachable, migrations are current and a policy is published', response: { 200: Health, 503: Health } } },
    async (_request, reply) => {
      const checks: Record<string, string> = {};
      try {
        await sql`select 1`.execute(custodian.store.db);
        checks.store = 'ok';
        checks.migrations = (await migrationsCurrent(custodian.store.db, MIGRATIONS)) ? 'ok' : 'pending';
      } catch {
        checks.store = 'unreachable';
      }
      checks.policy = custodian.policies.list().length > 0 ? 'ok' : 'none published';
      const ready = Object.values(checks).every((v) => v === 'ok');
      const warnings = calendarWarnings(custodian.clock.now());
      return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks, ...(warnings.length > 0 ? { warnings } : {}) });
    },
  );
};
