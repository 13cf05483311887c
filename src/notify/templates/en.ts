import { formatTime } from '../../consent/messages.js';
import type { MailLocale } from './catalog.js';

export const en: MailLocale = {
  greeting: 'Hello,',
  regards: 'Kind regards,',
  templates: {
    'consent-renewal': ({ operatorName, purposeTitle, renewUrl }) => ({
      subject: `${operatorName}: please renew your consent to “${purposeTitle}”`,
      body: [
        `${operatorName} has changed its privacy notice. The changes concern the processing of your personal data for the purpose “${purposeTitle}”, so that processing needs your consent again.`,
        'Until you renew your consent, no processing that relies on the new parts of the notice takes place.',
        { link: 'Review the changes and renew your consent', url: renewUrl },
        'If you prefer not to renew it, you need not do anything. You may also withdraw your consent at any time.',
      ],
      reason: `You are receiving this message because you gave ${operatorName} your consent to “${purposeTitle}”, and the terms of that processing have changed.`,
    }),
    'consent-withdrawn': ({ operatorName, purposeTitle, withdrawnAt, consentUrl }) => ({
      subject: `${operatorName}: your consent to “${purposeTitle}” has been withdrawn`,
      body: [
        `We confirm that you have withdrawn your consent to the processing of your personal data for the purpose “${purposeTitle}”.`,
        `Withdrawn on: ${formatTime(withdrawnAt, 'en')}.`,
        `From that moment ${operatorName} no longer processes your personal data for this purpose on the basis of that consent. Withdrawal does not affect processing carried out before it.`,
        'If you change your mind, you can give your consent again at any time:',
        { link: 'Give consent again', url: consentUrl },
      ],
      reason: `You are receiving this message because ${operatorName} confirms every change to the consents you have given it.`,
    }),
    'verification-code': ({ operatorName, code, expiresInMinutes }) => ({
      subject: `${operatorName}: your confirmation code`,
      body: [
        `To confirm your request to ${operatorName}, enter this code:`,
        { code },
        `The code is valid for ${expiresInMinutes === 1 ? '1 minute' : `${expiresInMinutes} minutes`}. Do not share it with anyone: ${operatorName} staff will never ask you for it.`,
        'If you did not make a request, ignore this message: nothing will happen without the code.',
      ],
      reason: `You are receiving this message because this e-mail address was given in a request to ${operatorName} about personal data.`,
    }),
  },
};
