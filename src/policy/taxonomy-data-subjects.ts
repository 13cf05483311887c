/**
 * The built-in categories of data subjects: the people a purpose processes data about.
 * A policy may list these by id or declare its own (`{id, title}`).
 */
import type { DataSubjectCategory } from './model.js';

function subject(id: string, [en, ru, kk]: [string, string, string]): DataSubjectCategory {
  return { id, title: { en, ru, kk } };
}

export const BUILTIN_DATA_SUBJECTS: readonly DataSubjectCategory[] = [
  subject('customer', ['Customers', 'Клиенты', 'Клиенттер']),
  subject('prospect', ['Prospective customers', 'Потенциальные клиенты', 'Әлеуетті клиенттер']),
  subject('user', ['Users of the website and apps', 'Пользователи сайта и приложений', 'Сайт пен қосымшаларды пайдаланушылар']),
  subject('employee', ['Employees', 'Работники', 'Қызметкерлер']),
  subject('job-applicant', ['Job applicants', 'Соискатели', 'Жұмысқа үміткерлер']),
  subject('contractor', ['Contractors', 'Подрядчики и исполнители', 'Мердігерлер мен орындаушылар']),
  subject('visitor', ['Visitors', 'Посетители', 'Келушілер']),
  subject('child', ['Children', 'Дети', 'Балалар']),
  subject('supplier-contact', ['Contact persons of suppliers', 'Контактные лица поставщиков', 'Жеткізушілердің байланыс тұлғалары']),
];
