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
