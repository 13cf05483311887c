/**
 * Configuration from the environment, validated once at start. Every variable is listed
 * in the README's configuration table.
 */
import { join, resolve } from 'node:path';
import { parseDatabaseUrl, type StoreLocation } from './store/store.js';

export interface Config {
  dataDir: string;
  database: StoreLocation;
  /** `CUSTODIAN_MASTER_KEY` when set; otherwise the keyring file is used. */
  masterKey?: string;
  keyringPath: string;
  policyPath?: string;
  host: string;
  port: number;
  logLevel: string;
  bodyLimit: number;
  publicUrl?: string;
}

export class ConfigError extends Error {
  constructor(variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const dataDir = resolve(cwd, env.CUSTODIAN_DATA_DIR || './data');
  let database: StoreLocation;
  try {
    database = parseDatabaseUrl(env.CUSTODIAN_DATABASE_URL || `sqlite:${join(dataDir, 'custodian.db')}`, cwd);
  } catch (error) {
    throw new ConfigError('CUSTODIAN_DATABASE_URL', (error as Error).message);
  }
  const port = Number(env.CUSTODIAN_PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('CUSTODIAN_PORT', 'must be a port number (0–65535)');
  const bodyLimit = Number(env.CUSTODIAN_BODY_LIMIT ?? 1_048_576);
  if (!Number.isInteger(bodyLimit) || bodyLimit < 1024) throw new ConfigError('CUSTODIAN_BODY_LIMIT', 'must be a whole number of bytes, at least 1024');
  return {
    dataDir,
    database,
    masterKey: env.CUSTODIAN_MASTER_KEY || undefined,
    keyringPath: resolve(cwd, env.CUSTODIAN_KEYRING || join(dataDir, 'keyring.json')),
    policyPath: env.CUSTODIAN_POLICY ? resolve(cwd, env.CUSTODIAN_POLICY) : undefined,
    host: env.CUSTODIAN_HOST || '127.0.0.1',
    port,
    logLevel: env.CUSTODIAN_LOG_LEVEL || 'info',
    bodyLimit,
    publicUrl: env.CUSTODIAN_PUBLIC_URL || undefined,
  };
}
