/**
 * Requests people file themselves, with no API key: the answer is the same whether or not
 * the address belongs to someone Custodian holds data on. A code is mailed only to a known
 * subject's own address; to everyone the answer says "if we hold data linked to this
 * address, we sent a code to it".
 */
import { CustodianError } from '../errors.js';
import { lawsFor, type RequestType, rightOf } from '../law/index.js';
import type { Locale } from '../policy/model.js';
import type { PolicyVersions } from '../policy/versions.js';
import type { RightsRequests } from './requests.js';
import type { Verification } from './verification.js';

export const PUBLIC_INTAKE_MESSAGES: Readonly<Record<Locale, { codeSent: string; noCodeNeeded: string }>> = {
  en: {
    codeSent: 'Your request is recorded. If we hold personal data linked to this address, we have sent a confirmation code to it; enter it to confirm the request.',
    noCodeNeeded: 'Your request is recorded. It needs no confirmation.',
  },
  ru: {
    codeSent: 'Ваш запрос зарегистрирован. Если у нас есть персональные данные, связанные с этим адресом, мы отправили на него код подтверждения; введите его, чтобы подтвердить запрос.',
    noCodeNeeded: 'Ваш запрос зарегистрирован. Подтверждение не требуется.',
  },
  kk: {
    codeSent: 'Сұрауыңыз тіркелді. Егер бізде осы мекенжаймен байланысты дербес деректер болса, біз оған растау кодын жібердік; сұрауды растау үшін оны енгізіңіз.',
    noCodeNeeded: 'Сұрауыңыз тіркелді. Растау қажет емес.',
  },
};

export interface PublicIntakeDeps {
  policies: PolicyVersions;
  requests: RightsRequests;
  verification: Verification;
}

export async function publicIntake(deps: PublicIntakeDeps, input: { type: RequestType; email: string; locale?: Locale }): Promise<{ id: string; state: string; message: string }> {
  const { policies, requests, verification } = deps;
  const policy = policies.active().index.policy;
  const locale = input.locale ?? policy.defaultLocale;
  // Refused only for what no declared law grants anyone: a refusal must not depend on who the address belongs to.
  if (!lawsFor(policy.operator.jurisdictions, null).some((law) => rightOf(law, input.type))) {
    throw new CustodianError('validation_failed', 'No law the operator answers to grants this kind of request', [{ path: 'type', message: 'not a right under the operator’s laws' }]);
  }
  const filed = await requests
    .intake({ type: input.type, identifiers: [{ type: 'email', value: input.email }], channel: 'web-form', locale }, 'subject')
    .catch(async (error: unknown) => {
      // The person's own laws grant no such right: recorded without the subject (it closes unverified), answered as for anyone.
      if (error instanceof CustodianError && error.details.some((d) => d.path === 'type')) return requests.intake({ type: input.type, channel: 'web-form', locale }, 'subject');
      throw error;
    });
  const request = filed.request;
  if (request.identity === 'not-required') return { id: request.id, state: request.state, message: PUBLIC_INTAKE_MESSAGES[locale].noCodeNeeded };
  if (request.state === 'received' || request.state === 'verifying') await verification.sendCode(request.id, 'subject');
  return { id: request.id, state: 'verifying', message: PUBLIC_INTAKE_MESSAGES[locale].codeSent };
}
