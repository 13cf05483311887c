/**
 * Data localisation: the countries whose law wants their residents' (citizens') data in
 * databases at home, with the article. The one list the compiler and the gate read.
 */
import type { Jurisdiction } from './jurisdictions.js';
import { KZ } from './kz.js';
import { RU } from './ru.js';

export interface LocalisationRule {
  /** The country whose databases must hold the data. */
  country: Jurisdiction & ('KZ' | 'RU');
  /** Diagnostic code the policy compiler reports when the storage region differs. */
  code: string;
  article: string;
  /** The rule in one sentence, for diagnostics. */
  rule: string;
}

export const LOCALISATION_RULES: readonly LocalisationRule[] = [
  { country: 'KZ', code: 'kz-storage-region', article: KZ.localisation!.article, rule: KZ.localisation!.rule },
  { country: 'RU', code: 'ru-storage-region', article: RU.localisation!.article, rule: RU.localisation!.rule },
];

/** Countries whose law requires their residents' data to be stored at home (94-V 12(2), 152-FZ 18(5)). */
export const LOCALISED_COUNTRIES: ReadonlySet<string> = new Set(LOCALISATION_RULES.map((r) => r.country));
