/**
 * The law module's public face: every law fact Custodian acts on, from one home.
 *
 * - Rule packs per law (`kz.ts`, `ru.ts`, `gdpr.ts`, `uk.ts`, `ccpa.ts`): rights, clocks,
 *   identity rules, refusal reasons, localisation and cross-border rules.
 * - Calendars (`calendar.ts`, `calendars/builtin.ts`) and counting (`clock.ts`).
 * - Applicable-law resolution (`applicable.ts`).
 *
 * Zones: Kazakhstan's terms run in Asia/Almaty and Russia's in Europe/Moscow whatever the
 * operator's zone; GDPR, UK GDPR and CCPA terms run in the operator's zone (`options.zone`,
 * the policy's `rightsHandling.timeZone`), UTC when none is given.
 *
 * @example
 *   dueMoment('kz', 'withdrawal-stop', Date.parse('2026-03-20T10:00:00+05:00')).dueAtIso
 *   // '2026-04-15T23:59:59.999+05:00' (15 working days; Nauryz 23–25 March are days off)
 */
import type { Policy } from '../policy/model.js';
import { calendarWarnings as calendarHorizonWarnings } from './calendar.js';
import { CCPA } from './ccpa.js';
import { countTerm } from './clock.js';
import { GDPR } from './gdpr.js';
import { KZ } from './kz.js';
import { RU } from './ru.js';
import { LAW_IDS, REQUEST_TYPES, type IdentityRule, type LawId, type ObligationId, type ObligationRule, type RefusalReason, type RequestType, type RightGrant, type RulePack, type Term, type TermUnit } from './types.js';
import { UK } from './uk.js';
import { isoInZone, isValidZone } from './zone.js';

export { applicableLaws, LAW_ID_OF, lawsFor, noticeJurisdictions } from './applicable.js';
export { CALENDAR_IDS, CalendarFileError, calendarHorizon, calendarYears, isWorkingDay, readCalendarDirectory, reloadCalendars, US_CA_CONVENTION, validateCalendarYear, type CalendarId, type CalendarYear } from './calendar.js';
export { JURISDICTIONS, type Jurisdiction } from './jurisdictions.js';
export { LOCALISATION_RULES, LOCALISED_COUNTRIES, type LocalisationRule } from './localisation.js';
export { LAW_IDS, LEGAL_RIGHTS, REQUEST_TYPES, TERM_UNITS, type IdentityRule, type LegalRight, type LawId, type ObligationId, type ObligationRule, type RefusalReason, type RequestType, type RulePack, type Term, type TermUnit } from './types.js';
export { isoInZone, isValidZone, parseDateTime } from './zone.js';

export const RULE_PACKS: Readonly<Record<LawId, RulePack>> = { kz: KZ, ru: RU, gdpr: GDPR, uk: UK, ccpa: CCPA };

export class LawError extends Error {
  constructor(
    readonly code: 'law_unknown' | 'obligation_unknown' | 'extension_not_allowed' | 'zone_unknown' | 'time_invalid',
    message: string,
  ) {
    super(message);
    this.name = 'LawError';
  }
}

export interface DueMoment {
  law: LawId;
  obligation: ObligationId;
  article: string;
  /** Epoch ms the clock started (after any pause, the original start). */
  startAt: number;
  /** Epoch ms: the end of the last day in the law's zone (or the exact hour for hour terms). */
  dueAt: number;
  dueAtIso: string;
  zone: string;
  extension?: { dueAt: number; dueAtIso: string; article: string; noticeBy: number };
  /** May the clock pause awaiting identity (UK GDPR art. 12A)? */
  pausable: boolean;
  /** `policy` when the operator's shorter declared term applies. */
  source: 'law' | 'policy';
  /** Codes: `calendar_horizon_passed:kz:2027`, `term_unconfirmed`, `pause_not_allowed`. */
  warnings: string[];
}

export interface DueOptions {
  /** The operator's IANA zone, for laws counted in it (GDPR, UK, CCPA); default UTC. */
  zone?: string;
  /** Time the clock stood still awaiting identity; counted only where the law pauses it. */
  pausedMs?: number;
  /** The extended term applies: `dueAt` becomes the extended due moment. */
  extended?: boolean;
}

export function isLawId(value: string): value is LawId {
  return (LAW_IDS as readonly string[]).includes(value);
}

function pack(law: LawId): RulePack {
  const p = RULE_PACKS[law];
  if (!p) throw new LawError('law_unknown', `unknown law "${String(law)}"; known: ${LAW_IDS.join(', ')}`);
  return p;
}

