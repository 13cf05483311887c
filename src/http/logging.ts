/**
 * The server's logger: pino with the paths that may carry personal data or credentials
 * redacted. A request is logged by its route template (`/v1/subjects/:id/data`), never its
 * URL — a misplaced value in a path or a link token in a query would otherwise land in the
 * log — and without the caller's IP address, which is personal data of the people who
 * open the notice or an unsubscribe link.
 */
import pino, { type DestinationStream, type Logger } from 'pino';

/** Paths pino must never print: credentials, and bodies, which carry personal data. */
export const LOG_REDACT = ['req.headers.authorization', 'req.headers.cookie', 'req.body', 'res.body', 'body', '*.value', '*.identifiers', '*.email', '*.phone'];

interface LoggedRequest {
  method: string;
  routeOptions?: { url?: string };
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: LOG_REDACT, censor: '[redacted]' },
      serializers: {
        req: (req: LoggedRequest) => ({ method: req.method, url: req.routeOptions?.url ?? '(no route)' }),
      },
    },
    destination,
  );
}
