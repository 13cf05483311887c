/**
 * Which law governs one data subject, and where data may go: the law module's facts that
 * the gate, the compiler and the notice all import.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { governingJurisdictions, governingLaws, isGdprJurisdiction, JURISDICTIONS, LAW_NAME, LAW_OF } from '../../src/law/jurisdictions.js';
import { homeRegion, isCrossBorder } from '../../src/law/transfers.js';

describe('governing law', () => {
  it('is the subject’s own jurisdiction when the operator declares it', () => {
    assert.deepEqual(governingJurisdictions(['EU', 'US-CA'], 'EU'), ['EU']);
    assert.deepEqual(governingJurisdictions(['EU', 'US-CA'], 'US-CA'), ['US-CA']);
    assert.deepEqual(governingLaws(['KZ', 'RU'], 'RU'), ['ru']);
  });

  it('is every declared jurisdiction for a subject of unknown residence or one the operator does not declare', () => {
    assert.deepEqual(governingJurisdictions(['EU', 'US-CA'], null), ['EU', 'US-CA']);
    assert.deepEqual(governingJurisdictions(['KZ'], 'RU'), ['KZ']);
    assert.deepEqual(governingLaws(['KZ', 'EU', 'US-CA'], 'RU'), ['kz', 'gdpr', 'ccpa']);
    const declared = ['EU'] as const;
    assert.notEqual(governingJurisdictions(declared, null), declared, 'a copy, not the policy’s own list');
  });

  it('names each law once: the EU and the UK both mean the GDPR', () => {
    assert.deepEqual(governingLaws(['EU', 'UK'], null), ['gdpr']);
    assert.deepEqual(governingLaws(['UK', 'KZ', 'EU'], null), ['gdpr', 'kz']);
  });

  it('maps every jurisdiction to its law and names it', () => {
    assert.deepEqual(JURISDICTIONS.map((j) => LAW_OF[j]), ['kz', 'ru', 'gdpr', 'gdpr', 'ccpa']);
    assert.deepEqual(LAW_NAME, { gdpr: 'GDPR', kz: 'Kazakhstan 94-V', ru: 'Russia 152-FZ', ccpa: 'CCPA/CPRA' });
  });

  it('knows the GDPR jurisdictions', () => {
    assert.deepEqual(
      [...JURISDICTIONS, null].filter((j) => isGdprJurisdiction(j)),
      ['EU', 'UK'],
    );
  });
});

describe('cross-border transfers', () => {
  it('are counted from the storage region, else the country of establishment', () => {
    assert.equal(homeRegion({ storageRegion: 'KZ', country: 'GB' }), 'KZ');
    assert.equal(homeRegion({ country: 'GB' }), 'GB');
    assert.equal(homeRegion({}), undefined);
  });

  it('are transfers to another country', () => {
    assert.equal(isCrossBorder('US', 'KZ'), true);
    assert.equal(isCrossBorder('RU', 'KZ'), true);
    assert.equal(isCrossBorder('KZ', 'KZ'), false);
    assert.equal(isCrossBorder('US', undefined), false, 'nothing to compare with: not called cross-border');
  });

  it('are none between two countries of the EEA: the 27 member states, Iceland, Liechtenstein and Norway', () => {
    const eea = ['AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE', 'IS', 'LI', 'NO'];
    for (const country of eea) {
      assert.equal(isCrossBorder(country, 'EU'), false, `${country} from data stored in the EU`);
      assert.equal(isCrossBorder('EU', country), false, `the EU from data stored in ${country}`);
      assert.equal(isCrossBorder(country, 'US'), true, `${country} from data stored in the US`);
    }
  });

  it('treat the EEA as one region, but not its neighbours', () => {
    for (const [country, home] of [['DE', 'EU'], ['EU', 'FR'], ['NO', 'DE'], ['IS', 'LI'], ['IE', 'CY']]) {
      assert.equal(isCrossBorder(country, home), false, `${country} from ${home}`);
    }
    for (const [country, home] of [['CH', 'DE'], ['GB', 'EU'], ['DE', 'GB'], ['US', 'EU'], ['EU', 'KZ'], ['TR', 'BG']]) {
      assert.equal(isCrossBorder(country, home), true, `${country} from ${home}`);
    }
  });
});
