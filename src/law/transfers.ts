/**
 * When is a disclosure a cross-border transfer? When the recipient is in another country than
 * the one where the operator stores the data. Inside the EEA the GDPR treats the area as one
 * (Chapter V covers transfers out of it), so `EU`, member states and EEA states count as one
 * region among themselves.
 */
import type { Entity } from '../policy/model.js';

const EEA = new Set([
  'EU', 'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT',
  'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE', 'IS', 'LI', 'NO',
]);

/**
 * Where the operator's data live: the declared storage region, else the country of
 * establishment; `undefined` when the policy says neither.
 */
export function homeRegion(entity: Pick<Entity, 'storageRegion' | 'country'>): string | undefined {
  return entity.storageRegion ?? entity.country;
}

/**
 * @example isCrossBorder('DE', 'EU') // false
 * @example isCrossBorder('US', 'KZ') // true
 */
export function isCrossBorder(country: string, home: string | undefined): boolean {
  if (home === undefined || country === home) return false;
  return !(EEA.has(country) && EEA.has(home));
}
