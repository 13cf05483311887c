/** `custodian requests …`: the rights requests and their clocks, for staff at a terminal. */
import { type Command, Option } from 'commander';
import { loadConfig } from '../config.js';
import { openCustodian } from '../custodian.js';
import { REQUEST_STATES, type RequestState, type RightsRequest } from '../rights/model.js';
import { EXTENSION_REASONS, type ExtensionReason } from '../rights/requests.js';

/** What the CLI prints of a request: ids, codes and times, never a person's data. */
function requestView(r: RightsRequest) {
  return {
    id: r.id,
    type: r.type,
    state: r.state,
    subjectId: r.subjectId,
    laws: r.laws,
    deadlines: r.deadlines.map((d) => ({ law: d.law, dueAt: d.dueAtIso, article: d.article, ...(d.extension ? { extendedDueAt: d.extension.dueAtIso } : {}) })),
    receivedAt: new Date(r.receivedAt).toISOString(),
    identity: r.identity,
    paused: r.pausedAt !== null,
    extended: r.extended,
    refusal: r.refusal,
    outcome: r.outcome,
    closedAt: r.closedAt === null ? null : new Date(r.closedAt).toISOString(),
  };
}

function line(r: ReturnType<typeof requestView>): string {
  const due = r.deadlines[0];
  return `${r.id}  ${r.type.padEnd(15)}  ${r.state.padEnd(11)}  ${due ? `due ${due.dueAt} (${due.law} ${due.article})` : 'no clock'}${r.refusal ? `  refused: ${r.refusal.code} (${r.refusal.article})` : ''}`;
}

async function withCustodian<T>(work: (custodian: Awaited<ReturnType<typeof openCustodian>>) => Promise<T>): Promise<T> {
  const custodian = await openCustodian(loadConfig());
  try {
    return await work(custodian);
  } finally {
    await custodian.close();
  }
}

function print(r: RightsRequest, json: boolean | undefined): void {
  const view = requestView(r);
  console.log(json ? JSON.stringify(view, null, 2) : line(view));
}

const ACTOR = 'cli';

export function registerRequestsCommands(program: Command): void {
  const requests = program.command('requests').description('Rights requests: what is open, what is due, and answering them');
  requests
    .command('list')
    .description('Requests, newest first')
    .addOption(new Option('--state <state>', 'only requests in this state').choices([...REQUEST_STATES]))
    .addOption(new Option('--due <kind>', 'only open requests due soon (3 days) or overdue, earliest first').choices(['due-soon', 'overdue']))
    .option('--json', 'print a JSON array')
    .action(async (options: { state?: RequestState; due?: 'due-soon' | 'overdue'; json?: boolean }) => {
      await withCustodian(async (custodian) => {
        const list = (options.due ? await custodian.rights.requests.due(options.due) : await custodian.rights.requests.list({ state: options.state })).map(requestView);
        if (options.json) console.log(JSON.stringify(list, null, 2));
        else if (list.length === 0) console.log('No requests');
        else for (const r of list) console.log(line(r));
      });
    });
  requests
    .command('show <id>')
    .description('One request, with its clocks')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }) => {
      await withCustodian(async (custodian) => print(await custodian.rights.requests.get(id), options.json));
    });
  requests
    .command('extend <id>')
    .description('Extend the term where the law allows, before the person must be told')
    .addOption(new Option('--reason <reason>', 'why').choices([...EXTENSION_REASONS]).makeOptionMandatory())
    .option('--json', 'print JSON')
    .action(async (id: string, options: { reason: ExtensionReason; json?: boolean }) => {
      await withCustodian(async (custodian) => print(await custodian.rights.requests.extend(id, { reason: options.reason }, ACTOR), options.json));
    });
  requests
    .command('complete <id>')
    .description('Fulfil an in-progress request in the vault and complete it (rectifications need the API: they carry values)')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }) => {
      await withCustodian(async (custodian) => print(await custodian.rights.fulfilment.fulfil(id, {}, ACTOR), options.json));
    });
  requests
    .command('refuse <id>')
    .description('Refuse, with a reason code the request’s law gives')
    .requiredOption('--code <code>', 'the reason code (e.g. identity-not-confirmed)')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { code: string; json?: boolean }) => {
      await withCustodian(async (custodian) => print(await custodian.rights.requests.refuse(id, { code: options.code }, ACTOR), options.json));
    });
}
