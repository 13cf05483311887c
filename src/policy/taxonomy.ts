/**
 * Lookups over the built-in taxonomy. A policy names data categories by these dotted ids
 * (`user.contact.email`) so that two operators' policies, the dataset maps of connected
 * systems and the rendered notice all mean the same thing by the same word.
 *
 * The tree is hierarchical: a purpose that lists `user.contact` covers
 * `user.contact.email` too (see `coversCategory`).
 */
import type { DataCategory, DataSubjectCategory, ValueType } from './model.js';
import { BUILTIN_DATA_CATEGORIES } from './taxonomy-data-categories.js';
import { BUILTIN_DATA_SUBJECTS } from './taxonomy-data-subjects.js';

export { BUILTIN_DATA_CATEGORIES, BUILTIN_DATA_SUBJECTS };

const categoriesById = new Map(BUILTIN_DATA_CATEGORIES.map((c) => [c.id, c]));
const subjectsById = new Map(BUILTIN_DATA_SUBJECTS.map((s) => [s.id, s]));

export const BUILTIN_DATA_CATEGORY_IDS: readonly string[] = BUILTIN_DATA_CATEGORIES.map((c) => c.id);
export const BUILTIN_DATA_SUBJECT_IDS: readonly string[] = BUILTIN_DATA_SUBJECTS.map((s) => s.id);

/**
 * The built-in category with this id, or `undefined` for ids the taxonomy does not know
 * (a policy must declare those itself).
 *
 * @example builtinDataCategory('user.government_id.iin')?.restricted // true
 */
export function builtinDataCategory(id: string): DataCategory | undefined {
  return categoriesById.get(id);
}

/**
 * The value type a category has unless the policy declares one: the taxonomy's for a built-in
 * category, `text` for a custom one (free JSON only where a policy asks for it).
 *
 * @example defaultValueType('user.contact.email') // 'email'
 * @example defaultValueType('shop.loyalty_tier') // 'text'
 */
export function defaultValueType(id: string): ValueType {
  return categoriesById.get(id)?.valueType ?? 'text';
}

/** @example builtinDataSubject('job-applicant')?.title.ru // 'Соискатели' */
export function builtinDataSubject(id: string): DataSubjectCategory | undefined {
  return subjectsById.get(id);
}

/**
 * Whether a purpose or recipient that lists `listed` covers data of category `category`:
 * the same id or a descendant in the dotted tree.
 *
 * @example coversCategory('user.contact', 'user.contact.email') // true
 */
export function coversCategory(listed: string, category: string): boolean {
  return category === listed || category.startsWith(`${listed}.`);
}

/** The built-in categories directly below `id` (`user.contact` → email, phone…). */
export function childCategories(id: string): DataCategory[] {
  const depth = id.split('.').length + 1;
  return BUILTIN_DATA_CATEGORIES.filter((c) => c.id.startsWith(`${id}.`) && c.id.split('.').length === depth);
}
