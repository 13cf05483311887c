/**
 * Value types: what the vault accepts as a value of a category, how it is normalized, and
 * that a refusal names the rule without ever quoting the value.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DataCategory, ValueType } from '../../src/policy/model.js';
import { builtinDataCategory } from '../../src/policy/taxonomy.js';
import { checkValue, VALUE_LIMITS, type NormalizedValue } from '../../src/vault/values.js';

const builtin = (id: string): DataCategory => builtinDataCategory(id)!;
const custom = (id: string, valueType: ValueType): DataCategory => ({ id, title: { en: id }, identifier: false, special: false, restricted: false, valueType, custom: true });

const NAME = builtin('user.name');
const EMAIL = builtin('user.contact.email');
const PHONE = builtin('user.contact.phone_number');
const BIRTH = builtin('user.demographic.date_of_birth');
const INCOME = builtin('user.financial.income');
const PASSPORT = builtin('user.government_id.passport');
const IIN = builtin('user.government_id.iin');
const ADDRESS = builtin('user.contact.address');

/** A value in an assertion message; cycles and bigints have no JSON form. */
function show(value: unknown): string {
  try {
    return String(JSON.stringify(value)).slice(0, 80);
  } catch {
    return String(value);
  }
}

/** Every string inside a value, to prove none of them reaches a message. */
function stringsIn(value: unknown, seen = new Set<unknown>()): string[] {
  if (seen.has(value)) return [];
  seen.add(value);
  if (typeof value === 'string') return [value, value.trim()];
  // Short numbers (list indexes, 16) occur in the rule's own limits; a quoted amount would be longer.
  if (typeof value === 'number') return String(value).length >= 6 ? [String(value)] : [];
  if (Array.isArray(value)) return value.flatMap((item) => stringsIn(item, seen));
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.entries(value).flatMap(([k, v]) => [k, ...stringsIn(v, seen)]);
  }
  return [];
}

function accepts(category: DataCategory, value: unknown, expected: NormalizedValue = value as NormalizedValue, now?: number): void {
  const result = checkValue(category, value, now === undefined ? {} : { now });
  assert.ok(result.ok, `${category.id} should accept ${show(value)}: ${result.ok ? '' : result.message}`);
  assert.deepEqual(result.value, expected);
}

/** Refused, with a message that names the category and matches `rule`, and quotes nothing of the value. */
function refuses(category: DataCategory, value: unknown, rule: RegExp, now?: number): string {
  const result = checkValue(category, value, now === undefined ? {} : { now });
  assert.equal(result.ok, false, `${category.id} should refuse ${show(value)}`);
  const { message } = result as { message: string };
  assert.ok(message.startsWith(`a value of "${category.id}" must be `), message);
  assert.match(message, rule);
  for (const part of stringsIn(value)) {
    // Parts of one or two characters ("a", "+") occur in any sentence; the markers below are longer.
    if (part.length >= 3) assert.ok(!message.includes(part), `the message quotes the value: ${message}`);
  }
  return message;
}

