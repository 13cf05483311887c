/** The demo policy with Russia among the laws and an accounting purpose the law obliges us to keep. */
import { readFileSync } from 'node:fs';
import { DEMO_POLICY } from '../support/custodian.js';

export const ACCOUNTING_PURPOSE = `
  - id: accounting
    title:
      en: Keeping accounting records the law requires
      ru: Ведение бухгалтерского учёта, которого требует закон
      kk: Заң талап ететін бухгалтерлік есепті жүргізу
    legalBasis:
      gdpr: legal-obligation
      kz: law
      ru: law
    categories: [user.name, user.contact.email]
    subjects: [customer]
    operations: [collection, recording, storage, extraction, use, destruction]
    retention:
      duration: P5Y
      from: collected
    endAction: destroy
    sources: [direct]
`;

export function erasurePolicy(): string {
  const demo = readFileSync(DEMO_POLICY, 'utf8');
  return demo.replace('jurisdictions: [KZ, EU]', 'jurisdictions: [KZ, EU, RU]').replace('      kz: contract\n', '      kz: contract\n      ru: contract\n')
    .replace('      kz: consent\n', '      kz: consent\n      ru: consent\n')
    .replace('\nrecipients:\n', `${ACCOUNTING_PURPOSE}\nrecipients:\n`);
}
