export { readAccountChecks, describeFailure, DEFAULT_REVIEW_TIMEOUT_MS } from './read.js';
export type { ReadChecksOptions } from './read.js';
