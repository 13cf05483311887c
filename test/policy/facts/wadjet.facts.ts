/**
 * Seed 004 (Wadjet LLP, Kazakhstan 94-V): the promises its notice must keep, read off
 * shared/seeds/004_5a9b49c441ba66d1.txt clause by clause.
 */
import type { NoticeFact } from '../notice-facts.test.js';

export default [
  { fact: '§1 operator: LLP "Wadjet"', match: /Wadjet/ },
  {
    fact: '§1 drawn up under Law No. 94-V of 21 May 2013',
    match: { en: /No\. 94-V of 21 May 2013/, ru: /от 21 мая 2013 года № 94-V/, kk: /2013 жылғы 21 мамырдағы № 94-V/ },
  },
  { fact: '§1.2, §12.3 website and published policy', match: /wadjet\.kz\/privacy/ },
  {
    fact: '§2.2 blocking defined',
    match: { en: /Blocking of personal data/, ru: /Блокирование персональных данных/, kk: /Дербес деректерді бұғаттау/ },
  },
  {
    fact: '§2.5 depersonalization defined',
    match: { en: /Depersonalization of personal data/, ru: /Обезличивание персональных данных/, kk: /Дербес деректерді иесіздендіру/ },
  },
  {
    fact: '§2.14 destruction defined',
    match: { en: /Destruction of personal data/, ru: /Уничтожение персональных данных/, kk: /Дербес деректерді жою/ },
  },
  {
    fact: '§2.13 cross-border transfer defined',
    match: { en: /Cross-border transfer of personal data/, ru: /Трансграничная передача персональных данных/, kk: /Дербес деректерді трансшекаралық беру/ },
  },
  {
    fact: '§3.2 answers the authorised body within 10 days',
    match: { en: /within 10 days/, ru: /в течение 10 дней/, kk: /10 күн ішінде/ },
  },
  {
    fact: '§6 data: last name, first name, patronymic',
    match: { en: /[Ll]ast name, first name, patronymic/, ru: /Фамилия, имя, отчество/, kk: /Тегі, аты, әкесінің аты/ },
  },
  { fact: '§6 data: phone number', match: { en: /[Pp]hone number/, ru: /[Нн]омер телефона/, kk: /[Тт]елефон нөмірі/ } },
  { fact: '§6 data: e-mail', match: { en: /[Ee]-?mail address/, ru: /[Аа]дрес электронной почты/, kk: /[Ээ]лектрондық пошта мекенжайы/ } },
  {
    fact: '§6 purpose: establishing feedback with the User',
    match: { en: /[Ee]stablishing feedback with the User/, ru: /[Уу]становление с Пользователем обратной связи/, kk: /[Пп]айдаланушымен кері байланыс орнату/ },
  },
  {
    fact: '§6 purposes table: purpose | data | legal grounds | types of processing',
    match: { en: /Purpose of processing Personal data Legal grounds Types of processing/, ru: /Цель обработки Персональные данные Правовые основания Виды обработки/, kk: /Өңдеу мақсаты Дербес деректер Құқықтық негіздер Өңдеу түрлері/ },
  },
  {
    fact: '§6 types of processing: using automation tools',
    match: { en: /using automation tools/i, ru: /с использованием средств автоматизации/, kk: /автоматтандыру құралдарын пайдалана/ },
  },
  {
    fact: '§7.1 processing with the consent of the data subject',
    match: { en: /Consent of the data subject/, ru: /Согласие субъекта персональных данных/, kk: /Дербес деректер субъектісінің келісімі/ },
  },
  {
    fact: '§8.2 third parties only to perform a civil-law contract with consent',
    match: { en: /civil-law contract/, ru: /гражданско-правовому договору/, kk: /азаматтық-құқықтық шарт/ },
  },
  { fact: '§8.3 update by e-mail marked "Updating personal data"', match: /info@wadjet\.kz[^.]*Updating personal data/ },
  {
    fact: '§8.4 withdraw consent by e-mail marked "Withdrawal of consent to the processing of personal data"',
    match: /info@wadjet\.kz[^.]*Withdrawal of consent to the processing of personal data/,
  },
  {
    fact: '§8.4, §8.8 kept until the purpose is achieved',
    match: { en: /until the purpose of processing is achieved/, ru: /до достижения цели обработки/, kk: /өңдеу мақсатына қол жеткізілгенге дейін/ },
  },
  {
    fact: '§5.7 destroyed once the purpose is achieved',
    match: { en: /until the purpose of processing is achieved destroyed/, ru: /до достижения цели обработки уничтожаются/, kk: /өңдеу мақсатына қол жеткізілгенге дейін жойылады/ },
  },
  {
    fact: '§8.5 third-party services (payment systems, means of communication) under their own policies',
    match: { en: /payment systems/, ru: /платёжные системы/, kk: /төлем жүйелері/ },
  },
  {
    fact: '§9.1 list of operations',
    match: {
      en: /collection; recording; systematization; accumulation; storage; clarification \(updating, modification\); extraction; use; transfer \(dissemination, provision, access\); depersonalization; blocking; deletion; destruction/,
      ru: /сбор; запись; систематизация; накопление; хранение; уточнение \(обновление, изменение\); извлечение; использование; передача \(распространение, предоставление, доступ\); обезличивание; блокирование; удаление; уничтожение/,
      kk: /жинау; жазу; жүйелеу; жинақтау; сақтау; нақтылау \(жаңарту, өзгерту\); шығарып алу; пайдалану; беру \(тарату, ұсыну, қол жеткізу\); иесіздендіру; бұғаттау; өшіру; жою/,
    },
  },
  {
    fact: '§4.1 right to information, clarification, blocking, destruction, consent withdrawal (94-V)',
    match: {
      en: /Access .*Rectification .*Erasure \(destruction\) .*Blocking .*Withdrawal of consent/,
      ru: /Доступ .*Уточнение .*Удаление \(уничтожение\) .*Блокирование .*Отзыв согласия/,
      kk: /Ақпаратқа қол жеткізу .*Нақтылау .*Өшіру \(жою\) .*Бұғаттау .*Келісімді кері қайтарып алу/,
    },
  },
  {
    fact: '§4.1 appeal to the authorised body or to court',
    match: {
      en: /authorized body for the protection of the rights of personal data subjects or to court/,
      ru: /в уполномоченный орган по защите прав субъектов персональных данных или в суд/,
      kk: /уәкілетті органға немесе сотқа шағымдана аласыз/,
    },
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
    fact: '§10.1 notifies the authorised body before cross-border transfer',
    match: {
      en: /notif(y|ies) the authori[sz]ed body[^.]*cross-border|cross-border[^.]*notif(y|ies) the authori[sz]ed body/i,
      ru: /уведомля[а-я]+ уполномоченный орган/,
      kk: /уәкілетті органды[^.]*хабардар ет|уәкілетті органға[^.]*хабарла/,
    },
  },
  {
    fact: '§8 legal, organisational and technical security measures',
    match: { en: /legal, organi[sz]ational and technical measures/, ru: /правовых, организационных и технических мер/, kk: /құқықтық, ұйымдастырушылық және техникалық шара/ },
  },
  { fact: '§12.1 clarifications by e-mail', match: /info@wadjet\.kz/ },
  {
    fact: '§12.2 valid indefinitely until replaced by a new version',
    match: { en: /indefinitely/, ru: /действует бессрочно/, kk: /мерзімсіз қолданылады/ },
  },
] satisfies readonly NoticeFact[];
