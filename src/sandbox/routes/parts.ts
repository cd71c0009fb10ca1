import type { SandboxAccess } from '../access.js';
import type { ReviewRoutes } from '../review-routes.js';
import type { SmsSimulator } from '../state.js';

/** What the route modules act on: the account's state, the reviewer's data, who may call. */
export interface SandboxParts {
  simulator: SmsSimulator;
  review: ReviewRoutes;
  access: SandboxAccess;
  /** A document's getUrl and putUrl: served without authentication, like OVH's signed storage links. */
  documentUrl(id: string): string;
}

/** The prefix of OVH's API paths. */
export const API = '/1.0';
