import type { BatchStatus } from './models.js';

// Batch states, defined once: plan, apply and the overlap guard all read them from here.

/** OVH will not change these batches any more. */
export const FINISHED_STATUSES: ReadonlySet<BatchStatus> = new Set(['COMPLETED', 'FAILED', 'CANCELED']);

/** Created and not finished: sending, about to send, or being cancelled. */
export const RUNNING_STATUSES: ReadonlySet<BatchStatus> = new Set(['PENDING', 'INSERTING', 'INSERTED', 'TO_CANCEL', 'CANCELING']);

/** Cancelled, or on the way to it: such a batch sends nothing more. */
export const CANCELLING_STATUSES: ReadonlySet<BatchStatus> = new Set(['TO_CANCEL', 'CANCELING', 'CANCELED']);

export const isFinished = (status: BatchStatus): boolean => FINISHED_STATUSES.has(status);
