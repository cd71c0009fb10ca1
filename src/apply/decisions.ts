import type { Campaign } from '../campaign/types.js';
import type { Batch, BatchParams } from '../account/index.js';
import { isScheduledBatch } from '../plan/index.js';
import { hasStarted, isCancelStatus, isHeldByGuard } from './overlap-guard.js';
import type { CampaignRun } from './campaign-run.js';
import type { CampaignOutcome, CampaignResult } from './types.js';

// Pure decisions of a run: they read a campaign's state and the clocks, and change nothing.

export const DEFAULT_POLL = { initial: 1_000, max: 30_000 };
/** Each poll round waits this fraction of the time already spent waiting: overshoot stays about 10 %. */
const POLL_GROWTH = 0.1;
/** Time kept, before a batch's send time, to cancel it after the last look. */
export const CANCEL_MARGIN_MS = 1_000;
const LIST_RELEASED_ON = new Set<CampaignOutcome>(['completed', 'failed', 'canceled', 'not-created', 'skipped']);
const OUTCOME_OF_STATUS: Record<string, CampaignOutcome> = { COMPLETED: 'completed', FAILED: 'failed', CANCELED: 'canceled' };

/** Failures of earlier runs (action `none`) are reported but do not fail this run: the file stays as history. */
export function endedWell(result: CampaignResult): boolean {
  if (result.action === 'invalid' || result.action === 'conflict') return false;
  if (result.outcome === 'timeout' || result.outcome === 'not-created' || result.outcome === 'unknown') return false;
  // A cancel accepted by OVH (the batch is being cancelled) is what was asked; any other end is not.
  if (result.action === 'cancel') return result.outcome === 'canceled' || (result.status !== null && isCancelStatus(result.status));
  if (result.outcome === 'failed') return result.action === 'none';
  if (result.outcome === 'canceled') return result.action === 'none';
  return true;
}

export function outcomeOf(batch: Batch): CampaignOutcome {
  return OUTCOME_OF_STATUS[batch.status] ?? 'running';
}

/** A batch still running (or scheduled) keeps its receivers list: the next run deletes it once the batch is done. */
export function releasesList(outcome: CampaignOutcome): boolean {
  return LIST_RELEASED_ON.has(outcome);
}

export function batchParams(campaign: Campaign, deferred: string | null, slotId: number | null): BatchParams {
  const params: BatchParams = { name: campaign.name, message: campaign.message, noStop: campaign.noStop };
  if (slotId === null) params.to = [...campaign.recipients];
  else params.slotID = String(slotId); // OVH's notebook passes the long slotId as a string
  if (campaign.senderForResponse) params.senderForResponse = true;
  else if (campaign.from !== null) params.from = campaign.from;
  if (deferred !== null) params.deferred = deferred;
  if (campaign.tag !== null) params.tag = campaign.tag;
  return params;
}

export function isHeldAt(run: CampaignRun, nowMs: number): boolean {
  return run.heldUntilMs !== null && run.heldUntilMs > nowMs;
}

/** Scheduled means the campaign's own time (or OVH's commercial hours), never the guard's short hold. */
export function isScheduledFor(run: CampaignRun, batch: Batch, ovhNow: Date, holdMs: number): boolean {
  return isScheduledBatch(batch, ovhNow, run.deferred) && !isHeldByGuard(batch, run.deferred, ovhNow, holdMs);
}

/**
 * When the guard's hold on a batch ends (local clock): known for our own, read from `sentAt` for others; null if
 * not held. `offsetMs` is OVH's clock minus the local one.
 */
export function heldUntil(run: CampaignRun, batch: Batch, ovhNow: Date, holdMs: number, offsetMs: number): number | null {
  if (hasStarted(batch)) return null;
  if (batch.id === run.ownBatchId && run.ownHoldEndMs !== null) return run.ownHoldEndMs;
  return isHeldByGuard(batch, run.deferred, ovhNow, holdMs) ? Date.parse(batch.sentAt!) - offsetMs : null;
}

export function heldText(run: CampaignRun, nowMs: number, offsetMs: number): string | null {
  if (run.heldUntilMs === null || run.heldUntilMs <= nowMs) return null;
  return `held until ${new Date(run.heldUntilMs + offsetMs).toISOString()} so overlapping runs can be detected; OVH sends it then`;
}

/**
 * Rounds start `initial` apart after a batch is tracked and grow with the time waited. A held batch is looked
 * at once a third of its hold before the end (a duplicate left by a run that died is still cancellable then),
 * then its rounds start when the hold ends.
 */
export function nextRoundDelay(
  running: Iterable<CampaignRun>,
  nowMs: number,
  poll: { initial: number; max: number },
  holdMs: number,
): number {
  let delay = poll.max;
  for (const run of running) {
    const held = run.heldUntilMs;
    if (held !== null && held > nowMs) {
      // Our own holds end on whole seconds and share one length, so batches created together share their look.
      const span = run.result.batchId === run.ownBatchId && run.ownHoldEndMs !== null ? holdMs : held - run.trackedMs;
      const check = held - span / 3;
      delay = Math.min(delay, nowMs < check ? check - nowMs : held - nowMs + poll.initial);
    } else {
      const waited = nowMs - Math.max(run.trackedMs, held ?? 0);
      delay = Math.min(delay, clamp(waited * POLL_GROWTH, poll.initial, poll.max));
    }
  }
  return delay;
}

export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

export function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}
