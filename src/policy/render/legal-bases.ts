/**
 * Names of the legal bases a purpose can declare, per law. The model keeps the Kazakh,
 * Russian and CCPA bases as strings; these are the values the notice knows how to
 * explain. A value outside them is the operator's own wording and is shown as written.
 */
import { CCPA_BASES, type CcpaPurpose, GDPR_ART9_CONDITIONS, GDPR_BASES, type GdprArt9Condition, type GdprBasis, type Jurisdiction, type LegalBasis, type ProcessingCondition, RU_BASES } from '../model.js';
import type { Messages } from './messages.js';
import type { Citation } from './rights.js';

export type { CcpaPurpose, GdprArt9Condition, ProcessingCondition } from '../model.js';

const CCPA_SECTIONS: Readonly<Partial<Record<CcpaPurpose, string>>> = {
  'legal-compliance': '1798.145(a)',
  'legal-claims': '1798.145(a)',
  'merger-acquisition': '1798.140(ad)(2)(C)',
  sale: '1798.120',
  sharing: '1798.120',
};

/** The point of GDPR art. 9(2) each condition is: its position in the list, (a)–(j). */
const ART9_POINT = Object.fromEntries(GDPR_ART9_CONDITIONS.map((c, i) => [c, String.fromCharCode(97 + i)])) as Record<GdprArt9Condition, string>;

const GDPR_POINTS: Readonly<Record<GdprBasis, string>> = {
  consent: 'a',
  contract: 'b',
  'legal-obligation': 'c',
  'vital-interests': 'd',
  'public-task': 'e',
  'legitimate-interests': 'f',
};

/** Which basis field of a purpose each law reads. */
export type BasisLaw = 'kz' | 'ru' | 'gdpr' | 'ccpa';

export interface StatedBasis {
  law: BasisLaw;
  /** The value as declared, e.g. `consent`, `legitimate-interests`, `performing-services`. */
  value: string;
  title: string;
  explanation?: string;
  citation?: Citation;
}

function isCondition(value: string): value is ProcessingCondition {
  return (RU_BASES as readonly string[]).includes(value);
}

function isCcpaPurpose(value: string): value is CcpaPurpose {
  return (CCPA_BASES as readonly string[]).includes(value);
}

function isGdprBasis(value: string): value is GdprBasis {
  return (GDPR_BASES as readonly string[]).includes(value);
}

/**
 * Explains one declared basis in the reader's language.
 *
 * @param gdprLaw which GDPR to cite (`UK` when only UK GDPR applies).
 */
export function describeBasis(law: BasisLaw, value: string, messages: Messages, gdprLaw: Jurisdiction = 'EU'): StatedBasis {
  const m = messages.legalBases;
  switch (law) {
    case 'kz':
    case 'ru':
      return isCondition(value)
        ? { law, value, title: m.conditions[value].title, explanation: m.conditions[value].explanation }
        : { law, value, title: value };
    case 'gdpr':
      return isGdprBasis(value)
        ? {
            law,
            value,
            title: m.gdpr[value].title,
            explanation: m.gdpr[value].explanation,
            citation: { law: gdprLaw, article: `6(1)(${GDPR_POINTS[value]})` },
          }
        : { law, value, title: value };
    case 'ccpa':
      return isCcpaPurpose(value)
        ? { law, value, title: m.ccpa[value], citation: { law: 'US-CA', article: CCPA_SECTIONS[value] ?? '1798.140(e)' } }
        : { law, value, title: value };
  }
}

/** The GDPR art. 9(2) condition a purpose declares for special categories, in words. */
export function describeArt9(value: string, messages: Messages, gdprLaw: Jurisdiction = 'EU'): { title: string; citation?: Citation } {
  return value in ART9_POINT
    ? {
        title: messages.legalBases.gdprArt9Conditions[value as GdprArt9Condition],
        citation: { law: gdprLaw, article: `9(2)(${ART9_POINT[value as GdprArt9Condition]})` },
      }
    : { title: value };
}

/** The bases a purpose declares, in the order kz, ru, gdpr, ccpa. */
export function statedBases(basis: LegalBasis): Array<{ law: BasisLaw; value: string }> {
  const laws: BasisLaw[] = ['kz', 'ru', 'gdpr', 'ccpa'];
  return laws.flatMap((law) => {
    const value = basis[law];
    return value ? [{ law, value }] : [];
  });
}
