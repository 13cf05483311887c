/**
 * ISO 8601 durations and dates in words. Plural forms come from the catalogs and are
 * chosen by `Intl.PluralRules`, which knows that Russian says 1 год, 2 года, 5 лет,
 * 21 год, while Kazakh keeps the noun singular after a numeral (1 жыл, 30 күн).
 */
import type { Locale } from '../model.js';
import { messagesFor, type DurationUnit } from './messages.js';

const ISO_DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;
const ISO_UNITS: readonly DurationUnit[] = ['year', 'month', 'week', 'day', 'hour', 'minute', 'second'];

export interface DurationPart {
  amount: number;
  unit: DurationUnit;
}

/**
 * Splits an ISO 8601 duration into its non-zero parts (all zero: a single `0 days`).
 * Throws on anything else: the compiler validates durations, so a bad one here is a bug.
 *
 * @example parseDuration('P1Y6M') // [{ amount: 1, unit: 'year' }, { amount: 6, unit: 'month' }]
 */
export function parseDuration(iso: string): DurationPart[] {
  const match = ISO_DURATION.exec(iso);
  if (!match || iso === 'P' || iso.endsWith('T')) throw new RangeError(`Not an ISO 8601 duration: ${iso}`);
  const parts = ISO_UNITS.flatMap((unit, i) => {
    const amount = Number(match[i + 1] ?? 0);
    return amount > 0 ? [{ amount, unit }] : [];
  });
  return parts.length > 0 ? parts : [{ amount: 0, unit: 'day' }];
}

/**
 * A count with its noun in the right plural form.
 *
 * @example countWithUnit(5, 'year', 'ru') // '5 лет'
 */
export function countWithUnit(amount: number, unit: DurationUnit, locale: Locale): string {
  const forms = messagesFor(locale).duration.units[unit];
  const category = new Intl.PluralRules(locale).select(amount);
  const noun = forms[category as keyof typeof forms] ?? forms.other;
  return `${new Intl.NumberFormat(locale).format(amount)} ${noun}`;
}

/**
 * An ISO 8601 duration in words.
 *
 * @example durationInWords('P2Y', 'ru') // '2 года'
 * @example durationInWords('P1Y6M', 'en') // '1 year and 6 months'
 */
export function durationInWords(iso: string, locale: Locale): string {
  const words = parseDuration(iso).map((part) => countWithUnit(part.amount, part.unit, locale));
  return new Intl.ListFormat(locale, { type: 'conjunction' }).format(words);
}

/**
 * An ISO date (or date-time) as the locale writes it, read in UTC so the calendar day
 * does not shift with the server's time zone.
 *
 * @example formatDate('2026-01-15', 'ru') // '15 января 2026 г.'
 */
export function formatDate(iso: string, locale: Locale): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) throw new RangeError(`Not an ISO 8601 date: ${iso}`);
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(time);
}
