/**
 * What the vault accepts as a value of a data category, checked and normalized before it is
 * encrypted. Once encrypted, a value can no longer be inspected: `""`, `true` or a NUL byte
 * stored as someone's name would be unreadable junk in every export, and a lone surrogate
 * breaks the UTF-8 a receipt or an access report is written in.
 *
 * Each category has a value type (`DataCategory.valueType`: the taxonomy's default or what
 * the policy declares; docs/policy-language.md, "Value types"). Messages state the rule that
 * was broken and never quote the value, so they can go into an error body or a log.
 */
import { domainToASCII } from 'node:url';
import type { DataCategory, ValueType } from '../policy/model.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A value as the vault stores it: normalized, and never `null` or `undefined`. */
export type NormalizedValue = Exclude<JsonValue, null>;

export type ValueCheck = { ok: true; value: NormalizedValue } | { ok: false; message: string };

export interface ValueCheckOptions {
  /** The current time (epoch ms), for dates that cannot lie in the future; default `Date.now()`. */
  now?: number;
}

/** Limits, chosen to hold any real value while keeping junk and abuse out. */
export const VALUE_LIMITS = {
  textLength: 10_000,
  documentLength: 64,
  jsonDepth: 16,
  jsonValues: 10_000,
  jsonBytes: 65_536,
  maxNumber: 1e15,
} as const;

/**
 * Checks a value against its category's value type and returns it normalized, or a message
 * naming the rule it breaks. The message never contains the value.
 *
 * @example
 * const name = index.category('user.name')!;
 * checkValue(name, '  Aigerim Nurlanovna ');  // { ok: true, value: 'Aigerim Nurlanovna' }
 * checkValue(name, true);                     // { ok: false, message: 'a value of "user.name" must be text …, not a boolean' }
 * checkValue(index.category('user.contact.phone_number')!, '+7 (701) 123-45-67'); // { ok: true, value: '+77011234567' }
 */
export function checkValue(category: Pick<DataCategory, 'id' | 'valueType'>, value: unknown, options: ValueCheckOptions = {}): ValueCheck {
  const refuse = (rule: string): ValueCheck => ({ ok: false, message: `a value of "${category.id}" must be ${rule}` });
  const checked = CHECKS[category.valueType](value, category.id, options);
  return typeof checked === 'string' ? refuse(checked) : { ok: true, value: checked.value };
}

/** A type's check: the normalized value, or the rule broken (completed by `checkValue`). */
type TypeCheck = (value: unknown, categoryId: string, options: ValueCheckOptions) => { value: NormalizedValue } | string;

const CHECKS: Readonly<Record<ValueType, TypeCheck>> = {
  text: checkText,
  email: checkEmail,
  phone: checkPhone,
  date: checkDate,
  number: checkNumber,
  document: checkDocument,
  json: checkJson,
};

/** What a value is, in words, for "…, not a boolean": its kind, never its content. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'text';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return `a ${typeof value}`;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** C0 controls but tab and newline, DEL and the C1 controls. */
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;

/**
 * The character rules every stored string follows: line ends become `\n`, no control
 * character but tab and newline, no lone surrogate (it has no UTF-8 form), Unicode NFC (so
 * "é" typed two ways is one value, and one blind-index entry).
 */
function cleanString(text: string): string | { problem: string } {
  if (LONE_SURROGATE.test(text)) return { problem: 'well-formed Unicode (it contains a lone surrogate)' };
  const unified = text.replace(/\r\n?/g, '\n');
  if (CONTROL.test(unified)) return { problem: 'free of control characters other than tab and newline' };
  return unified.normalize('NFC');
}

const codePoints = (text: string) => [...text].length;

function checkText(value: unknown): { value: string } | string {
  const rule = `text: a non-empty string of at most ${VALUE_LIMITS.textLength} characters`;
  if (typeof value !== 'string') return `${rule}, not ${kindOf(value)}`;
  const cleaned = cleanString(value);
  if (typeof cleaned !== 'string') return `${rule}, ${cleaned.problem}`;
  const text = cleaned.trim();
  if (text === '') return `${rule}; it is empty or only spaces`;
  if (codePoints(text) > VALUE_LIMITS.textLength) return `${rule}; it is longer`;
  return { value: text };
}

