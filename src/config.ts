/**
 * Configuration from the environment, validated once at start. Every variable is listed
 * in the README's configuration table.
 */
import { join, resolve } from 'node:path';
import { parseDatabaseUrl, type StoreLocation } from './store/store.js';
import { type CheckpointSinkTarget, parseCheckpointSink } from './journal/sink.js';
import { checkpointPattern } from './journal/schedule.js';

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
  mail: MailConfig;
  /** How often the server signs a journal checkpoint; `journal verify` fails on events left uncovered for twice this. */
  checkpointIntervalMs: number;
  /** Where every checkpoint is also sent (a file or a webhook), so an anchor exists outside the database. */
  checkpointSink?: CheckpointSinkTarget;
}

/**
 * Where mail goes: SMTP when `CUSTODIAN_SMTP_URL` is set, otherwise one `.eml` file per
 * message in `<data dir>/outbox/`, so a demo sends "mail" with nothing installed.
 */
export type MailConfig = { transport: 'smtp'; url: string; from: string } | { transport: 'outbox'; dir: string; from: string };

/** The server signs a journal checkpoint every minute unless told otherwise. */
export const DEFAULT_CHECKPOINT_INTERVAL_MS = 60_000;

export const DEFAULT_MAIL_FROM = 'Custodian <no-reply@localhost>';

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
    publicUrl: publicUrl(env.CUSTODIAN_PUBLIC_URL),
    mail: mailConfig(env, dataDir),
    checkpointIntervalMs: checkpointInterval(env),
    checkpointSink: checkpointSinkConfig(env, cwd),
  };
}

function checkpointInterval(env: NodeJS.ProcessEnv): number {
  const ms = env.CUSTODIAN_CHECKPOINT_INTERVAL ? Number(env.CUSTODIAN_CHECKPOINT_INTERVAL) * 1000 : DEFAULT_CHECKPOINT_INTERVAL_MS;
  try {
    checkpointPattern(ms);
  } catch {
    throw new ConfigError('CUSTODIAN_CHECKPOINT_INTERVAL', 'must be a whole number of seconds that divides a minute, an hour or a day evenly (e.g. 30, 60, 300, 3600)');
  }
  return ms;
}

function checkpointSinkConfig(env: NodeJS.ProcessEnv, cwd: string): CheckpointSinkTarget | undefined {
  if (!env.CUSTODIAN_CHECKPOINT_SINK) return undefined;
  try {
    return parseCheckpointSink(env.CUSTODIAN_CHECKPOINT_SINK, cwd);
  } catch {
    // The value may carry a webhook's credentials: the message does not repeat it.
    throw new ConfigError('CUSTODIAN_CHECKPOINT_SINK', 'must be a file path or an http(s) URL');
  }
}

function mailConfig(env: NodeJS.ProcessEnv, dataDir: string): MailConfig {
  const from = env.CUSTODIAN_MAIL_FROM || DEFAULT_MAIL_FROM;
  if (!isMailbox(from)) throw new ConfigError('CUSTODIAN_MAIL_FROM', 'must be an address, e.g. privacy@shop.example or "Shop <privacy@shop.example>"');
  const url = env.CUSTODIAN_SMTP_URL;
  if (!url) return { transport: 'outbox', dir: join(dataDir, 'outbox'), from };
  // The URL carries the SMTP password: no message here repeats it.
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError('CUSTODIAN_SMTP_URL', 'must be a URL: smtp://[user:pass@]host[:port] or smtps://[user:pass@]host[:port]');
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') throw new ConfigError('CUSTODIAN_SMTP_URL', 'must start with smtp:// (STARTTLS when offered) or smtps:// (TLS from the start)');
  if (!parsed.hostname) throw new ConfigError('CUSTODIAN_SMTP_URL', 'must name a host: smtp://[user:pass@]host[:port]');
  // nodemailer's own logger would print every envelope, addresses included.
  for (const option of ['logger', 'debug']) {
    if (parsed.searchParams.has(option)) throw new ConfigError('CUSTODIAN_SMTP_URL', `the "${option}" option is not allowed: it would log recipients' addresses`);
  }
  return { transport: 'smtp', url, from };
}

/** `addr@domain` or `Display Name <addr@domain>`, on one line. */
function isMailbox(value: string): boolean {
  if (/[\r\n]/.test(value)) return false;
  const address = /<([^<>]*)>\s*$/.exec(value)?.[1] ?? value;
  return /^[^\s@<>",;]+@[^\s@<>",;]+$/.test(address.trim());
}

/** The address people reach Custodian at, for links in mail: absolute http(s), no query or fragment. */
function publicUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError('CUSTODIAN_PUBLIC_URL', 'must be an absolute URL, e.g. https://privacy.shop.example');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError('CUSTODIAN_PUBLIC_URL', 'must be an http(s) URL');
  if (url.search || url.hash || url.username || url.password) throw new ConfigError('CUSTODIAN_PUBLIC_URL', 'must have no query, fragment or credentials');
  return url.toString().replace(/\/+$/, '');
}
