/**
 * How long the operator has to answer each kind of request, per law, as the notice states
 * it. The terms and articles come from the law module's rule packs (`src/law/`), so the
 * notice and the clocks cannot disagree: this file only chooses which sentence says which
 * obligations' terms.
 */
import { identityRule, obligationRule, type LawId, type ObligationId, type Term, type TermUnit } from '../../law/index.js';
import { LAW_ID_OF } from '../../law/applicable.js';
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

export type { Term };

export interface AnswerDeadline {
  law: Jurisdiction;
  /** Requests the clock applies to; empty for a rule about every request (the UK pause). */
  rights: readonly SubjectRight[];
  sentence: DeadlineSentence;
  /** The terms the sentence names, by placeholder. */
  terms: Readonly<Record<string, Term>>;
  citation: Citation;
}

/** A placeholder's term: an obligation's own term, its extension, or both together. */
type TermRef = readonly [ObligationId, 'term' | 'extension' | 'total'];

interface Spec {
  rights: readonly SubjectRight[];
  sentence: DeadlineSentence;
  terms: Readonly<Record<string, TermRef>>;
  /** Obligations whose articles the sentence cites; none: the identity rule's (UK pause). */
  cites: readonly ObligationId[];
}

const GDPR_RIGHTS: readonly SubjectRight[] = ['access', 'rectification', 'erasure', 'restriction', 'portability', 'objection', 'automated-decision'];
const gdpr: readonly Spec[] = [{ rights: GDPR_RIGHTS, sentence: 'gdprAnswer', terms: { term: ['access', 'term'], extension: ['access', 'extension'] }, cites: ['access'] }];

const SPECS: Readonly<Record<Jurisdiction, readonly Spec[]>> = {
  EU: gdpr,
  UK: [...gdpr, { rights: [], sentence: 'ukPause', terms: {}, cites: [] }],
  'US-CA': [
    {
      rights: ['access', 'erasure', 'rectification'],
      sentence: 'ccpaRequest',
      terms: { confirm: ['confirm-receipt', 'term'], term: ['access', 'term'], extension: ['access', 'extension'], total: ['access', 'total'] },
      cites: ['confirm-receipt', 'access'],
    },
    { rights: ['opt-out-sale-sharing', 'limit-sensitive'], sentence: 'ccpaOptOut', terms: { term: ['opt-out', 'term'] }, cites: ['opt-out', 'limit-sensitive'] },
  ],
  KZ: [
    // The reference could not confirm 94-V's term for an information request, so the
    // notice promises the statutory one without a number (the clock counts 3 working days).
    { rights: ['access'], sentence: 'kzInformation', terms: {}, cites: ['access'] },
    { rights: ['rectification', 'blocking', 'erasure'], sentence: 'kzCorrection', terms: { term: ['blocking', 'term'] }, cites: ['blocking'] },
    { rights: ['consent-withdrawal'], sentence: 'kzWithdrawal', terms: { term: ['withdrawal-stop', 'term'] }, cites: ['withdrawal-stop'] },
    { rights: ['automated-decision'], sentence: 'kzAutomatedDecision', terms: { term: ['automated-decision-objection', 'term'] }, cites: ['automated-decision-objection'] },
  ],
  RU: [
    { rights: ['access'], sentence: 'ruAccess', terms: { term: ['access', 'term'], extension: ['access', 'extension'] }, cites: ['access'] },
    { rights: ['rectification'], sentence: 'ruCorrection', terms: { term: ['rectification', 'term'] }, cites: ['rectification'] },
    { rights: ['blocking', 'erasure'], sentence: 'ruUnlawful', terms: { stop: ['blocking', 'term'], destroy: ['erasure', 'term'] }, cites: ['blocking'] },
    { rights: ['consent-withdrawal'], sentence: 'ruWithdrawal', terms: { term: ['withdrawal-destroy', 'term'] }, cites: ['withdrawal-destroy'] },
    { rights: ['stop-processing'], sentence: 'ruStop', terms: { term: ['stop-processing', 'term'] }, cites: ['stop-processing'] },
  ],
};

function resolve(law: LawId, [obligation, part]: TermRef): Term {
  const rule = obligationRule(law, obligation);
  if (part === 'term') return rule.term;
  if (!rule.extension) throw new Error(`${law} ${obligation} has no extension`);
  if (part === 'extension') return rule.extension.term;
  return { amount: rule.term.amount + rule.extension.term.amount, unit: rule.term.unit };
}

function articles(law: LawId, cites: readonly ObligationId[]): string {
  const list = cites.flatMap((id) => {
    const rule = obligationRule(law, id);
    return rule.extension && rule.extension.article !== rule.article ? [rule.article, rule.extension.article] : [rule.article];
  });
  return [...new Set(list)].join(', ');
}

/**
 * The answer deadlines of one law, with the law module's terms and articles.
 *
 * @example answerDeadlines('KZ').map((d) => d.sentence) // ['kzInformation', 'kzCorrection', …]
 */
export function answerDeadlines(law: Jurisdiction): readonly AnswerDeadline[] {
  const id = LAW_ID_OF[law];
  return SPECS[law].map((spec) => ({
    law,
    rights: spec.rights,
    sentence: spec.sentence,
    terms: Object.fromEntries(Object.entries(spec.terms).map(([name, ref]) => [name, resolve(id, ref)])),
    citation: {
      law,
      article: spec.cites.length > 0 ? articles(id, spec.cites) : identityRule(id, 'access').article,
      ...(law === 'US-CA' ? { regulation: true } : {}),
    },
  }));
}

const UNIT_WORDS: Readonly<Record<TermUnit, DurationUnit>> = {
  'working-days': 'workingDay',
  'business-days': 'businessDay',
  'calendar-days': 'calendarDay',
  months: 'month',
  hours: 'hour',
};

/** A term in words in the reader's language: `15 рабочих дней`. */
export function termInWords(term: Term, locale: Locale): string {
  return countWithUnit(term.amount, UNIT_WORDS[term.unit], locale);
}

/**
 * A deadline as a sentence in the reader's language, its terms in words.
 *
 * @example describeDeadline(answerDeadlines('KZ')[2]!, 'ru')
 * // 'После отзыва согласия мы прекращаем обработку … не позднее чем через 15 рабочих дней …'
 */
export function describeDeadline(deadline: AnswerDeadline, locale: Locale): string {
  const values = Object.fromEntries(Object.entries(deadline.terms).map(([name, term]) => [name, termInWords(term, locale)]));
  return fillTemplate(messagesFor(locale).rights.deadlines[deadline.sentence], values);
}
