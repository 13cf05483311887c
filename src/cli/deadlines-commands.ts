/**
 * `custodian deadlines` — the law module on the command line, for DPOs and auditors: when
 * an obligation falls due for a clock started at a moment, with the article it comes from.
 *
 *   custodian deadlines --law kz --obligation blocking --at 2026-03-06T22:30:00+05:00
 *   custodian deadlines --law ru --obligation access --at 2026-12-28T12:00 --extended --json
 *   custodian deadlines --list [--law gdpr]
 *
 * A time without an offset is wall-clock time in the law's zone (Asia/Almaty, Europe/Moscow;
 * for GDPR, UK GDPR and CCPA the zone of `--zone`, default UTC). `--json` prints exactly
 * `{"law","obligation","dueAt","article","extendedDueAt"?}`; warnings (a calendar horizon
 * passed, a term the reference could not confirm) go to stderr as codes.
 */
import type { Command } from 'commander';
import { CustodianError, SetupError } from '../errors.js';
import { CalendarFileError, dueMoment, isLawId, isoInZone, isValidZone, LAW_IDS, LawError, obligations, parseDateTime, RULE_PACKS, zoneOf, type LawId } from '../law/index.js';

interface DeadlineOptions {
  law?: string;
  obligation?: string;
  at?: string;
  zone?: string;
  extended?: boolean;
  json?: boolean;
  list?: boolean;
}

const invalid = (flag: string, message: string) => new CustodianError('validation_failed', `${flag} ${message}`, [{ path: flag, message }]);

function lawOption(value: string | undefined, required: boolean): LawId | undefined {
  if (value === undefined) {
    if (required) throw invalid('--law', `is required (one of ${LAW_IDS.join(', ')})`);
    return undefined;
  }
  if (!isLawId(value)) throw invalid('--law', `must be one of ${LAW_IDS.join(', ')}, not "${value}"`);
  return value;
}

function list(law: LawId | undefined, json: boolean): void {
  const laws = law ? [law] : LAW_IDS;
  if (json) {
    console.log(JSON.stringify(Object.fromEntries(laws.map((l) => [l, obligations(l)])), null, 2));
    return;
  }
  for (const l of laws) {
    console.log(`${l} (${RULE_PACKS[l].name}):`);
    for (const o of obligations(l)) console.log(`  ${o.id.padEnd(30)} ${o.term.padEnd(45)} art. ${o.article}`);
  }
}

export function registerDeadlinesCommands(program: Command): void {
  program
    .command('deadlines')
    .description('When a legal obligation falls due: --law kz|ru|gdpr|uk|ccpa --obligation ID --at ISO-DATE-TIME, or --list')
    .option('--law <law>', `the law: ${LAW_IDS.join(', ')}`)
    .option('--obligation <id>', 'the obligation, e.g. access, blocking, breach-authority (see --list)')
    .option('--at <date-time>', 'when the clock started (ISO 8601; without an offset, in the law\'s zone)')
    .option('--zone <zone>', 'the operator\'s IANA zone for GDPR, UK GDPR and CCPA terms (default UTC)')
    .option('--extended', 'also give the due moment after the extension the law allows')
    .option('--json', 'print {"law","obligation","dueAt","article","extendedDueAt"?}')
    .option('--list', 'list every obligation of each law (or of --law) with its term and article')
    .action((options: DeadlineOptions) => {
      try {
        run(options);
      } catch (error) {
        // A bad file in CUSTODIAN_CALENDARS_DIR: say which file and field, not a stack.
        if (error instanceof CalendarFileError) throw new SetupError(`calendar file ${error.message}`);
        throw error;
      }
    });
}

function run(options: DeadlineOptions): void {
  if (options.list) {
    list(lawOption(options.law, false), options.json === true);
    return;
  }
  const law = lawOption(options.law, true)!;
  if (!options.obligation) throw invalid('--obligation', `is required; ${law} has: ${obligations(law).map((o) => o.id).join(', ')}`);
  if (options.zone !== undefined && !isValidZone(options.zone)) throw invalid('--zone', `"${options.zone}" is not an IANA time zone (e.g. Europe/Berlin)`);
  if (options.at === undefined) throw invalid('--at', 'is required: an ISO 8601 date-time such as 2026-03-06T22:30:00+05:00');
  const zone = zoneOf(law, options.zone);
  const at = parseDateTime(options.at, zone);
  if (at === undefined) throw invalid('--at', `"${options.at}" is not an ISO 8601 date-time (e.g. 2026-03-06T22:30:00+05:00)`);
  let due;
  try {
    due = dueMoment(law, options.obligation, at, { ...(options.zone ? { zone: options.zone } : {}) });
  } catch (error) {
    if (error instanceof LawError) throw invalid('--obligation', error.message);
    throw error;
  }
  if (options.extended && !due.extension) throw invalid('--extended', `${RULE_PACKS[law].name} does not allow extending "${due.obligation}" (art. ${due.article})`);
  for (const warning of due.warnings) console.error(`warning: ${warning}`);
  if (options.json) {
    console.log(
      JSON.stringify({
        law,
        obligation: due.obligation,
        dueAt: due.dueAtIso,
        article: due.article,
        ...(options.extended && due.extension ? { extendedDueAt: due.extension.dueAtIso } : {}),
      }),
    );
    return;
  }
  console.log(`${RULE_PACKS[law].name}, ${due.obligation}: due ${due.dueAtIso} (art. ${due.article})`);
  if (options.extended && due.extension) {
    console.log(`extended: due ${due.extension.dueAtIso} (art. ${due.extension.article}); the person must be told by ${isoInZone(due.extension.noticeBy, due.zone)}`);
  }
}
