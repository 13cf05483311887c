import type { Custodian } from '../../custodian.js';

/** What every route plugin receives. */
export interface RouteDeps {
  custodian: Custodian;
}
