/**
 * A real `custodian serve` node in a child process, for tests of several nodes on one
 * database. Every node started here is killed when the test process exits, even when a
 * test fails before its `after` hook could stop it.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { BIN } from '../support/cli.js';

export interface ServeNode {
  /** `http://127.0.0.1:<port>` as the node printed it. */
  base: string;
  /** Everything the node wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited within 5 s. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcessWithoutNullStreams>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts `custodian serve` with `env` over the test's environment; resolves once it listens. */
export async function startServeNode(env: Record<string, string>, timeoutMs = 30_000): Promise<ServeNode> {
  const child = spawn(process.execPath, [BIN, 'serve'], { env: { ...process.env, ...env } });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  const onData = (chunk: Buffer) => (output += chunk.toString());
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };

  try {
    const base = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`custodian serve did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
      const look = () => {
        const match = /Custodian is running at (http:\/\/[\d.:]+)/.exec(output);
        if (!match) return;
        clearTimeout(timer);
        child.stdout.off('data', look);
        resolve(match[1]);
      };
      child.stdout.on('data', look);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`custodian serve exited (${code ?? signal}) before it listened:\n${output}`));
      });
    });
    return { base, output: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
