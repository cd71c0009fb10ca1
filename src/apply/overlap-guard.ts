import type { Campaign } from '../campaign/types.js';
import { CANCELLING_STATUSES, type Batch } from '../account/index.js';
import type { CampaignPlan } from '../plan/types.js';
import { compareWithBatch } from '../plan/index.js';

/** How long a new batch is held by default: time for an overlapping run to list, find and cancel its duplicate. */
export const DEFAULT_OVERLAP_GUARD_MS = 15_000;

/** Extra time after a guard's hold within which a send time still counts as that hold (OVH rounding, clock drift). */
const HOLD_SLACK_MS = 5_000;

/** Which batches stay and which must go when several live batches would send one campaign. */
export interface Settlement {
  winner: Batch;
  /** Every other live batch with the campaign's name and content, in the winner's order. */
  losers: Batch[];
}

export function isBeingCancelled(batch: Batch): boolean {
  return isCancelStatus(batch.status);
}

export function isCancelStatus(status: string): boolean {
  return CANCELLING_STATUSES.has(status);
}

/** A batch that has started sending (or ended, or has a status we do not know) can no longer be cancelled. */
export function hasStarted(batch: Batch): boolean {
  return batch.status !== 'PENDING' || batch.startedAt !== null;
}

/**
 * The `deferred` to send for a new batch: the campaign's own time, or `now + hold` when that is later.
 * Sent without milliseconds, the precision OVH's documented examples use; the hold is rounded up, never down.
 */
export function deferredWithHold(campaignDeferred: string | null, now: Date, holdMs: number): string | null {
  if (holdMs <= 0) return campaignDeferred;
  const holdEnd = Math.ceil((now.getTime() + holdMs) / 1000) * 1000;
  if (campaignDeferred !== null && Date.parse(campaignDeferred) >= holdEnd) return campaignDeferred;
  return new Date(holdEnd).toISOString().replace('.000Z', 'Z');
}

/** OVH cancels only a batch deferred to a later time that has not started. */
export function isCancellable(batch: Batch, now: Date): boolean {
  return !hasStarted(batch) && batch.sentAt !== null && Date.parse(batch.sentAt) > now.getTime();
}

/**
 * Live batches (not being cancelled) with the campaign's name and content, settled by a rule every run computes
 * alike: a batch that can no longer be cancelled wins (keeping it is the only way to send once), then the earliest
 * `createdAt`, ties to the smallest id. Null when there is no such batch.
 */
export function settleDuplicates(campaign: Campaign, batches: readonly Batch[], now: Date): Settlement | null {
  const live = batches
    .filter((batch) => batch.name === campaign.name && !isBeingCancelled(batch) && compareWithBatch(campaign, batch).length === 0)
    .sort((a, b) => Number(isCancellable(a, now)) - Number(isCancellable(b, now)) || byCreation(a, b));
  const [winner, ...losers] = live;
  return winner === undefined ? null : { winner, losers };
}

/** How a batch with the campaign's name compares with it: `unknown` while OVH does not list its receivers yet. */
export type ContentMatch = 'same' | 'other' | 'unknown';

export function contentMatch(campaign: Campaign, batch: Batch): ContentMatch {
  const differences = compareWithBatch(campaign, batch);
  if (differences.length === 0) return 'same';
  // A batch sent from a receivers list (slotID) never lists numbers: its record count decides, at once.
  const receiversPending =
    batch.receivers === null ? batch.slotID === null : batch.receivers.length === 0 && campaign.recipients.length > 0;
  return receiversPending && differences.every((difference) => difference.field === 'to') ? 'unknown' : 'other';
}

/**
 * What the live batches under a campaign's name mean for the batch a run follows (`ownId`: the one it created, whose
 * content it knows even before OVH lists the receivers):
 * - conflict: another version of the campaign is live; each run cancels its own while it can.
 * - unsure: some batch's receivers are not listed yet; look again before deciding.
 * - duplicates: only this content; settle them (may be a single batch).
 */
export type Overlap =
  { kind: 'conflict'; others: Batch[] } | { kind: 'unsure'; pending: Batch[] } | { kind: 'duplicates'; settlement: Settlement | null };

export function classifyOverlap(campaign: Campaign, batches: readonly Batch[], ownId: string | null, now: Date): Overlap {
  const live = batches.filter((batch) => batch.name === campaign.name && !isBeingCancelled(batch));
  const matchOf = (batch: Batch): ContentMatch => (batch.id === ownId ? 'same' : contentMatch(campaign, batch));
  const others = live.filter((batch) => matchOf(batch) === 'other');
  if (others.length > 0) return { kind: 'conflict', others };
  const pending = live.filter((batch) => matchOf(batch) === 'unknown');
  if (pending.length > 0) return { kind: 'unsure', pending };
  const same = live.map((batch) =>
    batch.id === ownId && batch.receivers === null ? { ...batch, receivers: [...campaign.recipients] } : batch,
  );
  return { kind: 'duplicates', settlement: settleDuplicates(campaign, same, now) };
}

/** Earliest creation first; the id breaks ties the same way on every machine (no locale). */
export function byCreation(a: Batch, b: Batch): number {
  const time = Date.parse(a.createdAt) - Date.parse(b.createdAt);
  if (time !== 0 && !Number.isNaN(time)) return time;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * A PENDING batch whose send time is only an overlap guard's hold (a few seconds after its creation, and the
 * campaign has no future `deferred` of its own): OVH sends it by itself shortly, so apply waits for it rather
 * than reporting it scheduled. A later send time (OVH's commercial hours) is a real schedule.
 */
export function isHeldByGuard(batch: Batch, campaignDeferred: string | null, now: Date, holdMs: number): boolean {
  if (hasStarted(batch) || batch.sentAt === null) return false;
  if (campaignDeferred !== null && Date.parse(campaignDeferred) > now.getTime()) return false;
  const sending = Date.parse(batch.sentAt);
  const window = Math.max(holdMs, DEFAULT_OVERLAP_GUARD_MS) + HOLD_SLACK_MS;
  return sending > now.getTime() && sending <= Date.parse(batch.createdAt) + window;
}

/**
 * A conflict that is only an overlapping run's duplicates: every batch has the campaign's content and at most one
 * has started, so apply can settle it by cancelling, without sending anything.
 */
export function isSettleableDuplicate(entry: CampaignPlan): boolean {
  if (entry.action !== 'conflict' || entry.batches.length < 2) return false;
  const sameContent = entry.batches.every((batch) => compareWithBatch(entry.campaign, batch).length === 0);
  return sameContent && entry.batches.filter(hasStarted).length <= 1;
}
