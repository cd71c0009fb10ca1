import type { Campaign } from '../campaign/types.js';
import type { CampaignPlan } from '../plan/types.js';
import type { CampaignResult } from './types.js';

/** One campaign's state through a run: planned, created or adopted, running, finished, exported, failed. */
export interface CampaignRun {
  readonly entry: CampaignPlan;
  readonly campaign: Campaign | null;
  readonly label: string;
  readonly result: CampaignResult;
  readonly startedMs: number;
  deferred: string | null;
  /** The batch this run created, and when the guard's hold on it ends (local clock, like every `…Ms` here). */
  ownBatchId: string | null;
  ownHoldEndMs: number | null;
  /** When this run started waiting for the tracked batch, and until when that batch is held (not sending yet). */
  trackedMs: number;
  heldUntilMs: number | null;
  /** Cancelled batches this creation replaces (a reschedule's, or those the plan saw): never adopted. */
  replacedBatchIds: ReadonlySet<string>;
  /** Duplicates of this campaign cancelled by this run or by an overlapping one, by id. */
  cancelledDuplicates: Set<string>;
  /** Duplicates that could not be cancelled (the campaign may have been sent twice), by id, with why. */
  sentTwice: Map<string, string>;
  /** The receivers list the campaign's batch is sent from, deleted once the batch is done. */
  slotId: number | null;
}

/** A plan entry's run before anything is done: skipped until a step says otherwise. */
export function newCampaignRun(entry: CampaignPlan, startedMs: number): CampaignRun {
  const campaign = entry.campaign;
  const name = campaign?.name ?? (entry.action === 'invalid' ? entry.invalid.name : null);
  const file = campaign?.file ?? (entry.action === 'invalid' ? entry.invalid.file : '');
  return {
    entry,
    campaign,
    label: name ?? file,
    startedMs,
    deferred: campaign?.deferred ?? null,
    ownBatchId: null,
    ownHoldEndMs: null,
    replacedBatchIds: new Set(entry.action === 'create' ? (entry.replaces ?? []) : []),
    trackedMs: 0,
    heldUntilMs: null,
    cancelledDuplicates: new Set(),
    sentTwice: new Map(),
    slotId: null,
    result: {
      name,
      file,
      action: entry.action,
      batchId: null,
      created: false,
      status: null,
      outcome: 'skipped',
      timings: { createdAt: null, startedAt: null, finishedAt: null, elapsedMs: 0 },
      statistics: null,
      receiverErrors: [],
      exportFile: null,
      exportWarning: null,
      message: null,
      warnings: [],
    },
  };
}
