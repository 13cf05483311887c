/** For benchmarks of the compiled server: a free port, the environment of a demo node on a test database, its resident memory. */
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { TestDatabase } from '../support/engines.js';

export const COMPILED_MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** `serve --demo` on this database and port, quiet, with no policy or master key from the caller's environment. */
export function serverEnv(database: TestDatabase, port: number): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CUSTODIAN_DATA_DIR: database.dir,
    CUSTODIAN_DATABASE_URL: database.location.engine === 'sqlite' ? '' : database.location.url,
    CUSTODIAN_PORT: String(port),
    CUSTODIAN_LOG_LEVEL: 'warn',
    CUSTODIAN_POLICY: '',
    CUSTODIAN_MASTER_KEY: '',
  };
}

/** VmRSS of a process in MB, from /proc (Linux); undefined elsewhere. */
export function residentMb(pid: number): number | undefined {
  const status = `/proc/${pid}/status`;
  if (!existsSync(status)) return undefined;
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(status, 'utf8'));
  return kb ? Number(kb[1]) / 1024 : undefined;
}
