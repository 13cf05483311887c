/**
 * Names of the legal bases a purpose can declare, per law. The model keeps the Kazakh,
 * Russian and CCPA bases as strings; these are the values the notice knows how to
 * explain. A value outside them is the operator's own wording and is shown as written.
 */
import { GDPR_BASES, type GdprBasis, type Jurisdiction, type LegalBasis } from '../model.js';
import type { Messages } from './messages.js';
import type { Citation } from './rights.js';

/**
 * Processing conditions of 94-V art. 7/9 and 152-FZ art. 6(1), named as the policy
 * language names them (`schema.ts`); `legitimate-interests` exists under 152-FZ only.
 */
export const PROCESSING_CONDITIONS = [
  'consent',
  'contract',
  'law',
  'court',
  'public-task',
  'vital-interests',
  'statistics',
  'journalism',
  'public-data',
  'legitimate-interests',
] as const;
export type ProcessingCondition = (typeof PROCESSING_CONDITIONS)[number];

/**
 * Business purposes of Cal. Civ. Code § 1798.140(e), the exemptions of § 1798.145(a),
 * a merger or acquisition (§ 1798.140(ad)(2)(C)), and selling and sharing (§ 1798.120).
 */
export const CCPA_PURPOSES = [
  'auditing',
  'security',
  'debugging',
  'short-term-use',
  'performing-services',
  'advertising-services',
  'internal-research',
  'quality-safety',
  'legal-compliance',
  'legal-claims',
  'merger-acquisition',
  'sale',
  'sharing',
] as const;
export type CcpaPurpose = (typeof CCPA_PURPOSES)[number];

const CCPA_SECTIONS: Readonly<Partial<Record<CcpaPurpose, string>>> = {
  'legal-compliance': '1798.145(a)',
  'legal-claims': '1798.145(a)',
  'merger-acquisition': '1798.140(ad)(2)(C)',
  sale: '1798.120',
  sharing: '1798.120',
};

/** GDPR art. 9(2) conditions for special categories, by point. */
export const GDPR_ART9_CONDITIONS = {
  'explicit-consent': 'a',
  employment: 'b',
  'vital-interests': 'c',
  'not-for-profit': 'd',
  'made-public': 'e',
  'legal-claims': 'f',
  'substantial-public-interest': 'g',
  'health-care': 'h',
  'public-health': 'i',
  'archiving-research': 'j',
} as const;
export type GdprArt9Condition = keyof typeof GDPR_ART9_CONDITIONS;

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
  return (PROCESSING_CONDITIONS as readonly string[]).includes(value);
}

function isCcpaPurpose(value: string): value is CcpaPurpose {
  return (CCPA_PURPOSES as readonly string[]).includes(value);
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
  return value in GDPR_ART9_CONDITIONS
    ? {
        title: messages.legalBases.gdprArt9Conditions[value as GdprArt9Condition],
        citation: { law: gdprLaw, article: `9(2)(${GDPR_ART9_CONDITIONS[value as GdprArt9Condition]})` },
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
