/** Policies, subjects and consent inputs shared by the consent tests. */
import { fileURLToPath } from 'node:url';
import type { ConsentActInput } from '../../src/consent/requirements.js';
import type { Custodian } from '../../src/custodian.js';
import type { Jurisdiction, Locale } from '../../src/policy/model.js';
import { storeSnapshot } from '../support/snapshot.js';

/** A Kazakh operator: loyalty shared abroad (7(6)), wellness with health data, a newsletter. */
export const KZ_POLICY = fileURLToPath(new URL('./fixtures/kz-transfers.policy.yaml', import.meta.url));
/** An EU + California operator: legitimate interests, ad sharing, newsletter, voice recordings. */
export const GLOBAL_POLICY = fileURLToPath(new URL('./fixtures/global.policy.yaml', import.meta.url));

export const NOTICE_TEXT = 'Я даю согласие ТОО «Steppe Market» (БИН 240540001232) на обработку моих персональных данных…';
export const FULL_NAME = 'Айгерим Нурланқызы Сейітова';

export async function newSubject(custodian: Custodian, email: string, options: { locale?: Locale; jurisdiction?: Jurisdiction } = {}): Promise<string> {
  const { id } = await custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: email }], ...options }, 'test');
  return id;
}

/** A complete Kazakhstan consent (94-V art. 8(4)) to a purpose of the KZ policy, version 1. */
export function kzConsent(purpose: string, overrides: Partial<ConsentActInput> = {}): ConsentActInput {
  return {
    purpose,
    decision: 'give',
    channel: 'web-form',
    notice: { policyVersion: 1, locale: 'ru', text: NOTICE_TEXT },
    subjectFullName: FULL_NAME,
    validity: 'P1Y',
    scope: { thirdParties: false, crossBorder: false, publicDissemination: false },
    categories: ['user.name', 'user.contact.email'],
    ...overrides,
  };
}

/** A GDPR-style consent (no 94-V content) to a purpose of the given version. */
export function plainConsent(purpose: string, overrides: Partial<ConsentActInput> = {}): ConsentActInput {
  return { purpose, decision: 'give', channel: 'api', notice: { policyVersion: 1, locale: 'en', text: 'We would like to…' }, ...overrides };
}

/** Every table's fingerprint (consent tables included), to prove a rejected act wrote nothing. */
export async function fullSnapshot(custodian: Custodian): Promise<Record<string, string>> {
  return storeSnapshot(custodian);
}

export const DAY = 86_400_000;
