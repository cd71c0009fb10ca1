import type { Batch, BatchStatistics, BatchStatus } from '../account/index.js';
import { badRequest } from './http-error.js';
import { iso } from './ovh-format.js';

/** A batch as the simulator keeps it; its status and statistics are derived from the clock on every read. */
export interface StoredBatch {
  id: string;
  name: string;
  message: string;
  from: string | null;
  receivers: string[];
  /** The receivers list the batch was created from (its numbers copied at creation), or null for `to`. */
  slotID: string | null;
  valid: string[];
  invalid: string[];
  stoplisted: string[];
  noStop: boolean;
  tag: string;
  createdAt: number;
  startAt: number;
  canceledAt: number | null;
  parts: number;
  firstOutgoingId: number;
}

/** What a batch's phase depends on. */
export interface BatchTiming {
  batchDurationMs: number;
  receiversHiddenForMs: number;
}

const BATCH_PARAMS: Record<string, 'string' | 'boolean' | 'string[]' | 'datetime'> = {
  name: 'string',
  message: 'string',
  from: 'string',
  senderForResponse: 'boolean',
  to: 'string[]',
  slotID: 'string',
  noStop: 'boolean',
  deferred: 'datetime',
  tag: 'string',
  class: 'string',
};

export function checkParamTypes(body: Record<string, unknown>): void {
  const unknown = Object.keys(body).filter((key) => !(key in BATCH_PARAMS));
  if (unknown.length > 0) throw badRequest(`Unknown parameter(s): ${unknown.join(', ')}`);
  for (const [key, value] of Object.entries(body)) {
    const type = BATCH_PARAMS[key];
    const ok =
      type === 'string[]'
        ? Array.isArray(value) && value.every((item) => typeof item === 'string')
        : type === 'datetime'
          ? typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value))
          : typeof value === type;
    if (!ok) throw badRequest(`Invalid parameter [${key}]: expected ${type}, got ${value === null ? 'null' : typeof value}`);
  }
  if (body.class !== undefined && !['FLASH', 'PHONE', 'SIM'].includes(body.class as string)) {
    throw badRequest(`Invalid parameter [class]: ${String(body.class)} is not a sms.BatchClassEnum`);
  }
}

export function phase(batch: StoredBatch, now: number, duration: number): { status: BatchStatus; at: number } {
  if (batch.canceledAt !== null) {
    const since = now - batch.canceledAt;
    if (since < duration / 10) return { status: 'TO_CANCEL', at: batch.canceledAt };
    if (since < duration / 5) return { status: 'CANCELING', at: batch.canceledAt + duration / 10 };
    return { status: 'CANCELED', at: batch.canceledAt + duration / 5 };
  }
  const elapsed = now - batch.startAt;
  if (elapsed < duration / 4) return { status: 'PENDING', at: batch.createdAt };
  if (elapsed < duration / 2) return { status: 'INSERTING', at: batch.startAt + duration / 4 };
  if (elapsed < duration) return { status: 'INSERTED', at: batch.startAt + duration / 2 };
  return { status: batch.valid.length === 0 ? 'FAILED' : 'COMPLETED', at: batch.startAt + duration };
}

export function finished(batch: StoredBatch, now: number, duration: number): boolean {
  return batch.canceledAt === null && now - batch.startAt >= duration;
}

export function deliveredAt(batch: StoredBatch, duration: number): number {
  return batch.startAt + duration * 1.5;
}

export function credits(batch: StoredBatch): number {
  return batch.parts * batch.valid.length;
}

export function estimatedCredits(batch: StoredBatch): number {
  return batch.parts * batch.receivers.length;
}

/** The batch as GET /sms/{sn}/batches/{id} shows it at `now`. */
export function batchView(accountID: number, batch: StoredBatch, now: number, timing: BatchTiming): Batch {
  const { status, at } = phase(batch, now, timing.batchDurationMs);
  const duration = timing.batchDurationMs;
  const started = batch.canceledAt === null && now - batch.startAt >= duration / 4;
  const done = finished(batch, now, duration);
  const insertedShare = Math.min(1, Math.max(0, (now - batch.startAt - duration / 2) / (duration / 2)));
  return {
    accountID,
    createdAt: iso(batch.createdAt),
    errors: done
      ? [
          ...batch.invalid.map((receiver) => ({ receiver, message: 'Invalid receiver' })),
          ...batch.stoplisted.map((receiver) => ({ receiver, message: 'Receiver is blacklisted (STOP)' })),
        ]
      : [],
    estimatedCredits: estimatedCredits(batch),
    finishedAt: done ? iso(batch.startAt + duration) : null,
    from: batch.from,
    id: batch.id,
    message: batch.message,
    name: batch.name,
    processedRecords: done ? batch.receivers.length : Math.floor(batch.receivers.length * insertedShare),
    receivers: batch.slotID !== null || now - batch.createdAt < timing.receiversHiddenForMs ? null : [...batch.receivers],
    // As OVH: a deferred batch carries its send time from the start ("based on deferred time if exists").
    sentAt: started || batch.startAt > batch.createdAt ? iso(batch.startAt) : null,
    slotID: batch.slotID,
    startedAt: started ? iso(batch.startAt + duration / 4) : null,
    status,
    totalRecords: batch.receivers.length,
    updatedAt: iso(at),
  };
}

/** GET /sms/{sn}/batches/{id}/statistics at `now`. */
export function batchStatistics(batch: StoredBatch, now: number, duration: number): BatchStatistics {
  const base = { id: batch.id, estimatedCredits: estimatedCredits(batch) };
  if (batch.canceledAt !== null) {
    return { ...base, credits: 0, pending: 0, sent: 0, delivered: 0, failed: 0, stoplisted: 0 };
  }
  if (!finished(batch, now, duration)) {
    return { ...base, credits: 0, pending: batch.valid.length, sent: 0, delivered: 0, failed: 0, stoplisted: 0 };
  }
  const delivered = now >= deliveredAt(batch, duration) ? batch.valid.length : 0;
  return {
    ...base,
    credits: credits(batch),
    pending: batch.valid.length - delivered,
    sent: batch.valid.length,
    delivered,
    failed: batch.invalid.length,
    stoplisted: batch.stoplisted.length,
  };
}
