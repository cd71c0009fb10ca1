import type { Route } from '../router.js';
import { accountRoutes } from './account.js';
import { batchRoutes } from './batches.js';
import { documentRoutes } from './documents.js';
import type { SandboxParts } from './parts.js';
import { receiversRoutes } from './receivers.js';
import { reviewRoutes } from './review.js';

export { API, type SandboxParts } from './parts.js';

/** Every route the sandbox answers. */
export function sandboxRoutes(parts: SandboxParts): Route[] {
  return [...accountRoutes(parts), ...reviewRoutes(parts), ...batchRoutes(parts), ...receiversRoutes(parts), ...documentRoutes(parts)];
}