describe('text', () => {
  it('user.name refuses true, {}, [], "", 1e308 — and null, a number, blanks', () => {
    for (const value of [true, {}, [], '', 1e308, null, undefined, 42, '   \n\t ']) refuses(NAME, value, /must be text: a non-empty string/);
    assert.match(refuses(NAME, true, /./), /not a boolean$/);
    assert.match(refuses(NAME, {}, /./), /not an object$/);
    assert.match(refuses(NAME, [], /./), /not a list$/);
    assert.match(refuses(NAME, 1e308, /./), /not a number$/);
    assert.match(refuses(NAME, null, /./), /not null$/);
    assert.match(refuses(NAME, undefined, /./), /not missing$/);
    assert.match(refuses(NAME, 10n, /./), /not a bigint$/);
    assert.match(refuses(NAME, () => 'Aigerim', /./), /not a function$/);
  });

  it('accepts a name, trimmed, in NFC, with CRLF as LF and tabs kept', () => {
    accepts(NAME, 'Aigerim Nurlanqyzy');
    accepts(NAME, '  Aigerim Nurlanqyzy \n', 'Aigerim Nurlanqyzy');
    accepts(NAME, 'Айгерим Нурланқызы Сейітова');
    accepts(NAME, 'Rene\u0301e Dupont', 'Renée Dupont');
    assert.equal((checkValue(NAME, 'Rene\u0301e') as { value: string }).value.length, 5, 'composed to one code unit');
    accepts(NAME, 'line one\r\nline two\rthree\tcol', 'line one\nline two\nthree\tcol');
  });

  it('refuses NUL and other control characters, and lone surrogates', () => {
    refuses(NAME, 'Aigerim\u0000Nurlanqyzy', /control characters other than tab and newline/);
    refuses(NAME, 'Aigerim\u0007Nurlanqyzy', /control characters/);
    refuses(NAME, 'Aigerim\u001bNurlanqyzy', /control characters/);
    refuses(NAME, 'Aigerim\u0085Nurlanqyzy', /control characters/);
    refuses(NAME, 'Aigerim\uD800Nurlanqyzy', /lone surrogate/);
    refuses(NAME, 'Nurlanqyzy\uDC00', /lone surrogate/);
    refuses(NAME, '\uDBFFNurlanqyzy', /lone surrogate/);
    accepts(NAME, 'Aigerim 😀', 'Aigerim 😀');
  });

  it('allows 10 000 characters, counted as characters rather than UTF-16 units', () => {
    accepts(NAME, 'a'.repeat(VALUE_LIMITS.textLength));
    accepts(NAME, '😀'.repeat(VALUE_LIMITS.textLength));
    refuses(NAME, 'b'.repeat(VALUE_LIMITS.textLength + 1), /at most 10000 characters; it is longer/);
  });
});

describe('email', () => {
  it('lowercases the domain, keeps the local part, trims', () => {
    accepts(EMAIL, 'Aigerim.N+news@Example.KZ', 'Aigerim.N+news@example.kz');
    accepts(EMAIL, '  dana_s@mail.example.com ', 'dana_s@mail.example.com');
    accepts(EMAIL, 'айгерим@Пример.РФ', 'айгерим@пример.рф');
  });

  it('refuses what is not an address', () => {
    for (const value of ['nurlanqyzy', 'nurlanqyzy@', '@example.kz', 'nurlanqyzy@localhost', 'nurlan@@example.kz', 'nurlan qyzy@example.kz']) {
      refuses(EMAIL, value, /must be an e-mail address/);
    }
    for (const value of ['.nurlanqyzy@example.kz', 'nurlan..qyzy@example.kz', 'nurlanqyzy.@example.kz', '"nurlan"@example.kz', `${'n'.repeat(65)}@example.kz`]) {
      refuses(EMAIL, value, /before "@"/);
    }
    for (const value of ['nurlanqyzy@-example.kz', 'nurlanqyzy@example.123', 'nurlanqyzy@exa_mple.kz', 'nurlanqyzy@example.kz.', 'nurlanqyzy@[127.0.0.1]']) {
      refuses(EMAIL, value, /domain after "@"/);
    }
    refuses(EMAIL, 'nurlan\u0000qyzy@example.kz', /control characters/);
    refuses(EMAIL, `nurlanqyzy@${'d'.repeat(60)}.${'e'.repeat(60)}.${'f'.repeat(60)}.${'g'.repeat(60)}.kz`, /at most 254 characters/);
    for (const value of [true, 42, {}, null]) refuses(EMAIL, value, /e-mail address/);
  });
});

describe('phone', () => {
  it('normalizes to + and digits', () => {
    accepts(PHONE, '+7 (701) 123-45-67', '+77011234567');
    accepts(PHONE, '0044 20 8238 7400', '+442082387400');
    accepts(PHONE, '+1.415.555.0100', '+14155550100');
    accepts(PHONE, '+77011234567');
  });

  it('refuses numbers without a country code, letters, extensions and wrong lengths', () => {
    refuses(PHONE, '8 701 123 45 67', /"\+" and the country code/);
    refuses(PHONE, '87011234567', /"\+" and the country code/);
    refuses(PHONE, '+7 701 123 45 67 ext 89', /only digits/);
    refuses(PHONE, '+７７０１２３４５６７', /only digits/);
    refuses(PHONE, '+7 701 12', /8 to 15 digits/);
    refuses(PHONE, '+1234 5678 9012 3456', /8 to 15 digits/);
    refuses(PHONE, '+0 701 123 45 67', /does not start with 0/);
    refuses(PHONE, 77011234567, /not a number$/);
    refuses(PHONE, '', /phone number/);
  });
});

