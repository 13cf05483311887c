/**
 * The fixed text of the pages a person reads about their consent — the readable copy of a
 * receipt and the unsubscribe pages — in every locale Custodian publishes (en, ru, kk).
 * Policy text (operator, purposes, categories) comes localized from the policy itself.
 */
import type { Locale } from '../policy/model.js';
import type { ConsentChannel, ConsentState, ConsentTopic, ScopeName } from './model.js';

export interface ConsentMessages {
  receiptTitle: string;
  receiptIntro: string;
  recordNumber: string;
  operator: string;
  /** Kazakhstan's registration numbers as each language abbreviates them. */
  registrationSchemes: Record<'BIN' | 'IIN', string>;
  subject: string;
  purpose: string;
  topicLabel: string;
  topics: Record<ConsentTopic, string>;
  /** How a receipt names a separate consent, after the purpose's title. */
  separateConsentTo: Record<ScopeName, string>;
  decision: string;
  states: Record<ConsentState, string>;
  time: string;
  validUntil: string;
  untilPurposeAchieved: string;
  personalData: string;
  thirdParties: string;
  crossBorder: string;
  publicDissemination: string;
  recipients: string;
  yes: string;
  no: string;
  channel: string;
  channels: Record<ConsentChannel, string>;
  notice: string;
  noticeVersion: (version: number) => string;
  fingerprint: string;
  notRecorded: string;
  /** The name is on record but this copy was made for a caller not allowed to read it. */
  nameWithheld: string;
  withdrawHow: string;
  contact: string;
  /** A receipt's `termination`: when the consent ends (ISO date, or null = when the purpose is achieved). */
  termination: (validUntil: string | null) => string;
  unsubscribeTitle: string;
  unsubscribeQuestion: (purpose: string) => string;
  unsubscribeButton: string;
  unsubscribedTitle: string;
  unsubscribed: (purpose: string) => string;
}

const en: ConsentMessages = {
  receiptTitle: 'Your consent record',
  receiptIntro: 'This is your copy of a decision you made about the processing of your personal data. Keep it: it shows exactly what you agreed to, and when.',
  recordNumber: 'Record number',
  operator: 'Operator',
  registrationSchemes: { BIN: 'BIN', IIN: 'IIN' },
  subject: 'Data subject',
  purpose: 'Purpose',
  topicLabel: 'Consent to',
  topics: {
    purpose: 'processing of personal data for this purpose',
    thirdParties: 'transfer to third parties (a separate consent)',
    crossBorder: 'cross-border transfer (a separate consent)',
    publicDissemination: 'public dissemination (a separate consent)',
  },
  separateConsentTo: {
    thirdParties: 'separate consent to transfer to third parties',
    crossBorder: 'separate consent to cross-border transfer',
    publicDissemination: 'separate consent to public dissemination',
  },
  decision: 'Decision',
  states: { given: 'Consent given', refused: 'Consent refused', withdrawn: 'Consent withdrawn', expired: 'Consent expired', 'renewal-needed': 'Consent must be renewed' },
  time: 'Date and time',
  validUntil: 'Valid until',
  untilPurposeAchieved: 'Until the purpose is achieved, unless you withdraw it earlier',
  personalData: 'Personal data',
  thirdParties: 'Transfer to third parties',
  crossBorder: 'Cross-border transfer',
  publicDissemination: 'Public dissemination',
  recipients: 'Recipients',
  yes: 'Yes',
  no: 'No',
  channel: 'How it was recorded',
  channels: { 'web-form': 'Web form', api: 'Application or service', paper: 'On paper', email: 'E-mail' },
  notice: 'Notice shown',
  noticeVersion: (version) => `Privacy policy, version ${version}`,
  fingerprint: 'Fingerprint of the text (SHA-256)',
  notRecorded: 'not recorded',
  nameWithheld: 'recorded; not shown in this copy',
  withdrawHow: 'You may withdraw your consent at any time, as easily as you gave it. Contact the operator:',
  contact: 'Contact',
  termination: (until) => `Valid ${until ? `until ${until}` : 'until the purpose is achieved'}, or until withdrawn; withdrawing is as easy as giving consent.`,
  unsubscribeTitle: 'Unsubscribe',
  unsubscribeQuestion: (purpose) => `Stop receiving “${purpose}”? This withdraws your consent to it.`,
  unsubscribeButton: 'Unsubscribe',
  unsubscribedTitle: 'You are unsubscribed',
  unsubscribed: (purpose) => `You will no longer receive “${purpose}”. Your consent has been withdrawn.`,
};

