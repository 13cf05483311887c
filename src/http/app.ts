/**
 * The Fastify application. Schemas (TypeBox) validate input, filter output — a response
 * schema is an allow-list — and generate the OpenAPI document served at /openapi.json.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Custodian } from '../custodian.js';
import { clientErrorHandler, errorBody, errorHandler } from './errors.js';
import { healthRoutes } from './routes/health.js';
import { lazySchemaCompilers } from './schema-compilers.js';
import { policyRoutes } from './routes/policy.js';
import { subjectRoutes } from './routes/subjects.js';
import { consentRoutes } from './routes/consents.js';
import { accessRoutes } from './routes/access.js';
import { decisionRoutes } from './routes/decisions.js';
import { disclosureRoutes } from './routes/disclosures.js';
import { vaultControlRoutes } from './routes/vault-controls.js';
import { journalRoutes } from './routes/journal.js';
import { actRoutes } from './routes/acts.js';
import { requestRoutes } from './routes/requests.js';
import { privacyRequestRoutes } from './routes/privacy-requests.js';

export interface AppOptions {
  /** A logger from `createLogger` (redacting), or none. */
  logger?: FastifyBaseLogger;
  bodyLimit?: number;
}

export async function buildApp(custodian: Custodian, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    bodyLimit: options.bodyLimit ?? 1_048_576,
    // Unknown fields are errors, not silently dropped; types are never coerced.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true, useDefaults: true } },
    genReqId: () => custodian.ids.next(),
    // Route schemas compile on first use rather than all at start-up (time and resident memory).
    schemaController: { compilersFactory: lazySchemaCompilers() },
    // Router and socket failures happen before any route; their default bodies quote the URL.
    frameworkErrors: errorHandler,
    clientErrorHandler,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send(errorBody('route_not_found', `No route ${request.method} for this path`, [{ path: 'url', message: 'no route for this method and path' }]));
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Custodian API',
        version: '0.1.0',
        description:
          'Custodian makes an operator’s privacy policy true: the policy is published as data, personal data is stored encrypted per subject, and every operation is checked against a declared purpose and journaled.\n\nAuthenticate with `Authorization: Bearer <api key>` (create one with `custodian apikey create`). Errors always have the shape `{ "error": { "code", "message", "details": [{ "path", "message", "code"? }] } }`: `path` names the request field, and a detail of a refusal by the purpose gate carries the gate’s reason `code`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A Custodian API key' } } },
      tags: [
        { name: 'subjects', description: 'Data subjects and their identifiers' },
        { name: 'data', description: 'Personal data collected under declared purposes' },
        { name: 'decisions', description: 'The purpose gate' },
        { name: 'consents', description: 'Consent, objections, GPC, receipts and unsubscribe' },
        { name: 'disclosures', description: 'Transfers to recipients, and who received what' },
        { name: 'policy', description: 'The published policy' },
        { name: 'access', description: 'API keys' },
        { name: 'requests', description: 'Rights requests: intake, identity, clocks, fulfilment and packages' },
        { name: 'health', description: 'Liveness and readiness' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  // Browsers ask for it on every page; answering "no icon" keeps logs and consoles clean.
  app.get('/favicon.ico', { schema: { hide: true } }, async (_request, reply) => reply.status(204).send());

  await app.register(healthRoutes, { custodian });
  await app.register(policyRoutes, { custodian });
  await app.register(subjectRoutes, { custodian });
  await app.register(vaultControlRoutes, { custodian });
  await app.register(decisionRoutes, { custodian });
  await app.register(disclosureRoutes, { custodian });
  await app.register(consentRoutes, { custodian });
  await app.register(accessRoutes, { custodian });
  await app.register(journalRoutes, { custodian });
  await app.register(actRoutes, { custodian });
  await app.register(requestRoutes, { custodian });
  await app.register(privacyRequestRoutes, { custodian });
  return app;
}