describe('date', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');

  it('accepts a day of the calendar written YYYY-MM-DD', () => {
    accepts(BIRTH, '1990-04-25', '1990-04-25', now);
    accepts(BIRTH, '2024-02-29', '2024-02-29', now);
  });

  it('refuses days that do not exist and other ways of writing a date', () => {
    refuses(BIRTH, '1990-02-30', /that exists in the calendar/, now);
    refuses(BIRTH, '2025-02-29', /that exists in the calendar/, now);
    refuses(BIRTH, '1990-13-01', /that exists/, now);
    for (const value of ['1987-4-3', '03.11.1987', '1987-11-03T00:00:00Z', ' 1987-11-03']) refuses(BIRTH, value, /YYYY-MM-DD \(e\.g\./, now);
    refuses(BIRTH, 19900425, /not a number$/, now);
    refuses(BIRTH, new Date('1990-04-25'), /not an object$/, now);
  });

  it('refuses a date of birth in the future, counting from the earliest time zone; other dates may lie ahead', () => {
    accepts(BIRTH, '2026-03-01', '2026-03-01', now);
    accepts(BIRTH, '2026-03-02', '2026-03-02', now); // already 2 March in UTC+14
    assert.match(refuses(BIRTH, '2026-03-03', /not in the future/, now), /YYYY-MM-DD, not in the future$/);
    refuses(BIRTH, '2031-01-01', /not in the future/, now);
    accepts(custom('shop.contract_end', 'date'), '2031-01-01', '2031-01-01', now);
  });
});

describe('number', () => {
  it('accepts finite numbers within ±1e15, -0 as 0', () => {
    accepts(INCOME, 450000);
    accepts(INCOME, -1250.75);
    accepts(INCOME, 1e15);
    accepts(INCOME, -1e15);
    const zero = checkValue(INCOME, -0) as { value: number };
    assert.ok(Object.is(zero.value, 0));
  });

  it('refuses 1e308, infinities, NaN, numbers as text and booleans', () => {
    for (const value of [1e308, 1e15 + 2, -1e16, Infinity, -Infinity, NaN]) refuses(INCOME, value, /finite number between -1000000000000000 and 1000000000000000$/);
    refuses(INCOME, '450000', /not text$/);
    refuses(INCOME, true, /not a boolean$/);
  });
});

describe('document', () => {
  it('accepts document numbers, trimmed and with spaces collapsed', () => {
    accepts(PASSPORT, 'N  12345678 ', 'N 12345678');
    accepts(PASSPORT, '45 06 123456');
    accepts(PASSPORT, 'АВ №123456');
    accepts(builtin('user.financial.bank_account'), 'KZ86 125K ZT50 0410 0100');
    accepts(builtin('user.account.id'), '3f1c2a9e-0b7d-4c1e-9a55-2d7e1c0f4b6a');
  });

  it('refuses empty, oversized, odd characters and non-strings', () => {
    refuses(PASSPORT, '', /it is empty$/);
    refuses(PASSPORT, '   ', /it is empty$/);
    refuses(PASSPORT, 'N'.repeat(VALUE_LIMITS.documentLength + 1), /at most 64 characters$/);
    refuses(PASSPORT, '<script>Nurlanqyzy</script>', /letters, digits, spaces/);
    refuses(PASSPORT, '-12345678', /letters, digits, spaces/);
    refuses(PASSPORT, 'N12345678\u0000', /control characters/);
    refuses(PASSPORT, 12345678, /not a number$/);
  });

  it('an IIN is 12 digits: spaces dropped, anything else refused', () => {
    accepts(IIN, ' 950101 300123 ', '950101300123');
    refuses(IIN, '95010130012', /an IIN: 12 digits$/);
    refuses(IIN, '9501013001234', /an IIN: 12 digits$/);
    refuses(IIN, '95010130012X', /an IIN: 12 digits$/);
    refuses(IIN, 950101300123, /not a number$/);
    refuses(builtin('user.government_id.bin'), '24054000123', /a BIN: 12 digits$/);
  });
});

