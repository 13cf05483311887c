/**
 * The server's logger: pino with the paths that may carry personal data or credentials
 * redacted, and request URLs logged without their query string (unsubscribe tokens and
 * purposes travel there).
 */
import pino, { type DestinationStream, type Logger } from 'pino';

/** Paths pino must never print: credentials, and bodies, which carry personal data. */
export const LOG_REDACT = ['req.headers.authorization', 'req.headers.cookie', 'req.body', 'res.body', 'body', '*.value', '*.identifiers', '*.email', '*.phone'];

interface LoggedRequest {
  method: string;
  url: string;
  ip?: string;
  routeOptions?: { url?: string };
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: LOG_REDACT, censor: '[redacted]' },
      serializers: {
        req: (req: LoggedRequest) => ({ method: req.method, url: req.url.split('?')[0], route: req.routeOptions?.url, remoteAddress: req.ip }),
      },
    },
    destination,
  );
}
