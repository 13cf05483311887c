/**
 * How the declarations of a policy source resolve, shared by the meaning checks and the
 * normalizer so both read the file the same way: category and subject entries become model
 * objects, and the purpose ↔ recipient links, which a policy may write on either side, are
 * merged into one relation.
 */
import type { DataCategory, DataSubjectCategory, Locale } from './model.js';
import type { CategoryEntrySource, PolicySource, SubjectEntrySource } from './schema.js';
import { builtinDataCategory, builtinDataSubject, defaultValueType } from './taxonomy.js';

/**
 * A category entry as a model object: a taxonomy id, a built-in with overrides, or a custom
 * category (flags default to false, the value type to text; the checks require its title).
 */
export function declaredCategory(entry: CategoryEntrySource): DataCategory {
  if (typeof entry === 'string') return { ...builtinDataCategory(entry)! };
  const builtin = builtinDataCategory(entry.id);
  const category: DataCategory = {
    id: entry.id,
    title: entry.title ?? builtin?.title ?? {},
    identifier: entry.identifier ?? builtin?.identifier ?? false,
    special: entry.special ?? builtin?.special ?? false,
    restricted: entry.restricted ?? builtin?.restricted ?? false,
    ccpaSensitive: entry.ccpaSensitive ?? builtin?.ccpaSensitive ?? false,
    valueType: entry.valueType ?? defaultValueType(entry.id),
    custom: builtin === undefined,
  };
  const description = entry.description ?? builtin?.description;
  if (description) category.description = description;
  return category;
}

export function declaredSubject(entry: SubjectEntrySource): DataSubjectCategory {
  if (typeof entry === 'string') return { ...builtinDataSubject(entry)! };
  const builtin = builtinDataSubject(entry.id);
  const subject: DataSubjectCategory = { id: entry.id, title: entry.title ?? builtin?.title ?? {} };
  const description = entry.description ?? builtin?.description;
  if (description) subject.description = description;
  return subject;
}

export const entryId = (entry: CategoryEntrySource | SubjectEntrySource): string =>
  typeof entry === 'string' ? entry : entry.id;

/**
 * Purpose id → recipient ids, from both `purposes[].recipients` and `recipients[].purposes`,
 * in the order they are first written. Ids that do not resolve are left in; the checks
 * report them.
 */
export function purposeRecipientLinks(source: PolicySource): Map<string, string[]> {
  const links = new Map<string, string[]>(source.purposes.map((p) => [p.id, [...new Set(p.recipients ?? [])]]));
  for (const recipient of source.recipients ?? []) {
    for (const purposeId of recipient.purposes ?? []) {
      const list = links.get(purposeId);
      if (list && !list.includes(recipient.id)) list.push(recipient.id);
    }
  }
  return links;
}

/** The notice's languages: `locales` (default: just the default locale) and the default (`locales[0]`, else `en`). */
export function publishedLocales(source: PolicySource): { defaultLocale: Locale; locales: Locale[] } {
  const defaultLocale = source.defaultLocale ?? source.locales?.[0] ?? 'en';
  return { defaultLocale, locales: source.locales ?? [defaultLocale] };
}
