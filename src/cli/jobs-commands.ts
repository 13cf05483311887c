/** `custodian jobs …`: see the queue (dead letters included) and put a failed job back. */
import { type Command, Option } from 'commander';
import { loadConfig } from '../config.js';
import { openCustodian } from '../custodian.js';
import { JOB_STATES, type Job, type JobState } from '../store/job-types.js';

function jobView(job: Job) {
  return {
    id: job.id,
    kind: job.kind,
    state: job.state,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    runAt: new Date(job.runAt).toISOString(),
    lastError: job.lastError,
    createdAt: new Date(job.createdAt).toISOString(),
    finishedAt: job.finishedAt === null ? null : new Date(job.finishedAt).toISOString(),
  };
}

export function registerJobsCommands(program: Command): void {
  const jobs = program.command('jobs').description('The job queue: mail, renewal marking, checkpoints and other background work');
  jobs
    .command('list')
    .description('List jobs, newest first (payloads are not shown)')
    .addOption(new Option('--state <state>', 'only jobs in this state').choices([...JOB_STATES]))
    .option('--kind <kind>', 'only jobs of this kind')
    .option('--limit <n>', 'at most this many', (value) => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new Error('--limit must be a whole number from 1 to 10000');
      return n;
    }, 100)
    .option('--json', 'print a JSON array')
    .action(async (options: { state?: JobState; kind?: string; limit: number; json?: boolean }) => {
      const custodian = await openCustodian(loadConfig());
      try {
        const list = (await custodian.jobs.list({ state: options.state, kind: options.kind, limit: options.limit })).map(jobView);
        if (options.json) {
          console.log(JSON.stringify(list, null, 2));
          return;
        }
        if (list.length === 0) {
          console.log(options.state ? `No ${options.state} jobs` : 'No jobs');
          return;
        }
        for (const job of list) {
          console.log(`${job.id}  ${job.kind.padEnd(22)}  ${job.state.padEnd(7)}  attempts ${job.attempts}/${job.maxAttempts}  run at ${job.runAt}${job.lastError ? `  last error: ${job.lastError}` : ''}`);
        }
      } finally {
        await custodian.close();
      }
    });
  jobs
    .command('retry <id>')
    .description('Run a failed job again, with a fresh set of attempts')
    .action(async (id: string) => {
      const custodian = await openCustodian(loadConfig());
      try {
        const job = await custodian.jobs.retry(id);
        console.log(`Job ${job.id} (${job.kind}) is pending again and will run at the next poll of a serving node`);
      } finally {
        await custodian.close();
      }
    });
}
