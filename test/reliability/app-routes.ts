/**
 * Every route an app serves, hidden ones included (`/openapi.json` lists only documented
 * routes). Fastify keeps no public list, and `buildApp` registers its routes before a
 * test could add an `onRoute` hook, so the list is read from the router's own print-out:
 * one node per line, four columns of tree drawing per level, methods in parentheses.
 */
import type { FastifyInstance } from 'fastify';

export interface AppRoute {
  method: string;
  /** Fastify's syntax: `/v1/subjects/:id`, `/docs/*`. */
  url: string;
}

const LINE = /^((?:[│ ] {3}|[├└]── )*)(\S+?)(?: \(([A-Z, ]+)\))?$/u;

export function appRoutes(app: FastifyInstance): AppRoute[] {
  const printed = app.printRoutes({ commonPrefix: false });
  const stack: string[] = [];
  const routes: AppRoute[] = [];
  for (const line of printed.split('\n').filter((l) => l.trim() !== '')) {
    const match = LINE.exec(line);
    if (!match) throw new Error(`unexpected line in printRoutes output: ${JSON.stringify(line)}`);
    const [, indent, segment, methods] = match;
    const depth = [...indent].length / 4 - 1;
    stack.length = depth;
    stack.push(segment);
    if (methods) for (const method of methods.split(', ')) routes.push({ method, url: stack.join('') });
  }
  return routes.sort((a, b) => (a.url === b.url ? a.method.localeCompare(b.method) : a.url.localeCompare(b.url)));
}

/** `/v1/subjects/{id}` (OpenAPI) → `/v1/subjects/:id` (Fastify). */
export function fastifyUrl(openApiPath: string): string {
  return openApiPath.replace(/\{([^}]+)\}/g, ':$1');
}

export const routeKey = (route: AppRoute) => `${route.method} ${route.url}`;