function rule(law: LawId, obligation: ObligationId): ObligationRule {
  const p = pack(law);
  const r = p.obligations.find((o) => o.id === obligation);
  if (!r) throw new LawError('obligation_unknown', `${p.name} has no obligation "${obligation}"; it has: ${p.obligations.map((o) => o.id).join(', ')}`);
  return r;
}

/** The zone a law's clock runs in. */
export function zoneOf(law: LawId, operatorZone?: string): string {
  const p = pack(law);
  const zone = p.zone === 'operator' ? operatorZone ?? 'UTC' : p.zone;
  if (!isValidZone(zone)) throw new LawError('zone_unknown', `unknown time zone "${zone}"`);
  return zone;
}

/** Words for a term, e.g. `10 working days`, for lists and logs (the notice has its own, localized). */
export function termText(term: Term): string {
  const unit = term.unit.replace('-', ' ');
  return `${term.amount} ${term.amount === 1 ? unit.replace(/s$/, '') : unit}`;
}

function count(p: RulePack, term: Term, startAt: number, zone: string) {
  return countTerm(term, startAt, zone, p.calendar);
}

/**
 * When an obligation of a law falls due for a clock started at `startAt`.
 *
 * @throws LawError `obligation_unknown` when the law lacks it (the message lists what it has);
 *   `extension_not_allowed` when `extended` is asked of a term the law does not extend.
 * @example dueMoment('ru', 'access', Date.parse('2026-12-28T12:00:00+03:00')).dueAtIso
 * // '2027-01-20T23:59:59.999+03:00' (the New Year holidays do not count)
 */
export function dueMoment(law: LawId, obligation: ObligationId, startAt: number, options: DueOptions = {}): DueMoment {
  if (!Number.isFinite(startAt)) throw new LawError('time_invalid', 'the start moment is not a valid time');
  const p = pack(law);
  const r = rule(law, obligation);
  const zone = zoneOf(law, options.zone);
  const warnings = new Set<string>();
  const pausable = r.pausable === true;
  let effectiveStart = startAt;
  if (options.pausedMs !== undefined && options.pausedMs > 0) {
    if (pausable) effectiveStart = startAt + options.pausedMs;
    else warnings.add('pause_not_allowed');
  }
  if (r.unconfirmed) warnings.add('term_unconfirmed');
  const base = count(p, r.term, effectiveStart, zone);
  base.warnings.forEach((w) => warnings.add(w));
  let extension: DueMoment['extension'];
  if (r.extension) {
    const ext = r.extension;
    const counted =
      ext.from === 'start'
        ? count(p, { amount: r.term.amount + ext.term.amount, unit: ext.term.unit }, effectiveStart, zone)
        : countTerm(ext.term, base.dueAt, zone, p.calendar, base.lastDay);
    counted.warnings.forEach((w) => warnings.add(w));
    extension = { dueAt: counted.dueAt, dueAtIso: isoInZone(counted.dueAt, zone), article: ext.article, noticeBy: base.dueAt };
  } else if (options.extended) {
    throw new LawError('extension_not_allowed', `${p.name} does not allow extending "${obligation}" (art. ${r.article})`);
  }
  const dueAt = options.extended && extension ? extension.dueAt : base.dueAt;
  return {
    law,
    obligation,
    article: options.extended && extension ? extension.article : r.article,
    startAt,
    dueAt,
    dueAtIso: isoInZone(dueAt, zone),
    zone,
    ...(extension ? { extension } : {}),
    pausable,
    source: 'law',
    warnings: [...warnings],
  };
}

/** Every obligation of a law, with its article and term in words. */
export function obligations(law: LawId): { id: ObligationId; article: string; term: string }[] {
  return pack(law).obligations.map((o) => ({
    id: o.id,
    article: o.article,
    term: o.extension ? `${termText(o.term)} (+${termText(o.extension.term)}, art. ${o.extension.article})` : termText(o.term),
  }));
}

/** One obligation's rule: its term, extension, start event. */
export function obligationRule(law: LawId, obligation: ObligationId): ObligationRule {
  return rule(law, obligation);
}

/** The request types a law grants, each with the obligation that answers it and the article. */
export function rightsOf(law: LawId): Partial<Record<RequestType, { obligation: ObligationId; article: string }>> {
  return { ...pack(law).rights };
}

