/**
 * Seed 001 (SmartThings LLP, processing under Russia's 152-FZ as the seed states): the
 * promises its notice must keep, read off shared/seeds/001_56775a384f01deba.txt.
 */
import type { NoticeFact } from '../notice-facts.test.js';

export default [
  { fact: '§1.1 operator: SmartThings LLP', match: /SmartThings/ },
  {
    fact: '§1.2 processed under Federal Law No. 152-FZ "On Personal Data"',
    match: { en: /Federal Law[^.]*No\. 152-FZ[^.]*"On Personal Data"/, ru: /Федеральный закон[^.]*№ 152-ФЗ «О персональных данных»/, kk: /«Дербес деректер туралы»[^.]*№ 152-ФЗ/ },
  },
  { fact: '§1.2 website', match: /smarththings\.kz/ },
  {
    fact: '§2.5 depersonalization defined (152-FZ terms)',
    match: { en: /Depersonalization of personal data/, ru: /Обезличивание персональных данных/, kk: /Дербес деректерді иесіздендіру/ },
  },
  {
    fact: '§2.6–2.7 dissemination and provision defined',
    match: { en: /Provision of personal data/, ru: /Предоставление персональных данных/, kk: /Дербес деректерді ұсыну/ },
  },
  { fact: '§3.1 data: e-mail address', match: { en: /[Ee]-?mail address/, ru: /[Аа]дрес электронной почты/, kk: /[Ээ]лектрондық пошта мекенжайы/ } },
  { fact: '§3.2 data: phone number', match: { en: /[Pp]hone number/, ru: /[Нн]омер телефона/, kk: /[Тт]елефон нөмірі/ } },
  {
    fact: '§3.3, §4.1 data: name (surname, first name, patronymic)',
    match: { en: /[Ff]ull name|[Ss]urname|[Ll]ast name/, ru: /[Фф]амилия, имя, отчество/, kk: /[Тт]егі, аты, әкесінің аты/ },
  },
  { fact: '§3.4 statistics services Yandex Metrica and Google Analytics', match: /(Yandex|Яндекс)[^.]*(Metrica|Metrika|Метрика)/ },
  { fact: '§3.4 Google Analytics', match: /Google Analytics/ },
  {
    fact: '§4.1 purpose: clarify the details of the order',
    match: { en: /details of the order|order details/i, ru: /[Уу]точнение деталей заказа/, kk: /[Тт]апсырыс/ },
  },
  {
    fact: '§4.1 notifications about new products and services, special offers and events',
    match: { en: /new products and services/, ru: /новых продуктах и услугах/, kk: /жаңа өнімдер/ },
  },
  {
    fact: '§4.1 the User can always refuse informational messages',
    match: { en: /you may refuse it at any time/, ru: /вы можете отказаться от него в любой момент/, kk: /одан кез келген уақытта бас тарта аласыз/ },
  },
  {
    fact: '§4.2 anonymised statistics used to improve the site',
    match: { en: /improve the quality of the site/i, ru: /качества сайта/, kk: /[Сс]айттың[^.;]*сапасын/ },
  },
  {
    fact: '§5.1 legal basis: consent',
    match: { en: /152-FZ: Consent of the data subject/, ru: /152-ФЗ: Согласие субъекта персональных данных/, kk: /152-ФЗ: Дербес деректер субъектісінің келісімі/ },
  },
  {
    fact: '§5.2 analytics cookies only when allowed in the browser',
    match: { en: /analytics/, ru: /аналитические/, kk: /аналитикалық/ },
  },
  {
    fact: '§6.2 no disclosure to third parties except under applicable law',
    match: {
      en: /third parties[^.]*(except|unless)[^.]*law|law[^.]*third parties/i,
      ru: /третьим лицам[^.]*за исключением[^.]*законодательств|законодательств[^.]*третьим лицам/,
      kk: /үшінші тұлғаларға[^.]*заң|заң[^.]*үшінші тұлғаларға/,
    },
  },
  { fact: '§6.3 update by e-mail marked "Personal data update"', match: /support@smart(ht)?hings\.kz[^.]*Personal data update/ },
  {
    fact: '§6.3 withdraw consent by e-mail marked "Withdrawal of consent to the processing of personal data"',
    match: /support@smart(ht)?hings\.kz[^.]*Withdrawal of consent to the processing of personal data/,
  },
  { fact: '§6.3 processing period unlimited', match: { en: /\bunlimited\b/, ru: /бессрочно/, kk: /мерзімсіз/ } },
  {
    fact: '152-FZ deadline: information within 10 working days, +5',
    match: { en: /within 10 working days[^.]*5 working days/, ru: /через 10 рабочих дней[^.]*5 рабочих дней/, kk: /10 жұмыс күні ішінде[^.]*5 жұмыс күні/ },
  },
  {
    fact: '152-FZ deadline: correction within 7 working days',
    match: { en: /within 7 working days/, ru: /через 7 рабочих дней/, kk: /7 жұмыс күні ішінде/ },
  },
  {
    fact: '152-FZ deadline: destruction within 30 days of consent withdrawal',
    match: { en: /within 30 calendar days/, ru: /через 30 календарных дней/, kk: /30 күнтізбелік күн ішінде/ },
  },
  {
    fact: '§7.1 clarifications by e-mail to support@smarthings.kz',
    match: { en: /By e-mail to support@smart(ht)?hings\.kz/, ru: /По электронной почте support@smart(ht)?hings\.kz/, kk: /Электрондық пошта арқылы: support@smart(ht)?hings\.kz/ },
  },
  {
    fact: '§7.2 material changes may be sent to the User\'s e-mail',
    match: { en: /material changes?[^.]*e-?mail/i, ru: /существенных изменени[а-я]*[^.]*электронной почты/, kk: /[Ее]леулі өзгеріс[^.]*электрондық пошта/ },
  },
] satisfies readonly NoticeFact[];