const ru: ConsentMessages = {
  receiptTitle: 'Запись о вашем согласии',
  receiptIntro: 'Это ваш экземпляр решения об обработке ваших персональных данных. Сохраните его: здесь точно указано, на что и когда вы согласились.',
  recordNumber: 'Номер записи',
  operator: 'Оператор',
  registrationSchemes: { BIN: 'БИН', IIN: 'ИИН' },
  subject: 'Субъект персональных данных',
  purpose: 'Цель',
  topicLabel: 'Согласие на',
  topics: {
    purpose: 'обработку персональных данных для этой цели',
    thirdParties: 'передачу третьим лицам (отдельное согласие)',
    crossBorder: 'трансграничную передачу (отдельное согласие)',
    publicDissemination: 'распространение в общедоступных источниках (отдельное согласие)',
  },
  separateConsentTo: {
    thirdParties: 'отдельное согласие на передачу третьим лицам',
    crossBorder: 'отдельное согласие на трансграничную передачу',
    publicDissemination: 'отдельное согласие на распространение в общедоступных источниках',
  },
  decision: 'Решение',
  states: { given: 'Согласие дано', refused: 'В согласии отказано', withdrawn: 'Согласие отозвано', expired: 'Срок действия согласия истёк', 'renewal-needed': 'Согласие нужно дать заново' },
  time: 'Дата и время',
  validUntil: 'Действует до',
  untilPurposeAchieved: 'До достижения цели обработки, если вы не отзовёте его раньше',
  personalData: 'Персональные данные',
  thirdParties: 'Передача третьим лицам',
  crossBorder: 'Трансграничная передача',
  publicDissemination: 'Распространение в общедоступных источниках',
  recipients: 'Получатели',
  yes: 'Да',
  no: 'Нет',
  channel: 'Способ получения',
  channels: { 'web-form': 'Веб-форма', api: 'Приложение или сервис', paper: 'На бумаге', email: 'Электронная почта' },
  notice: 'Показанное уведомление',
  noticeVersion: (version) => `Политика конфиденциальности, версия ${version}`,
  fingerprint: 'Отпечаток текста (SHA-256)',
  notRecorded: 'не указано',
  nameWithheld: 'указано; в этой копии не отображается',
  withdrawHow: 'Вы можете отозвать согласие в любой момент так же просто, как дали его. Обратитесь к оператору:',
  contact: 'Контакты',
  termination: (until) => `Действует ${until ? `до ${until}` : 'до достижения цели обработки'} или до отзыва; отозвать согласие так же просто, как дать его.`,
  unsubscribeTitle: 'Отписка',
  unsubscribeQuestion: (purpose) => `Больше не получать «${purpose}»? Это отзовёт ваше согласие.`,
  unsubscribeButton: 'Отписаться',
  unsubscribedTitle: 'Вы отписаны',
  unsubscribed: (purpose) => `Вы больше не будете получать «${purpose}». Ваше согласие отозвано.`,
};

const kk: ConsentMessages = {
  receiptTitle: 'Келісіміңіз туралы жазба',
  receiptIntro: 'Бұл дербес деректеріңізді өңдеу туралы шешіміңіздің сіздегі данасы. Оны сақтаңыз: мұнда неге және қашан келісім бергеніңіз нақты көрсетілген.',
  recordNumber: 'Жазба нөмірі',
  operator: 'Оператор',
  registrationSchemes: { BIN: 'БСН', IIN: 'ЖСН' },
  subject: 'Дербес деректер субъектісі',
  purpose: 'Мақсат',
  topicLabel: 'Келісім нысанасы',
  topics: {
    purpose: 'осы мақсат үшін дербес деректерді өңдеу',
    thirdParties: 'үшінші тұлғаларға беру (жеке келісім)',
    crossBorder: 'трансшекаралық беру (жеке келісім)',
    publicDissemination: 'жалпыға қолжетімді көздерде тарату (жеке келісім)',
  },
  separateConsentTo: {
    thirdParties: 'үшінші тұлғаларға беруге жеке келісім',
    crossBorder: 'трансшекаралық беруге жеке келісім',
    publicDissemination: 'жалпыға қолжетімді көздерде таратуға жеке келісім',
  },
  decision: 'Шешім',
  states: { given: 'Келісім берілді', refused: 'Келісім беруден бас тартылды', withdrawn: 'Келісім кері қайтарып алынды', expired: 'Келісімнің қолданылу мерзімі өтті', 'renewal-needed': 'Келісімді қайта беру қажет' },
  time: 'Күні мен уақыты',
  validUntil: 'Қолданылу мерзімі',
  untilPurposeAchieved: 'Өңдеу мақсатына жеткенге дейін, егер оны ертерек кері қайтарып алмасаңыз',
  personalData: 'Дербес деректер',
  thirdParties: 'Үшінші тұлғаларға беру',
  crossBorder: 'Трансшекаралық беру',
  publicDissemination: 'Жалпыға қолжетімді көздерде тарату',
  recipients: 'Алушылар',
  yes: 'Иә',
  no: 'Жоқ',
  channel: 'Алу тәсілі',
  channels: { 'web-form': 'Веб-форма', api: 'Қосымша немесе сервис', paper: 'Қағаз жүзінде', email: 'Электрондық пошта' },
  notice: 'Көрсетілген хабарлама',
  noticeVersion: (version) => `Құпиялылық саясаты, ${version}-нұсқа`,
  fingerprint: 'Мәтіннің цифрлық ізі (SHA-256)',
  notRecorded: 'көрсетілмеген',
  nameWithheld: 'көрсетілген; бұл көшірмеде берілмейді',
  withdrawHow: 'Келісімді кез келген уақытта оны бергендей оңай кері қайтарып ала аласыз. Операторға хабарласыңыз:',
  contact: 'Байланыс',
  termination: (until) => `${until ? `${until} дейін` : 'Өңдеу мақсатына жеткенге дейін'} немесе кері қайтарып алынғанға дейін қолданылады; келісімді кері қайтарып алу оны беру сияқты оңай.`,
  unsubscribeTitle: 'Жазылымнан бас тарту',
  unsubscribeQuestion: (purpose) => `«${purpose}» алуды тоқтатасыз ба? Бұл сіздің келісіміңізді кері қайтарады.`,
  unsubscribeButton: 'Жазылымнан шығу',
  unsubscribedTitle: 'Сіз жазылымнан шықтыңыз',
  unsubscribed: (purpose) => `Сіз енді «${purpose}» алмайсыз. Келісіміңіз кері қайтарып алынды.`,
};

export const CONSENT_MESSAGES: Record<Locale, ConsentMessages> = { en, ru, kk };

/** Dates as a person reads them, in UTC so a printed copy means the same everywhere. */
export function formatTime(epochMs: number, locale: Locale): string {
  return `${new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(epochMs))} UTC`;
}
