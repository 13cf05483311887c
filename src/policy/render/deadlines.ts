/**
 * How long the operator has to answer each kind of request, per law, as the notice
 * states it (shared/reference/legal-matrix.md, "Deadline"). The rule packs in `src/law/`
 * compute the actual due dates; this module only says the terms in words, so the two
 * must change together when a law does.
 */
import type { Jurisdiction, Locale } from '../model.js';
import { countWithUnit } from './durations.js';
import { fillTemplate, messagesFor, type DurationUnit } from './messages.js';
import type { Citation, SubjectRight } from './rights.js';

/** Keys of the sentence templates in `messages.rights.deadlines`. */
export const DEADLINE_SENTENCES = [
  'gdprAnswer',
  'ukPause',
  'ccpaRequest',
  'ccpaOptOut',
  'kzInformation',
  'kzCorrection',
  'kzWithdrawal',
  'kzAutomatedDecision',
  'ruAccess',
  'ruCorrection',
  'ruUnlawful',
  'ruWithdrawal',
  'ruStop',
] as const;
export type DeadlineSentence = (typeof DEADLINE_SENTENCES)[number];

export interface Term {
  amount: number;
  unit: DurationUnit;
}

export interface AnswerDeadline {
  law: Jurisdiction;
  /** Requests the clock applies to; empty for a rule about every request (the UK pause). */
  rights: readonly SubjectRight[];
  sentence: DeadlineSentence;
  /** The terms the sentence names, by placeholder. */
  terms: Readonly<Record<string, Term>>;
  citation: Citation;
}

const month = (amount: number): Term => ({ amount, unit: 'month' });
const workingDays = (amount: number): Term => ({ amount, unit: 'workingDay' });
const businessDays = (amount: number): Term => ({ amount, unit: 'businessDay' });
const calendarDays = (amount: number): Term => ({ amount, unit: 'calendarDay' });

const GDPR_RIGHTS: readonly SubjectRight[] = [
  'access',
  'rectification',
  'erasure',
  'restriction',
  'portability',
  'objection',
  'automated-decision',
];

const DEADLINES: Readonly<Record<Jurisdiction, readonly AnswerDeadline[]>> = {
  EU: [
    {
      law: 'EU',
      rights: GDPR_RIGHTS,
      sentence: 'gdprAnswer',
      terms: { term: month(1), extension: month(2) },
      citation: { law: 'EU', article: '12(3)' },
    },
  ],
  UK: [
    {
      law: 'UK',
      rights: GDPR_RIGHTS,
      sentence: 'gdprAnswer',
      terms: { term: month(1), extension: month(2) },
      citation: { law: 'UK', article: '12(3)' },
    },
    { law: 'UK', rights: [], sentence: 'ukPause', terms: {}, citation: { law: 'UK', article: '12A' } },
  ],
  'US-CA': [
    {
      law: 'US-CA',
      rights: ['access', 'erasure', 'rectification'],
      sentence: 'ccpaRequest',
      terms: { confirm: businessDays(10), term: calendarDays(45), extension: calendarDays(45), total: calendarDays(90) },
      citation: { law: 'US-CA', article: '7021', regulation: true },
    },
    {
      law: 'US-CA',
      rights: ['opt-out-sale-sharing', 'limit-sensitive'],
      sentence: 'ccpaOptOut',
      terms: { term: businessDays(15) },
      citation: { law: 'US-CA', article: '7026(f)', regulation: true },
    },
  ],
  KZ: [
    // 94-V sets no term for an information request that the legal matrix could confirm,
    // so the notice promises the statutory one without a number rather than guess it.
    { law: 'KZ', rights: ['access'], sentence: 'kzInformation', terms: {}, citation: { law: 'KZ', article: '24' } },
    {
      law: 'KZ',
      rights: ['rectification', 'blocking', 'erasure'],
      sentence: 'kzCorrection',
      terms: { term: workingDays(1) },
      citation: { law: 'KZ', article: '25(2)' },
    },
    {
      law: 'KZ',
      rights: ['consent-withdrawal'],
      sentence: 'kzWithdrawal',
      terms: { term: workingDays(15) },
      citation: { law: 'KZ', article: '8(7)' },
    },
    {
      law: 'KZ',
      rights: ['automated-decision'],
      sentence: 'kzAutomatedDecision',
      terms: { term: workingDays(3) },
      citation: { law: 'KZ', article: '19-1(3)' },
    },
  ],
  RU: [
    {
      law: 'RU',
      rights: ['access'],
      sentence: 'ruAccess',
      terms: { term: workingDays(10), extension: workingDays(5) },
      citation: { law: 'RU', article: '20(1)–(2)' },
    },
    {
      law: 'RU',
      rights: ['rectification'],
      sentence: 'ruCorrection',
      terms: { term: workingDays(7) },
      citation: { law: 'RU', article: '20(3)' },
    },
    {
      law: 'RU',
      rights: ['blocking', 'erasure'],
      sentence: 'ruUnlawful',
      terms: { stop: workingDays(3), destroy: workingDays(10) },
      citation: { law: 'RU', article: '21(3)' },
    },
    {
      law: 'RU',
      rights: ['consent-withdrawal'],
      sentence: 'ruWithdrawal',
      terms: { term: calendarDays(30) },
      citation: { law: 'RU', article: '21(5)' },
    },
    {
      law: 'RU',
      rights: ['stop-processing'],
      sentence: 'ruStop',
      terms: { term: workingDays(10) },
      citation: { law: 'RU', article: '21(5.1)' },
    },
  ],
};

/**
 * The answer deadlines of one law.
 *
 * @example answerDeadlines('KZ').map((d) => d.sentence) // ['kzInformation', 'kzCorrection', …]
 */
export function answerDeadlines(law: Jurisdiction): readonly AnswerDeadline[] {
  return DEADLINES[law];
}

/**
 * A deadline as a sentence in the reader's language, its terms in words.
 *
 * @example describeDeadline(answerDeadlines('KZ')[2]!, 'ru')
 * // 'После отзыва согласия мы прекращаем обработку … не позднее чем через 15 рабочих дней …'
 */
export function describeDeadline(deadline: AnswerDeadline, locale: Locale): string {
  const values = Object.fromEntries(
    Object.entries(deadline.terms).map(([name, term]) => [name, countWithUnit(term.amount, term.unit, locale)]),
  );
  return fillTemplate(messagesFor(locale).rights.deadlines[deadline.sentence], values);
}
