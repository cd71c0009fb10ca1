export { applyPlan, pool, ApplyRefused } from './apply.js';
export { DEFAULT_OVERLAP_GUARD_MS, isSettleableDuplicate } from './overlap-guard.js';
export { DEFAULT_RECEIVERS_LIST_THRESHOLD } from './receivers-lists.js';
export type { ApplyOptions } from './apply.js';
export { formatProgressLine, createTerminalProgress, createPlainProgress } from './progress.js';
export type { ApplyProgress, ApplyPhase, ProgressRenderer } from './progress.js';
export type * from './types.js';
export { sendTests, type TestOutcome } from './test-sends.js';