/** The right a law grants for one request type, if any. */
export function rightOf(law: LawId, type: RequestType): RightGrant | undefined {
  return pack(law).rights[type];
}

/**
 * How a request of this type must be verified under a law.
 *
 * @example identityRule('ccpa', 'opt-out').verify // 'none'
 * @example identityRule('uk', 'access').pausesClock // true
 */
export function identityRule(law: LawId, type: RequestType): IdentityRule {
  const p = pack(law);
  return { ...(p.identity[type] ?? p.identity.default) };
}

/** Reason codes a refusal under this law may give, each with its article. */
export function refusalReasons(law: LawId): RefusalReason[] {
  return pack(law).refusals.map((r) => ({ ...r }));
}

/**
 * The operator's declared term for one law and request type, if the policy declares one.
 */
export function declaredTerm(policy: Pick<Policy, 'rightsHandling'>, law: LawId, type: RequestType): Term | undefined {
  return policy.rightsHandling?.answerTerms.find((t) => t.law === law && t.request === type)?.term;
}

/**
 * Could a term ever end later than another? Same units compare amounts; otherwise the
 * longest the first can take in calendar days against the shortest the second can (a
 * working day may be followed by a fortnight of holidays; a month has at least 28 days).
 */
export function termMayExceed(term: Term, limit: Term): boolean {
  if (term.unit === limit.unit) return term.amount > limit.amount;
  const longest: Record<TermUnit, (n: number) => number> = {
    hours: (n) => n / 24,
    'calendar-days': (n) => n,
    'working-days': (n) => Math.ceil((n * 7) / 5) + 14,
    'business-days': (n) => Math.ceil((n * 7) / 6) + 14,
    months: (n) => n * 31 + 4,
  };
  const shortest: Record<TermUnit, (n: number) => number> = {
    hours: (n) => n / 24,
    'calendar-days': (n) => n,
    'working-days': (n) => n,
    'business-days': (n) => n,
    months: (n) => n * 28,
  };
  return longest[term.unit](term.amount) > shortest[limit.unit](limit.amount);
}

/**
 * The due moments of one request for every law that applies, earliest first; the
 * operator's shorter declared term (policy) wins where declared. Laws that do not grant the
 * type are left out. An appeal to the operator, which none of the laws in scope grants, is
 * open where the policy declares an appeal process (`rightsHandling.appeal`): it is answered
 * on the law's term for answering a request (its `access` clock), marked `source: 'policy'`.
 */
export function requestDeadlines(
  policy: Pick<Policy, 'rightsHandling'>,
  laws: readonly LawId[],
  type: RequestType,
  receivedAt: number,
  options: { pausedMs?: number; extended?: boolean } = {},
): DueMoment[] {
  const zone = policy.rightsHandling?.timeZone;
  const moments = [...new Set(laws)].flatMap((law) => {
    // No law in scope grants an appeal to the operator; one the operator's policy offers runs on the law's answer term for a request.
    const appeal = type === 'appeal' && policy.rightsHandling?.appeal !== undefined && rightOf(law, 'appeal') === undefined;
    const grant = appeal ? rightOf(law, 'access') : rightOf(law, type);
    if (!grant) return [];
    const extended = options.extended === true && obligationRule(law, grant.obligation).extension !== undefined;
    const moment = dueMoment(law, grant.obligation, receivedAt, { ...options, extended, ...(zone ? { zone } : {}) });
    const declared = declaredTerm(policy, law, type);
    if (declared && !extended) {
      const p = pack(law);
      const start = moment.pausable && options.pausedMs ? receivedAt + options.pausedMs : receivedAt;
      const counted = countTerm(declared, start, moment.zone, p.calendar);
      if (counted.dueAt < moment.dueAt) {
        return [{ ...moment, dueAt: counted.dueAt, dueAtIso: isoInZone(counted.dueAt, moment.zone), source: 'policy' as const, warnings: [...new Set([...moment.warnings, ...counted.warnings])] }];
      }
    }
    return [appeal ? { ...moment, source: 'policy' as const } : moment];
  });
  return moments.sort((a, b) => a.dueAt - b.dueAt || LAW_IDS.indexOf(a.law) - LAW_IDS.indexOf(b.law));
}

/** Warnings for /readyz: a calendar's loaded years end within a month (codes). */
export function calendarWarnings(now: number): string[] {
  return calendarHorizonWarnings(now);
}

/** Every request type Custodian knows (the contract's list). */
export const ALL_REQUEST_TYPES: readonly RequestType[] = REQUEST_TYPES;