describe('json', () => {
  it('accepts structured values, normalizing strings and keys to NFC', () => {
    accepts(ADDRESS, { city: 'Almaty', street: 'Abay 10', flat: 5, lines: ['a', 'b'], verified: true, note: null });
    accepts(ADDRESS, 'Almaty, Abay 10');
    accepts(ADDRESS, { 'cafe\u0301': 'cre\u0300me', text: 'x\r\ny' }, { café: 'crème', text: 'x\ny' });
    accepts(custom('shop.flag', 'json'), true);
    accepts(custom('shop.count', 'json'), 0);
  });

  it('refuses nothing and emptiness at the top, but keeps empty parts inside', () => {
    for (const value of [null, undefined, {}, [], '', '  ']) refuses(ADDRESS, value, /must be a JSON value with content/);
    accepts(ADDRESS, { line2: '', extra: {}, list: [] });
  });

  it('applies the string rules inside: control characters and lone surrogates in values and keys', () => {
    refuses(ADDRESS, { street: 'Nurlanqyzy\u0000street' }, /control characters other than tab and newline/);
    refuses(ADDRESS, { ['Nurlanqyzy\uD800']: 'x' }, /lone surrogate/);
    refuses(ADDRESS, [['Aigerim', 'Nurlanqyzy\u0001']], /control characters/);
    refuses(ADDRESS, { 'cafe\u0301': 1, café: 2 }, /two keys of an object are the same text once normalized/);
  });

  it('limits depth, count and size', () => {
    const nested = (depth: number): unknown => (depth === 1 ? 'leaf-marker' : { next: nested(depth - 1) });
    accepts(ADDRESS, nested(VALUE_LIMITS.jsonDepth));
    refuses(ADDRESS, nested(VALUE_LIMITS.jsonDepth + 1), /nested deeper$/);
    accepts(ADDRESS, Array.from({ length: VALUE_LIMITS.jsonValues - 1 }, (_, i) => i));
    refuses(ADDRESS, Array.from({ length: VALUE_LIMITS.jsonValues }, (_, i) => i), /has more values$/);
    refuses(ADDRESS, { blob: 'Nurlanqyzy'.repeat(7000) }, /64 KiB; it is larger$/);
    const cycle: Record<string, unknown> = { name: 'Nurlanqyzy' };
    cycle.self = cycle;
    refuses(ADDRESS, cycle, /nested deeper$/);
  });

  it('refuses what JSON cannot hold: non-finite numbers, holes, undefined, functions, dates, maps', () => {
    refuses(ADDRESS, { amount: Infinity }, /numbers are finite/);
    refuses(ADDRESS, { amount: 1e308 }, /numbers are finite and within/);
    refuses(ADDRESS, [1, , 3], /a list has a hole$/);
    refuses(ADDRESS, { street: undefined }, /a value of type undefined/);
    refuses(ADDRESS, { street: () => 'x' }, /a value of type function/);
    refuses(ADDRESS, { when: new Date(0) }, /a Date object/);
    refuses(ADDRESS, new Map([['city', 'Almaty']]), /a Map object/);
    refuses(ADDRESS, { n: 10n }, /a value of type bigint/);
  });

  it('keeps a "__proto__" key as data instead of changing the prototype', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": "yes"}, "city": "Almaty"}') as unknown;
    const result = checkValue(ADDRESS, parsed) as { ok: true; value: Record<string, unknown> };
    assert.equal(result.ok, true);
    assert.equal(Object.getPrototypeOf(result.value), Object.prototype);
    assert.deepEqual(Object.keys(result.value), ['__proto__', 'city']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});

describe('value types of the taxonomy', () => {
  it('checks each built-in category by its own type', () => {
    assert.equal(checkValue(builtin('user.contact.email'), 'Aigerim Nurlanqyzy').ok, false);
    assert.equal(checkValue(builtin('user.contact.address'), { city: 'Almaty' }).ok, true);
    assert.equal(checkValue(builtin('user.name'), { first: 'Aigerim' }).ok, false);
    assert.equal(checkValue(builtin('user.demographic.date_of_birth'), '1990-04-25').ok, true);
  });

  it('follows a type the policy declares over the taxonomy default', () => {
    const passportRecord = { ...PASSPORT, valueType: 'json' as const };
    assert.equal(checkValue(PASSPORT, { number: 'N12345678', issued: '2020-01-01' }).ok, false);
    assert.equal(checkValue(passportRecord, { number: 'N12345678', issued: '2020-01-01' }).ok, true);
  });
});
