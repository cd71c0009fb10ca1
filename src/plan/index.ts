export { makePlan, estimatedCredits, isScheduledBatch } from './make-plan.js';
export type { RemoteState } from './make-plan.js';
export { toPlanJson, planExitCode, remoteBatchOf } from './json.js';
export { compareWithBatch, stripStopClause, normaliseReceiver } from './match.js';
export type { ContentDifference } from './match.js';
export { planDigest } from './digest.js';
export type * from './types.js';
