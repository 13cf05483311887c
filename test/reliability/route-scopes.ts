/**
 * Who may call what: every route of the app with the scopes that open it, or `public`.
 * `admin` opens every route; list it only where nothing else does. HEAD routes follow their GET. A route the
 * app serves that is missing here fails route-scopes.test.ts: add it after reading its
 * `requireScope(...)`.
 */
import type { Scope } from '../../src/access/api-keys.js';

export type RouteAccess = 'public' | readonly Scope[];

export const ROUTE_SCOPES: Record<string, RouteAccess> = {
  // Documentation, health and the public notice.
  'GET /openapi.json': 'public',
  'GET /docs': 'public',
  'GET /docs/': 'public',
  'GET /docs/*': 'public',
  'GET /docs/json': 'public',
  'GET /docs/yaml': 'public',
  'GET /docs/static/index.html': 'public',
  'GET /docs/static/swagger-initializer.js': 'public',
  'GET /favicon.ico': 'public',
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /schemas/policy.json': 'public',
  'GET /privacy/notice': 'public',
  'GET /.well-known/gpc.json': 'public',
  'GET /unsubscribe': 'public',
  'POST /unsubscribe': 'public',
  'GET /metrics': ['admin'],
  'GET /v1/apikeys': ['admin'],
  'POST /v1/apikeys': ['admin'],
  'DELETE /v1/apikeys/:id': ['admin'],

  // Policy.
  'GET /v1/policy': ['policy:read'],
  'GET /v1/policy/versions': ['policy:read'],
  'GET /v1/policy/versions/:number': ['policy:read'],
  'POST /v1/policy/versions': ['policy:write'],

  // Subjects and their data.
  'POST /v1/subjects': ['subjects:write'],
  'GET /v1/subjects': ['subjects:read'],
  'GET /v1/subjects/:id': ['subjects:read'],
  'PATCH /v1/subjects/:id': ['subjects:write'],
  'POST /v1/subjects/:id/data': ['data:write'],
  'GET /v1/subjects/:id/data': ['data:read'],
  'PATCH /v1/subjects/:id/data/:itemId': ['data:write'],
  'POST /v1/subjects/:id/blocks': ['data:write'],
  'GET /v1/subjects/:id/blocks': ['subjects:read'],
  'DELETE /v1/subjects/:id/blocks/:blockId': ['data:write'],
  'POST /v1/subjects/:id/depersonalize': ['data:write'],

  // The purpose gate.
  'POST /v1/decisions': ['decisions'],

  // Disclosures.
  'POST /v1/disclosures': ['disclosures:write'],
  'GET /v1/disclosures': ['disclosures:read'],
  'GET /v1/subjects/:id/disclosures': ['disclosures:read'],
  'GET /v1/reports/cross-border': ['disclosures:read'],

  // The journal.
  'GET /v1/journal': ['journal:read'],
  'GET /v1/subjects/:id/journal': ['journal:read'],
  'GET /v1/acts/:id': ['journal:read'],
  'GET /v1/subjects/:id/acts': ['journal:read'],

  // Consents and opt-outs.
  'POST /v1/subjects/:id/consents': ['consents:write'],
  'GET /v1/subjects/:id/consents': ['consents:read'],
  'POST /v1/subjects/:id/consents/:purpose/withdraw': ['consents:write'],
  'GET /v1/consents/renewals': ['consents:read'],
  'GET /v1/consents/:id': ['consents:read'],
  'GET /v1/consents/:id/receipt': ['consents:read'],
  'POST /v1/subjects/:id/gpc': ['consents:write'],
  'POST /v1/subjects/:id/objections': ['consents:write'],
  'GET /v1/subjects/:id/opt-outs': ['consents:read'],
  'GET /v1/subjects/:id/unsubscribe-link': ['consents:write'],

  // Rights requests.
  'POST /v1/requests': ['requests:write'],
  'GET /v1/requests': ['requests:read'],
  'GET /v1/requests/due': ['requests:read'],
  'GET /v1/requests/:id': ['requests:read'],
  'POST /v1/requests/:id/verify': ['requests:verify'],
  'POST /v1/requests/:id/refuse': ['requests:write'],
  'POST /v1/requests/:id/withdraw': ['requests:write'],
  'POST /v1/requests/:id/extend': ['requests:write'],
  'POST /v1/requests/:id/pause': ['requests:write'],
  'POST /v1/requests/:id/resume': ['requests:write'],
  'POST /v1/requests/:id/verification-code': ['requests:write'],
  'POST /v1/requests/:id/verification-code/check': ['requests:write'],
  'POST /v1/requests/:id/verification-link': ['requests:write'],
  'GET /privacy/requests/confirm': 'public',
  'POST /v1/requests/:id/fulfil': ['requests:write'],
  'GET /v1/requests/:id/package': ['requests:read'],
  'POST /v1/requests/:id/package-link': ['requests:write'],
  'GET /privacy/requests/package': 'public',
  'POST /privacy/requests': 'public',
  'POST /privacy/requests/:id/verify': 'public',
  'GET /v1/reports/requests': ['requests:read'],
  'GET /v1/requests/:id/recipients': ['requests:read'],
  'PUT /v1/recipients/:id/endpoint': ['requests:write'],
  'POST /v1/requests/:id/identity/data-points': ['requests:write'],
  'POST /v1/requests/:id/identity/document': ['requests:write'],
  'GET /v1/requests/:id/identity/document': ['requests:verify'],
  'POST /v1/requests/:id/agent': ['requests:write'],
};