/** Dot-atom characters of RFC 5322, and any letter or digit (RFC 6531 internationalized addresses). */
const LOCAL_PART = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
const DNS_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

function checkEmail(value: unknown): { value: string } | string {
  const rule = 'an e-mail address (name@example.com)';
  if (typeof value !== 'string') return `${rule}, not ${kindOf(value)}`;
  const cleaned = cleanString(value);
  if (typeof cleaned !== 'string') return `${rule}, ${cleaned.problem}`;
  const address = cleaned.trim();
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return `${rule}: a local part, "@" and a domain`;
  const local = address.slice(0, at);
  const domain = address.slice(at + 1).toLowerCase();
  if (codePoints(local) > 64 || !LOCAL_PART.test(local)) {
    return `${rule}: the part before "@" has at most 64 letters, digits or !#$%&'*+/=?^_\`{|}~- characters, with single dots between them`;
  }
  const ascii = domainToASCII(domain);
  const labels = ascii.split('.');
  if (ascii === '' || ascii.length > 253 || labels.length < 2 || !labels.every((l) => DNS_LABEL.test(l)) || /^\d+$/.test(labels.at(-1)!)) {
    return `${rule}: the domain after "@" is a host name such as example.com`;
  }
  const normalized = `${local}@${domain}`;
  if (codePoints(normalized) > 254) return `${rule} of at most 254 characters`;
  return { value: normalized };
}

function checkPhone(value: unknown): { value: string } | string {
  const rule = 'an international phone number: "+" and the country code, then 8 to 15 digits in all';
  if (typeof value !== 'string') return `${rule}, not ${kindOf(value)}`;
  const written = value.trim();
  if (!/^(\+|00)[0-9 ().-]+$/.test(written)) return `${rule}; only digits, spaces and - . ( ) may follow the "+"`;
  const digits = written.replace(/^00/, '').replace(/\D/g, '');
  if (digits.length < 8 || digits.length > 15 || digits.startsWith('0')) return `${rule}; the country code does not start with 0`;
  return { value: `+${digits}` };
}

/** Dates a value cannot be later than, by category: nobody is born in the future. */
const NOT_IN_FUTURE = new Set(['user.demographic.date_of_birth']);

/** UTC+14 is the earliest time zone: until it reaches a day, that day is still the future everywhere. */
const EARLIEST_OFFSET = 14 * 3_600_000;

function checkDate(value: unknown, categoryId: string, options: ValueCheckOptions): { value: string } | string {
  const rule = 'a date written YYYY-MM-DD';
  if (typeof value !== 'string') return `${rule}, not ${kindOf(value)}`;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${rule} (e.g. 1990-04-25)`;
  const day = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== value) return `${rule} that exists in the calendar`;
  if (NOT_IN_FUTURE.has(categoryId)) {
    const latest = new Date((options.now ?? Date.now()) + EARLIEST_OFFSET).toISOString().slice(0, 10);
    if (value > latest) return `${rule}, not in the future`;
  }
  return { value };
}

function checkNumber(value: unknown): { value: number } | string {
  const rule = `a finite number between -${VALUE_LIMITS.maxNumber} and ${VALUE_LIMITS.maxNumber}`;
  if (typeof value !== 'number') return `${rule}, not ${kindOf(value)}`;
  if (!Number.isFinite(value) || Math.abs(value) > VALUE_LIMITS.maxNumber) return rule;
  return { value: value === 0 ? 0 : value };
}

/** Categories whose numbers have a fixed form: Kazakhstan's IIN and BIN are 12 digits. */
const DOCUMENT_FORMS: Readonly<Record<string, { pattern: RegExp; rule: string; compact: boolean }>> = {
  'user.government_id.iin': { pattern: /^\d{12}$/, rule: 'an IIN: 12 digits', compact: true },
  'user.government_id.bin': { pattern: /^\d{12}$/, rule: 'a BIN: 12 digits', compact: true },
};

const DOCUMENT_NUMBER = /^[\p{L}\p{N}][\p{L}\p{N} \-/._:#№]*$/u;

function checkDocument(value: unknown, categoryId: string): { value: string } | string {
  const form = DOCUMENT_FORMS[categoryId];
  const rule = form?.rule ?? `a document number: letters, digits, spaces and - / . _ : # №, at most ${VALUE_LIMITS.documentLength} characters`;
  if (typeof value !== 'string') return `${rule}, not ${kindOf(value)}`;
  const cleaned = cleanString(value);
  if (typeof cleaned !== 'string') return `${rule}, ${cleaned.problem}`;
  const collapsed = cleaned.trim().replace(/\s+/g, ' ');
  if (form) {
    const compact = form.compact ? collapsed.replace(/ /g, '') : collapsed;
    return form.pattern.test(compact) ? { value: compact } : rule;
  }
  if (collapsed === '') return `${rule}; it is empty`;
  if (codePoints(collapsed) > VALUE_LIMITS.documentLength || !DOCUMENT_NUMBER.test(collapsed)) return rule;
  return { value: collapsed };
}

