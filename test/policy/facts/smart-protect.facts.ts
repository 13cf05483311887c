/**
 * Seed 002 (Smart Protect, run by Smart Service Group LLP, Kazakhstan): the promises its
 * notice must keep, read off shared/seeds/002_f58f7f5b7e918c66.txt (English and Russian
 * text of the same policy).
 */
import type { NoticeFact } from '../notice-facts.test.js';

export default [
  { fact: '§1.1 Smart Protect', match: /Smart Protect/ },
  { fact: '§1.1 operator: LLP "Smart Service Group"', match: { en: /Smart Service Group/, ru: /Смарт Сервис Групп|Smart Service Group/, kk: /Смарт Сервис Групп|Smart Service Group/ } },
  { fact: '§1.1 legal address: Almaty, Tole Bi st., 23A', match: { en: /Tole Bi[^;]{0,30}23[AА]|23[AА][^;]{0,10}Tole Bi/i, ru: /Толе би[^;]{0,30}23[AА]/i, kk: /(Төле|Толе) би[^;]{0,30}23[AА]|23[AА][^;]{0,10}(Төле|Толе) би/i } },
  { fact: '§1.1 website www.smprotect.com', match: /smprotect\.com/i },
  {
    fact: 'processing under the law of the Republic of Kazakhstan (94-V)',
    match: { en: /No\. 94-V/, ru: /№ 94-V/, kk: /№ 94-V/ },
  },
  {
    fact: '§2.2 cookies identify the User; can be disabled in the browser',
    match: { en: /cookies?[^.]*browser/i, ru: /cookies?[^.]*браузер/i, kk: /cookies?[^.]*браузер/i },
  },
  { fact: '§2.3.1 data: last name, first name, patronymic', match: { en: /[Ll]ast name, first name, patronymic|[Ff]ull name/, ru: /[Фф]амилия, имя, отчество/, kk: /[Тт]егі, аты, әкесінің аты/ } },
  { fact: '§2.3.2 data: passport data', match: { en: /[Pp]assport/, ru: /[Пп]аспорт/, kk: /[Пп]аспорт/ } },
  { fact: '§2.3.3 data: e-mail address', match: { en: /[Ee]-?mail address/, ru: /[Аа]дрес электронной почты/, kk: /[Ээ]лектрондық пошта мекенжайы/ } },
  {
    fact: '§2.3.4 data: user accounts on the mobile device',
    match: {
      en: /accounts? on the (User's )?mobile device|mobile device accounts?/i,
      ru: /[Аа]ккаунты пользователя в мобильном устройстве|[Аа]ккаунт[а-я]*[^.;]*мобильн/,
      kk: /(аккаунт|есептік жазба)[^.;]*(мобильді|құрылғы)|(мобильді|құрылғы)[^.;]*(аккаунт|есептік жазба)/i,
    },
  },
  { fact: '§2.3.5 data: phone number', match: { en: /[Pp]hone number/, ru: /[Нн]омер телефона/, kk: /[Тт]елефон нөмірі/ } },
  { fact: '§2.3.6 data: geolocation of the mobile device', match: { en: /[Gg]eolocation/, ru: /[Гг]еолокаци/, kk: /[Гг]еолокаци|[Оо]рналасқан жер/ } },
  {
    fact: '§2.4 stored within 1 year from provision',
    match: { en: /1 year from collection/, ru: /1 год с момента сбора/, kk: /жиналған сәттен бастап 1 жыл/ },
  },
  {
    fact: '§3.1 consent to transfer to third parties, including abroad (cross-border transfer)',
    match: { en: /your consent to cross-border transfer/, ru: /ваше согласие на трансграничную передачу/, kk: /трансшекаралық беруге сіздің келісіміңіз/ },
  },
  {
    fact: '§3.2 consent to information mailings and promotional materials',
    match: { en: /mailings|promotional/i, ru: /рассыл[а-я]*|рекламн[а-я]* материал/, kk: /жарнамалық|таратылым|хабарлама/ },
  },
  {
    fact: '§4.1.1 purpose: performing obligations under the Contract',
    match: { en: /obligations[^.;]*(Contract|Agreement)/i, ru: /обязательств[^.;]*Договор/, kk: /Шарт[^.;]*міндеттемелер/i },
  },
  {
    fact: '§4.1.5 purpose: registration and identification of the User',
    match: { en: /[Rr]egistration[^.;]*identification/, ru: /[Рр]егистрац[а-я]*[^.;]*идентификац/, kk: /[Тт]іркеу[^.;]*сәйкестендіру|[Сс]әйкестендіру[^.;]*тіркеу/ },
  },
  {
    fact: '§4.1.6 purpose: meeting the requirements of the legislation of Kazakhstan',
    match: { en: /legislation of the Republic of Kazakhstan/, ru: /законодательства Республики Казахстан/, kk: /Қазақстан Республикасы заңнамасының/ },
  },
  {
    fact: '§5.1 legal, organisational and technical protection measures',
    match: { en: /legal, organi[sz]ational and technical measures/, ru: /правовые, организационные и технические меры/, kk: /құқықтық, ұйымдастырушылық және техникалық шара/ },
  },
  {
    fact: '§5.3 does not sell information about Users',
    match: { en: /not sell/i, ru: /не прода[её]т/, kk: /сатпайды/ },
  },
  {
    fact: '§6.1 statistical research on depersonalised information, access granted to third parties',
    match: {
      en: /statistic[a-z]*[^.]*(impersonal|depersonali[sz]ed|anonymi[sz]ed)|(impersonal|depersonali[sz]ed|anonymi[sz]ed)[^.]*statistic/i,
      ru: /статистическ[^.]*обезличенн|обезличенн[^.]*статистическ/,
      kk: /статистика[^.]*иесіздендір|иесіздендір[^.]*статистика/,
    },
  },
  {
    fact: '§6.2 information to law enforcement and other state bodies',
    match: { en: /law enforcement/i, ru: /правоохранительн/, kk: /құқық қорғау/ },
  },
  {
    fact: '§7.1 the User may delete or change the information on the Site',
    match: { en: /Yourself, online: https?:\/\/(www\.)?smprotect\.com/i, ru: /Самостоятельно, онлайн: https?:\/\/(www\.)?smprotect\.com/i, kk: /Өз бетіңізше, онлайн: https?:\/\/(www\.)?smprotect\.com/i },
  },
  {
    fact: '§7.2 consent to newsletters may be revoked at any time',
    match: { en: /you may refuse it at any time/, ru: /вы можете отказаться от него в любой момент/, kk: /одан кез келген уақытта бас тарта аласыз/ },
  },
  {
    fact: '94-V deadline: correct, block or destroy within 1 working day',
    match: { en: /within 1 working day/, ru: /через 1 рабочий день/, kk: /1 жұмыс күні ішінде/ },
  },
  {
    fact: '94-V deadline: stop processing within 15 working days of consent withdrawal',
    match: { en: /within 15 working days/, ru: /через 15 рабочих дней/, kk: /15 жұмыс күні ішінде/ },
  },
  {
    fact: 'revision of 15 June 2017',
    match: { en: /June 15, 2017/, ru: /15 июня 2017 г\./, kk: /2017 ж\. 15 маусым/ },
  },
  {
    fact: '§8.2 a new revision takes effect when posted on the Site',
    match: { en: /posted on the Site|comes into force from the moment/i, ru: /вступает в силу с момента (ее |её )?размещения/, kk: /орналастырылған сәттен бастап[^.]*күшіне енеді|күшіне[^.]*орналастыр/ },
  },
] satisfies readonly NoticeFact[];
