/**
 * Seed 000 (Smartist LLP, Almaty; GDPR-style rights and EEA transfers): the promises its
 * notice must keep, read off shared/seeds/000_bc71393e8acf0bbe.txt.
 */
import type { NoticeFact } from '../notice-facts.test.js';

export default [
  { fact: 'operator: Smartist LLP', match: /Smartist/ },
  { fact: '§3 address: 050008 Almaty, Abaya Avenue 115', match: { en: /050008[^;]*Aba(y|ya)|Aba(y|ya)[^;]*050008/, ru: /050008[^;]*Абая|Абая[^;]*050008/, kk: /050008[^;]*Абай|Абай[^;]*050008/ } },
  { fact: 'effective October 1, 2023', match: { en: /October 1, 2023/, ru: /1 октября 2023 г\./, kk: /2023 ж\. 1 қазан/ } },
  { fact: 'security: ISO 27001 certified', match: /ISO\/?(IEC)? ?27001/ },
  {
    fact: 'data: personal details, contact details and identifiers (e.g. e-mail, phone)',
    match: { en: /[Ee]-?mail address/, ru: /[Аа]дрес электронной почты/, kk: /[Ээ]лектрондық пошта мекенжайы/ },
  },
  { fact: 'data: commercial information (history of products and services received)', match: { en: /products and services/i, ru: /товар[а-я]*|продукт[а-я]* и услуг/, kk: /өнім[а-я]*[^.;]*қызмет/ } },
  { fact: 'data: audiovisual materials (CCTV, photos, video)', match: { en: /CCTV|video/i, ru: /видео/i, kk: /бейне/i } },
  { fact: 'data: professional or employment-related information (job title)', match: { en: /[Jj]ob title/, ru: /[Дд]олжност/, kk: /[Лл]ауазым/ } },
  {
    fact: 'data: system access data and network activity (access logs)',
    match: { en: /access logs?|activity logs?|[Ss]ystem ID/, ru: /журнал[а-я]* (доступа|активности)|доступ[а-я]* к систем/, kk: /журнал|жүйелерге қол жеткізу/ },
  },
  { fact: 'data: marketing identifiers such as IP address', match: /IP/ },
  {
    fact: 'purpose: managing the contractual relationship',
    match: { en: /contractual relationship/i, ru: /договорн[а-я]* отношени/, kk: /шарттық (қарым-)?қатынас/ },
  },
  { fact: 'purpose: advertising products and services', match: { en: /[Aa]dvertis/, ru: /[Рр]еклам/, kk: /[Жж]арнама/ } },
  { fact: 'purpose: data analytics', match: { en: /[Aa]nalytics/, ru: /[Аа]налитик/, kk: /[Аа]налитика|[Дд]еректерді талдау/ } },
  {
    fact: 'sources: publicly available sources',
    match: { en: /from publicly available sources/, ru: /из общедоступных источников/, kk: /жалпыға қолжетімді көздерден/ },
  },
  { fact: 'sources: directly from you', match: { en: /directly from you/, ru: /непосредственно от вас/, kk: /тікелей сізден/ } },
  {
    fact: 'transfers from the EEA: adequacy decision or standard contractual clauses',
    match: { en: /standard contractual clauses|adequacy decision/, ru: /стандартные договорные условия|решение об адекватности/, kk: /стандартты шарттық талаптар|барабарлығы туралы шешім/ },
  },
  {
    fact: 'a copy of the standard contractual clauses can be obtained',
    match: { en: /obtain a copy/, ru: /[Кк]опию[^.]*получить/, kk: /көшірмесін[^.]*алуға болады/ },
  },
  {
    fact: 'retention: as long as the account is active',
    match: { en: /while your account is active/, ru: /пока действует ваша учётная запись/, kk: /есептік жазбаңыз белсенді болған кезең ішінде/ },
  },
  { fact: 'right of access', match: { en: /Access To learn whether/, ru: /Доступ Узнать, обрабатываем ли/, kk: /Ақпаратқа қол жеткізу/ } },
  { fact: 'right to rectification', match: { en: /Rectification/, ru: /Уточнение Потребовать/, kk: /Нақтылау Дәл емес/ } },
  { fact: 'right to object', match: { en: /Objection To object/, ru: /Возражение Возразить/, kk: /Қарсылық білдіру Заңды мүдделерге/ } },
  { fact: 'right to erasure', match: { en: /Erasure \(destruction\)/, ru: /Удаление \(уничтожение\)/, kk: /Өшіру \(жою\)/ } },
  { fact: 'right to restriction of processing', match: { en: /Restriction of processing/, ru: /Ограничение обработки Потребовать/, kk: /Өңдеуді шектеу Мысалы/ } },
  { fact: 'right to data portability', match: { en: /Data portability/, ru: /Переносимость данных/, kk: /Деректердің тасымалдануы/ } },
  { fact: 'consent may be withdrawn at any time', match: { en: /Withdrawal of consent/, ru: /Отзыв согласия/, kk: /Келісімді кері қайтарып алу/ } },
  {
    fact: 'GDPR answer within one month',
    match: { en: /within 1 month/, ru: /через 1 месяц/, kk: /1 ай ішінде/ },
  },
  { fact: '§3 contact by letter to the company\'s address', match: { en: /By post to/, ru: /Почтой по адресу/, kk: /Пошта арқылы/ } },
] satisfies readonly NoticeFact[];