class JsonProblem extends Error {}

function checkJson(value: unknown): { value: NormalizedValue } | string {
  const rule = `a JSON value with content, at most ${VALUE_LIMITS.jsonDepth} levels deep, ${VALUE_LIMITS.jsonValues} values and ${VALUE_LIMITS.jsonBytes / 1024} KiB`;
  if (value === null || value === undefined) return `${rule}, not ${kindOf(value)}`;
  if ((typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0)) return `${rule}; it is empty`;
  if (isPlainObject(value) && Object.keys(value).length === 0) return `${rule}; it is empty`;
  let count = 0;
  const walk = (node: unknown, depth: number): JsonValue => {
    if (++count > VALUE_LIMITS.jsonValues) throw new JsonProblem(`${rule}; it has more values`);
    if (depth > VALUE_LIMITS.jsonDepth) throw new JsonProblem(`${rule}; it is nested deeper`);
    if (node === null || typeof node === 'boolean') return node;
    if (typeof node === 'number') {
      if (!Number.isFinite(node) || Math.abs(node) > VALUE_LIMITS.maxNumber) {
        throw new JsonProblem(`${rule}; its numbers are finite and within ±${VALUE_LIMITS.maxNumber}`);
      }
      return node === 0 ? 0 : node;
    }
    if (typeof node === 'string') return jsonString(node, rule);
    if (Array.isArray(node)) {
      const items: JsonValue[] = [];
      for (let i = 0; i < node.length; i++) {
        if (!(i in node)) throw new JsonProblem(`${rule}; a list has a hole`);
        items.push(walk(node[i], depth + 1));
      }
      return items;
    }
    if (isPlainObject(node)) {
      const entries: [string, JsonValue][] = [];
      const keys = new Set<string>();
      for (const [key, child] of Object.entries(node)) {
        const normalized = jsonString(key, rule);
        if (keys.has(normalized)) throw new JsonProblem(`${rule}; two keys of an object are the same text once normalized`);
        keys.add(normalized);
        entries.push([normalized, walk(child, depth + 1)]);
      }
      // fromEntries defines own properties, so a "__proto__" key stays data.
      return Object.fromEntries(entries);
    }
    const kind = typeof node === 'object' ? `a ${(node as object).constructor?.name ?? 'non-plain'} object` : `a value of type ${typeof node}`;
    throw new JsonProblem(`${rule}; it holds ${kind}, which JSON has no form for`);
  };
  try {
    const normalized = walk(value, 1) as NormalizedValue;
    if (Buffer.byteLength(JSON.stringify(normalized), 'utf8') > VALUE_LIMITS.jsonBytes) return `${rule}; it is larger`;
    return { value: normalized };
  } catch (error) {
    if (error instanceof JsonProblem) return error.message;
    throw error;
  }
}

function jsonString(text: string, rule: string): string {
  const cleaned = cleanString(text);
  if (typeof cleaned !== 'string') throw new JsonProblem(`${rule}; its text must be ${cleaned.problem}`);
  return cleaned;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
