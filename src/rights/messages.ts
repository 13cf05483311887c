/** What a person reads in an access package, in en, ru and kk. */
import type { Locale } from '../policy/model.js';

export interface PackageMessages {
  title: (operator: string) => string;
  intro: (date: string) => string;
  noData: string;
  yourData: string;
  category: string;
  value: string;
  purposes: string;
  source: string;
  collected: string;
  identifiers: string;
  aboutProcessing: string;
  recipients: string;
  retention: string;
  transfers: string;
  rights: string;
  none: string;
  sources: Record<string, string>;
}

export const PACKAGE_MESSAGES: Readonly<Record<Locale, PackageMessages>> = {
  en: {
    title: (operator) => `Your personal data held by ${operator}`,
    intro: (date) => `This is a copy of the personal data we hold about you, and how we process it, as of ${date}.`,
    noData: 'We hold no personal data about you.',
    yourData: 'Your data',
    category: 'Category',
    value: 'Value',
    purposes: 'Purposes',
    source: 'Source',
    collected: 'Collected',
    identifiers: 'How we recognise you',
    aboutProcessing: 'How we process it',
    recipients: 'Recipients',
    retention: 'How long we keep it',
    transfers: 'Transfers abroad',
    rights: 'Your rights',
    none: 'None',
    sources: { direct: 'from you', 'third-party': 'from a third party', public: 'from public sources' },
  },
  ru: {
    title: (operator) => `Ваши персональные данные, которые обрабатывает ${operator}`,
    intro: (date) => `Это копия Ваших персональных данных, которые мы обрабатываем, и сведения об их обработке на ${date}.`,
    noData: 'Мы не обрабатываем Ваших персональных данных.',
    yourData: 'Ваши данные',
    category: 'Категория',
    value: 'Значение',
    purposes: 'Цели',
    source: 'Источник',
    collected: 'Получены',
    identifiers: 'По чему мы Вас узнаём',
    aboutProcessing: 'Как мы их обрабатываем',
    recipients: 'Получатели',
    retention: 'Сроки хранения',
    transfers: 'Трансграничная передача',
    rights: 'Ваши права',
    none: 'Нет',
    sources: { direct: 'от Вас', 'third-party': 'от третьего лица', public: 'из общедоступных источников' },
  },
  kk: {
    title: (operator) => `${operator} өңдейтін Сіздің дербес деректеріңіз`,
    intro: (date) => `Бұл — ${date} жағдай бойынша біз өңдейтін Сіздің дербес деректеріңіздің көшірмесі және оларды өңдеу туралы мәліметтер.`,
    noData: 'Біз Сіздің дербес деректеріңізді өңдемейміз.',
    yourData: 'Сіздің деректеріңіз',
    category: 'Санат',
    value: 'Мәні',
    purposes: 'Мақсаттар',
    source: 'Көзі',
    collected: 'Алынған күні',
    identifiers: 'Сізді немен танимыз',
    aboutProcessing: 'Оларды қалай өңдейміз',
    recipients: 'Алушылар',
    retention: 'Сақтау мерзімдері',
    transfers: 'Трансшекаралық беру',
    rights: 'Сіздің құқықтарыңыз',
    none: 'Жоқ',
    sources: { direct: 'Сізден', 'third-party': 'үшінші тұлғадан', public: 'жалпыға қолжетімді көздерден' },
  },
};

/** The reminder staff get before a request's term ends: ids, type and times only — no one's data. */
export const REMINDER_MESSAGES: Readonly<Record<Locale, { subject: (type: string, due: string) => string; body: (o: { id: string; type: string; due: string; law: string; article: string; state: string }) => string }>> = {
  en: {
    subject: (type, due) => `Rights request (${type}) due ${due}`,
    body: (o) => `A rights request is due soon.\n\nRequest: ${o.id}\nType: ${o.type}\nState: ${o.state}\nDue: ${o.due} (${o.law}, art. ${o.article})\n\nAnswer it, extend it where the law allows, or refuse it with a reason: custodian requests show ${o.id}`,
  },
  ru: {
    subject: (type, due) => `Запрос субъекта (${type}): срок ${due}`,
    body: (o) => `Скоро истекает срок ответа на запрос субъекта персональных данных.\n\nЗапрос: ${o.id}\nВид: ${o.type}\nСостояние: ${o.state}\nСрок: ${o.due} (${o.law}, ст. ${o.article})\n\nОтветьте на запрос, продлите срок, если закон это допускает, или откажите с указанием причины: custodian requests show ${o.id}`,
  },
  kk: {
    subject: (type, due) => `Субъектінің сұрауы (${type}): мерзімі ${due}`,
    body: (o) => `Дербес деректер субъектісінің сұрауына жауап беру мерзімі жақында аяқталады.\n\nСұрау: ${o.id}\nТүрі: ${o.type}\nКүйі: ${o.state}\nМерзімі: ${o.due} (${o.law}, ${o.article}-бап)\n\nСұрауға жауап беріңіз, заң рұқсат етсе мерзімді ұзартыңыз немесе себебін көрсетіп бас тартыңыз: custodian requests show ${o.id}`,
  },
};
