/**
 * `custodian serve`: open the store, make sure a policy is published, start HTTP and the
 * background work (jobs, periodic tasks, other nodes' change events) until a signal stops it.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config.js';
import { openCustodian, publishPolicyFile } from '../custodian.js';
import { buildApp } from '../http/app.js';
import { createLogger } from '../http/logging.js';
import { SetupError } from '../errors.js';

export const DEMO_POLICY = fileURLToPath(new URL('../../examples/demo.policy.yaml', import.meta.url));

export async function serve(config: Config, options: { demo: boolean }): Promise<void> {
  const logger = createLogger(config.logLevel);
  const custodian = await openCustodian(config);
  logger.info({ store: custodian.store.description, engine: custodian.store.engine }, 'store ready');

  const policyPath = config.policyPath ?? (options.demo && custodian.policies.list().length === 0 ? DEMO_POLICY : undefined);
  if (policyPath) {
    if (!existsSync(policyPath)) throw new SetupError(`CUSTODIAN_POLICY: ${policyPath} does not exist`);
    const result = await publishPolicyFile(custodian, policyPath);
    logger.info({ version: result.version.number, policy: result.version.policyId, created: result.created }, result.created ? 'policy published' : 'policy unchanged');
  } else if (custodian.policies.list().length === 0) {
    logger.warn('no policy is published: set CUSTODIAN_POLICY, run `custodian policy publish FILE`, or start with --demo');
  }

  if (!config.publicUrl) {
    logger.warn('CUSTODIAN_PUBLIC_URL is not set: no unsubscribe or other links for e-mails can be made until it is');
  }
  const app = await buildApp(custodian, { logger, bodyLimit: config.bodyLimit });
  const address = await app.listen({ host: config.host, port: config.port });

  // Jobs (mail, renewal marking), the periodic checkpoint and policy refresh, and on
  // PostgreSQL the other nodes' change events.
  await custodian.startBackground({ log: logger });

  const base = address.replace('0.0.0.0', '127.0.0.1');
  const lines = [
    '',
    `Custodian is running at ${base}  (store: ${custodian.store.description})`,
    `  API reference:   ${base}/docs   (OpenAPI: ${base}/openapi.json)`,
    `  Health:          ${base}/healthz   ${base}/readyz`,
    `  Get an API key:  npx custodian apikey create --name demo --scopes admin`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await app.close();
    await custodian.checkpoint().catch(() => undefined);
    await custodian.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}
