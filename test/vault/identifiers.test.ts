/**
 * Identifiers find a subject again: each type normalizes so that the same identifier
 * written two ways indexes once, and refuses what is not one before it creates a second
 * subject. Depersonalization transforms, chosen by category, leave nothing attributable.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { applyTransform, defaultTransform } from '../../src/vault/depersonalize.js';
import { IDENTIFIER_CATEGORY, IDENTIFIER_TYPES, isValidIin, normalizeIdentifier } from '../../src/vault/identifiers.js';

const ok = (type: Parameters<typeof normalizeIdentifier>[0], raw: string, value: string) => assert.deepEqual(normalizeIdentifier(type, raw), { ok: true, value }, `${type} ${JSON.stringify(raw)}`);
const refused = (type: Parameters<typeof normalizeIdentifier>[0], raw: string, message: string) => assert.deepEqual(normalizeIdentifier(type, raw), { ok: false, message }, `${type} ${JSON.stringify(raw)}`);

describe('identifiers', () => {
  it('e-mail: trimmed and lowercased; anything without a local part, @ and a dotted domain refused', () => {
    ok('email', '  Aigerim.N@Example.KZ ', 'aigerim.n@example.kz');
    for (const raw of ['aigerim', 'aigerim@', '@example.kz', 'aigerim@example', 'a b@example.kz', 'a@b@c.kz', 'a@example.', '']) {
      refused('email', raw, 'must be an e-mail address');
    }
  });

  it('phone: spaces, brackets and dashes dropped, a + added; 7 to 15 digits', () => {
    ok('phone', '+7 (701) 123-45-67', '+77011234567');
    ok('phone', '8 701 123 45 67', '+87011234567');
    ok('phone', '1234567', '+1234567');
    ok('phone', '+123456789012345', '+123456789012345');
    for (const raw of ['123456', '+1234567890123456', '+7 701 ABC', '+7.701.1234567', '++77011234567', '']) {
      refused('phone', raw, 'must be a phone number (7–15 digits, optional leading +)');
    }
  });

  it('IIN: 12 digits whose check digit holds, on the first or the second weighting', () => {
    ok('iin', ' 880101300123 ', '880101300123');
    assert.equal(isValidIin('880101300123'), true);
    assert.equal(isValidIin('880101300124'), false, 'wrong check digit');
    assert.equal(isValidIin('900101300811'), true, 'first weighting gives 10: the second decides');
    assert.equal(isValidIin('900101300810'), false);
    for (const digit of '0123456789') assert.equal(isValidIin(`90010130080${digit}`), false, 'both weightings give 10: no IIN has these first eleven digits');
    for (const raw of ['88010130012', '8801013001234', '88010130012a', '8801-01300123']) assert.equal(isValidIin(raw), false, raw);
    refused('iin', '880101300124', 'must be a valid 12-digit Kazakhstan IIN (check digit failed)');
  });

  it('account and external ids: trimmed text of 1 to 200 characters, kept as written', () => {
    for (const type of ['account_id', 'external_id'] as const) {
      ok(type, '  Ab-12 ', 'Ab-12');
      ok(type, 'x'.repeat(200), 'x'.repeat(200));
      refused(type, 'x'.repeat(201), 'must be 1–200 characters');
      refused(type, '   ', 'must be 1–200 characters');
    }
  });

  it('each belongs to a data category of its own, for the journal', () => {
    assert.deepEqual(IDENTIFIER_TYPES.map((t) => IDENTIFIER_CATEGORY[t]), ['user.contact.email', 'user.contact.phone_number', 'user.account.username', 'user.government_id.iin', 'user.unique_id']);
  });
});

describe('depersonalization transforms', () => {
  const NOW = Date.parse('2026-11-22T09:00:00Z');
  const key = randomBytes(32);
  const born = (years: number, days = 0) => new Date(NOW - years * 365.2425 * 86_400_000 - days * 86_400_000).toISOString().slice(0, 10);

  it('are chosen by category: a birth date keeps its year, a place its city, an identifier or special data nothing, the rest a keyed hash', () => {
    const category = (id: string, identifier = false, special = false) => ({ id, identifier, special });
    assert.equal(defaultTransform(category('user.demographic.date_of_birth')), 'year');
    assert.equal(defaultTransform(category('user.demographic.birth_place', true)), 'year', 'the birth rule comes first');
    assert.equal(defaultTransform(category('user.location.precise')), 'city');
    assert.equal(defaultTransform(category('user.contact.address')), 'city');
    assert.equal(defaultTransform(category('user.contact.address.street')), 'city');
    assert.equal(defaultTransform(category('user.contact.email', true)), 'suppress');
    assert.equal(defaultTransform(category('user.health_and_medical', false, true)), 'suppress');
    assert.equal(defaultTransform(category('user.name')), 'hash');
    assert.equal(defaultTransform(category('user.contact.phone_number')), 'hash');
    assert.equal(defaultTransform(category('user.account.location_settings')), 'hash', 'only location categories become cities');
  });

  it('year: the year of a date, nothing of what is not one', () => {
    assert.equal(applyTransform('year', '1990-04-25', NOW, key), 1990);
    assert.equal(applyTransform('year', Date.parse('1985-12-31T12:00:00Z'), NOW, key), 1985);
    for (const value of ['not a date', null, { year: 1990 }, true]) assert.equal(applyTransform('year', value, NOW, key), null);
  });

  it('age band: counted on the day, each band from its first year to its last', () => {
    const cases: [string, string][] = [
      [born(17, 300), 'under 18'],
      [born(18, 1), '18-24'],
      [born(24, 300), '18-24'],
      [born(25, 1), '25-34'],
      [born(34, 300), '25-34'],
      [born(35, 1), '35-44'],
      [born(44, 300), '35-44'],
      [born(45, 1), '45-54'],
      [born(54, 300), '45-54'],
      [born(55, 1), '55-64'],
      [born(64, 300), '55-64'],
      [born(65, 1), '65+'],
      [born(90), '65+'],
    ];
    for (const [date, band] of cases) assert.equal(applyTransform('age-band', date, NOW, key), band, date);
    assert.equal(applyTransform('age-band', 'never', NOW, key), null);
  });

  it('city: the city of an address, nothing of anything else', () => {
    assert.equal(applyTransform('city', { street: 'Abay Avenue 10', city: 'Almaty' }, NOW, key), 'Almaty');
    for (const value of [{ street: 'Abay Avenue 10' }, { city: 7 }, 'Almaty', null]) assert.equal(applyTransform('city', value, NOW, key), null, JSON.stringify(value));
  });

  it('suppress: nothing at all', () => {
    assert.equal(applyTransform('suppress', 'aigerim@example.kz', NOW, key), null);
  });

  it('hash: equal values give equal tokens within one run, and nothing links runs', () => {
    const a = applyTransform('hash', 'Aigerim', NOW, key) as string;
    assert.match(a, /^[A-Za-z0-9_-]{22}$/);
    assert.equal(applyTransform('hash', 'Aigerim', NOW, key), a);
    assert.notEqual(applyTransform('hash', 'Aigerim ', NOW, key), a);
    assert.notEqual(applyTransform('hash', 'Aigerim', NOW, randomBytes(32)), a);
    assert.notEqual(applyTransform('hash', { name: 'Aigerim' }, NOW, key), a);
    assert.ok(!a.includes('Aigerim'));
  });
});
