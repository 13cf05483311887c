/**
 * Loaded (`--import`) into every test process Stryker starts. Stryker stops a test file at
 * its first failure (SIGTERM) or on a timeout (SIGKILL), so its `after` hooks never drop
 * the PostgreSQL databases and temp dirs the file created — thousands over a full run.
 *
 * Each test process registers itself in a directory of its own under the registry
 * (`CUSTODIAN_MUTATION_REGISTRY`) and keeps its temp files there (TMPDIR). On start it
 * sweeps what dead test processes of this run left: their `custodian_test_<pid>_…`
 * databases (the name `test/support/engines.ts` gives them) and their directories. Only
 * processes registered here are ever swept, so other people's test databases are safe.
 */
import assert from 'node:assert';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const registry = process.env.CUSTODIAN_MUTATION_REGISTRY;

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/**
 * Stops registered test processes still running once Stryker has exited (a mutant that
 * loops forever outlives a Stryker stopped with Ctrl-C). A pid is only signalled while its
 * command line still names this preload, so a recycled pid is never touched.
 */
export function stopLeftovers(registryDir) {
  if (!existsSync(registryDir)) return 0;
  let stopped = 0;
  for (const name of readdirSync(registryDir)) {
    const pid = Number(name);
    if (!/^\d+$/.test(name) || pid === process.pid || !alive(pid)) continue;
    let command = '';
    try {
      command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!command.includes('scripts/mutation/test-child.mjs')) continue;
    try {
      process.kill(pid, 'SIGKILL');
      stopped++;
    } catch {
      // Gone meanwhile.
    }
  }
  return stopped;
}

/** Drops the databases and removes the directories of registered test processes that have exited. */
export async function sweep(registryDir, { all = false } = {}) {
  if (!existsSync(registryDir)) return 0;
  const dead = readdirSync(registryDir)
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => pid !== process.pid && (all || !alive(pid)));
  if (dead.length === 0) return 0;
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: process.env.CUSTODIAN_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', connectionTimeoutMillis: 3000 });
  let dropped = 0;
  try {
    await client.connect();
    for (const pid of dead) {
      const { rows } = await client.query("select datname from pg_database where datname like $1 escape '!'", [`custodian!_test!_${pid}!_%`]);
      for (const { datname } of rows) {
        if (!/^custodian_test_\d+_[0-9a-f]+$/.test(datname)) continue;
        await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`).then(() => dropped++, () => undefined);
      }
      rmSync(join(registryDir, String(pid)), { recursive: true, force: true });
    }
  } catch {
    // PostgreSQL unreachable: the directories wait for the next sweep.
  } finally {
    await client.end().catch(() => undefined);
  }
  return dropped;
}

/**
 * A failing `assert.ok(value)` without a message makes Node re-read the calling file and
 * parse it with acorn to quote the expression; on a TypeScript test file that parse fails
 * and is retried column by column, which takes minutes. Unmutated, no assertion fails, so
 * this never shows; under a mutant it turns a quick kill into a Stryker timeout. A fixed
 * message makes the failure immediate; what passes and what fails is unchanged.
 */
function withoutSourceQuoting(ok) {
  return function fastOk(value, ...rest) {
    if (rest.length === 0 && !value) return ok.call(this, value, 'assert.ok failed (no message; Node would quote the source)');
    return ok.call(this, value, ...rest);
  };
}
assert.strict.ok = withoutSourceQuoting(assert.strict.ok);
assert.ok = assert.strict.ok;

if (registry) {
  const own = join(registry, String(process.pid), 'tmp');
  mkdirSync(own, { recursive: true });
  process.env.TMPDIR = own;
  await sweep(registry);
}
