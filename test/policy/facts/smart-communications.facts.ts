/**
 * Seed 003 (Smart Communications group, UK/EU GDPR and CCPA): the promises its notice
 * must keep, read off shared/seeds/003_dd7cf82b0a94113a.txt.
 */
import type { NoticeFact } from '../notice-facts.test.js';

/** "Group companies responsible for the processing of personal data", with where each is located. */
const groupCompanies: NoticeFact[] = [
  ['SmartComms Pty Limited', /Australia/, /Австралия/, /Аустралия/],
  ['SmartComms LLC', /United States/, /Соединенные Штаты/, /Америка Құрама Штаттары/],
  ['Intelledox Pty Limited', /Australia/, /Австралия/, /Аустралия/],
  ['Intelledox Inc', /United States/, /Соединенные Штаты/, /Америка Құрама Штаттары/],
  ['Intelledox Asia PTE Limited', /Singapore/, /Сингапур/, /Сингапур/],
  ['Intelledox Limited', /Ireland/, /Ирландия/, /Ирландия/],
  ['SmartComms Platinum AG', /Switzerland/, /Швейцария/, /Швейцария/],
  ['SmartComms GmbH', /Germany/, /Германия/, /Германия/],
  ['Smart Communications CCM Austria GmbH', /Austria/, /Австрия/, /Аустрия/],
  ['SmartComms Platinum Pte Ltd', /Singapore/, /Сингапур/, /Сингапур/],
].map(([name, en, ru, kk]) => {
  const company = (name as string).replace(/ /g, '\\s');
  const located = (country: RegExp) => new RegExp(`${company}\\s[^|;]{0,80}?${country.source}`);
  return { fact: `group company ${name as string}, located in ${(en as RegExp).source}`, match: { en: located(en as RegExp), ru: located(ru as RegExp), kk: located(kk as RegExp) } };
});

