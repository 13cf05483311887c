/** Consent acts to the demo policy's `marketing` purpose, complete under 94-V art. 8(4). */
import type { ConsentActInput } from '../../src/consent/requirements.js';

export function marketingConsent(policyVersion: number, overrides: Partial<ConsentActInput> = {}): ConsentActInput {
  return {
    purpose: 'marketing',
    decision: 'give',
    channel: 'web-form',
    subjectFullName: 'Marketing Person',
    categories: ['user.name', 'user.contact.email'],
    validity: 'P1Y',
    scope: { thirdParties: false, crossBorder: false, publicDissemination: false },
    notice: { policyVersion, locale: 'en', text: 'News and offers by e-mail' },
    ...overrides,
  };
}
