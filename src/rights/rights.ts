/**
 * The rights feature as the composition root wires it: the requests with their clocks,
 * identity verification, fulfilment in the vault, and the job kinds they run on.
 */
import { RightsRequests, type RightsRequestsDeps } from './requests.js';

export type RightsDeps = RightsRequestsDeps;

export class Rights {
  readonly requests: RightsRequests;

  constructor(deps: RightsDeps) {
    this.requests = new RightsRequests(deps);
  }
}
