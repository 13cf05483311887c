/** Runs the real `custodian` binary in a child process, as an operator would. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/custodian.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: Record<string, string | undefined>, input?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** Environment pointing the CLI at a test database and keyring. */
export function cliEnv(location: { engine: 'sqlite'; path: string } | { engine: 'postgres'; url: string }, keyringPath: string): Record<string, string> {
  return {
    CUSTODIAN_DATABASE_URL: location.engine === 'sqlite' ? `sqlite:${location.path}` : location.url,
    CUSTODIAN_KEYRING: keyringPath,
    CUSTODIAN_MASTER_KEY: '',
    CUSTODIAN_POLICY: '',
  };
}