export default [
  { fact: 'parent company SmartComms SC Limited', match: /SmartComms SC Limited/ },
  { fact: 'trading as Smart Communications', match: /Smart Communications/ },
  { fact: 'registered with the ICO under Z9698640', match: /ICO[^;]{0,40}Z9698640/ },
  { fact: 'address: Catalyst House, 720 Centennial Court, Elstree, WD6 3SY', match: /Catalyst House[^;]*WD6 3SY/ },
  { fact: 'telephone 020 8238 7400 (UK)', match: /8238 ?7400/ },
  { fact: 'telephone 1-800-986-6810 (US)', match: /800[- ]?986[- ]?6810/ },
  {
    fact: 'contact: attention Data Protection Officer',
    match: { en: /Data protection officer/i, ru: /Инспектор по защите данных \(DPO\)/, kk: /Деректерді қорғау жөніндегі инспектор \(DPO\)/ },
  },
  ...groupCompanies,
  {
    fact: '§8 transfers to group companies under the 2021 standard contractual clauses',
    match: { en: /standard contractual clauses/i, ru: /стандартные договорные условия/i, kk: /стандартты шарттық талаптар/i },
  },
  { fact: '§2 Identity Data: job title, company name, usernames', match: { en: /[Jj]ob title/, ru: /[Дд]олжность/, kk: /[Лл]ауазым/ } },
  { fact: '§2 Finance Data: corporate bank account', match: { en: /bank account/i, ru: /банковск[а-я]* сч[её]т/i, kk: /банк шот/i } },
  { fact: '§2 Finance Data: corporate payment card', match: { en: /payment card/i, ru: /платёжн[а-я]* карт|платежн[а-я]* карт/i, kk: /төлем карта/i } },
  { fact: '§2 Support Data: log files, screen shots', match: { en: /log files/i, ru: /журнал[а-я]*|лог-файл/i, kk: /журнал|лог/i } },
  { fact: '§2 Sales Data: sales history', match: { en: /[Ss]ales history/, ru: /истори[а-я]* продаж/i, kk: /(сату|сатылымдар) тарихы/i } },
  { fact: '§2 Biometric Data from video conferences and CCTV', match: { en: /[Bb]iometric/, ru: /[Бб]иометрическ/, kk: /[Бб]иометриялық/ } },
  {
    fact: '§2 biometric data are a special category',
    match: { en: /special category of personal data/, ru: /специальная категория персональных данных/, kk: /дербес деректердің арнаулы санаты/ },
  },
  { fact: '§2 purpose: direct marketing', match: { en: /[Dd]irect marketing/, ru: /[Пп]рям[а-я]* маркетинг/, kk: /[Тт]ікелей маркетинг/ } },
  { fact: '§2 purpose: CCTV on premises', match: { en: /CCTV/, ru: /CCTV|[Вв]идеонаблюдени/, kk: /CCTV|[Бб]ейнебақылау/ } },
  { fact: '§2 purpose: product development', match: { en: /[Pp]roduct development/, ru: /[Рр]азработк[а-я]* продукт/, kk: /[Өө]нім[а-я]*[^.;]*әзірле/ } },
  {
    fact: '§3 sources: directly and from third parties',
    match: { en: /directly from you.*from third parties/, ru: /непосредственно от вас.*от третьих лиц/, kk: /тікелей сізден.*үшінші тұлғалардан/ },
  },
  {
    fact: '§4 recipients include Google Analytics',
    match: /Google Analytics/,
  },
  {
    fact: '§5 lawful basis: legitimate interests',
    match: { en: /Legitimate interests \(GDPR art\. 6\(1\)\(f\)/, ru: /Законные интересы \(GDPR, ст\. 6\(1\)\(f\)/, kk: /Заңды мүдделер \(GDPR, 6\(1\)\(f\)-бап/ },
  },
  {
    fact: '§5 lawful basis: consent (video conference recording)',
    match: { en: /Consent \(GDPR art\. 6\(1\)\(a\)/, ru: /Согласие \(GDPR, ст\. 6\(1\)\(a\)/, kk: /Келісім \(GDPR, 6\(1\)\(a\)-бап/ },
  },
  {
    fact: '§5 lawful basis: contract',
    match: { en: /Contract \(GDPR art\. 6\(1\)\(b\)/, ru: /Договор \(GDPR, ст\. 6\(1\)\(b\)/, kk: /Шарт \(GDPR, 6\(1\)\(b\)-бап/ },
  },
  {
    fact: '§6 CCPA: we do not sell or share personal information',
    match: { en: /do not [Ss]ell or [Ss]hare/, ru: /не прода[её]м[^.]*и не переда[её]м/, kk: /сатпаймыз/ },
  },
  { fact: '§6 CCPA right to know and delete', match: { en: /Cal\. Civ\. Code § 1798\.105/, ru: /§ 1798\.105/, kk: /§ 1798\.105/ } },
  { fact: '§6 CCPA right to opt out of sale or sharing', match: { en: /Opt-out of sale or sharing/, ru: /Отказ от продажи и передачи для рекламы/, kk: /Сатудан және жарнама үшін беруден бас тарту/ } },
  { fact: '§6 CCPA non-discrimination', match: { en: /Non-discrimination/, ru: /Недопущение дискриминации/, kk: /Кемсітпеу/ } },
  {
    fact: '§7 Security Incident and Breach Response Procedure',
    match: { en: /Breach Response Procedure/i, ru: /реагирования на инциденты|реагирования на нарушения/i, kk: /ден қою/i },
  },
  {
    fact: '§9 retained until the end of the contractual relationship, then deleted or anonymised',
    match: {
      en: /from the end of the contract|until the purpose of processing is achieved/,
      ru: /с момента прекращения договора|до достижения цели обработки/,
      kk: /шарт тоқтатылған сәттен бастап|өңдеу мақсатына қол жеткізілгенге дейін/,
    },
  },
  {
    fact: '§10 rights of access, rectification, erasure, objection, restriction, portability',
    match: {
      en: /Access .*Rectification .*Erasure \(destruction\) .*Restriction of processing .*Data portability .*Objection/,
      ru: /Доступ .*Уточнение .*Удаление \(уничтожение\) .*Ограничение обработки .*Переносимость данных .*Возражение/,
      kk: /Ақпаратқа қол жеткізу .*Нақтылау .*Өшіру \(жою\) .*Өңдеуді шектеу .*Деректердің тасымалдануы .*Қарсылық білдіру/,
    },
  },
  { fact: '§10 withdraw consent at any time', match: { en: /Withdrawal of consent/, ru: /Отзыв согласия/, kk: /Келісімді кері қайтарып алу/ } },
  {
    fact: '§10 opt out of marketing e-mails with the unsubscribe link',
    match: { en: /unsubscribe/i, ru: /отписаться|отказа от подписки|«unsubscribe»/i, kk: /жазылымнан бас тарту|unsubscribe/i },
  },
  {
    fact: '§10 identity verification and proof of authorisation for agents',
    match: { en: /confirm your identity[^.]*\. A representative/, ru: /подтвердить вашу личность[^.]*\. Представитель/, kk: /жеке басыңызды растауды[^.]*\. Өкіліңіз/ },
  },
  {
    fact: '§10 complaint to the data protection authority',
    match: { en: /supervisory authority/, ru: /надзорный орган/, kk: /Қадағалау органына/ },
  },
  {
    fact: 'GDPR answer within one month, extendable by two months',
    match: { en: /within 1 month[^.]*\. [^.]*2 months/, ru: /через 1 месяц[^.]*\. [^.]*2 месяца/, kk: /1 ай ішінде[^.]*\. [^.]*2 ай/ },
  },
  {
    fact: 'CCPA: confirm within 10 business days, answer within 45 calendar days',
    match: { en: /10 business days and answer within 45 calendar days/, ru: /10 рабочих дней и отвечаем не позднее чем через 45 календарных дней/, kk: /10 жұмыс күні ішінде растаймыз және 45 күнтізбелік күн ішінде/ },
  },
  { fact: 'updated 8 March 2023', match: { en: /March 8, 2023|8 March 2023/, ru: /8 марта 2023/, kk: /2023 ж\. 8 наурыз/ } },
] satisfies readonly NoticeFact[];
