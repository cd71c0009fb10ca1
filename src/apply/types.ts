import type { PlanAction } from '../plan/types.js';
import type { BatchError, BatchStatistics, BatchStatus } from '../account/index.js';
import type { MaskedText } from '../recipients/index.js';

/** Where apply puts each campaign's files: the report folder, which report/ owns (ReportFolder). */
export interface CampaignFiles {
  /** `<campaign>/statistics.json`; returns its path relative to the report folder. */
  writeStatistics(campaign: string, statistics: BatchStatistics): Promise<string>;
  /** Where `<campaign>/outgoing.csv` is downloaded to; `settleExport` is called once it is. */
  placeExport(campaign: string): Promise<{ path: string; relative: string }>;
  /** Finishes a downloaded export (e.g. masks it); a note when the file was not what was expected. */
  settleExport(path: string): Promise<string | null>;
}

/**
 * How a campaign ended this run.
 * - completed / failed / canceled: OVH's final batch status.
 * - scheduled: a deferred batch waiting for its time (not a timeout).
 * - running: still running when apply stopped waiting (--no-wait).
 * - timeout: still running when --timeout ran out.
 * - not-created: creation failed; nothing was sent.
 * - unknown: creation's answer was lost and no batch showed up while it was looked up: it may still appear.
 * - skipped: invalid or in conflict; nothing was sent.
 */
export type CampaignOutcome =
  'completed' | 'failed' | 'canceled' | 'scheduled' | 'running' | 'timeout' | 'not-created' | 'unknown' | 'skipped';

export interface CampaignResult {
  name: string | null;
  file: string;
  action: PlanAction;
  batchId: string | null;
  /** Whether this run created the batch. */
  created: boolean;
  status: BatchStatus | null;
  outcome: CampaignOutcome;
  /** Batch timings as OVH reports them (ISO), and the wall time this run spent on the campaign. */
  timings: { createdAt: string | null; startedAt: string | null; finishedAt: string | null; elapsedMs: number };
  statistics: BatchStatistics | null;
  /** Per-receiver errors of the batch (sms.BatchError). */
  receiverErrors: BatchError[];
  /** The OVH CSV export, relative to the report folder, when downloaded. */
  exportFile: string | null;
  /** Why the export could not be fetched (after retrying until the timeout); null when it was, or was not due. */
  exportWarning: string | null;
  /** What went wrong in this run, for people. */
  message: string | null;
  /** Problems that changed nothing sent (e.g. a receivers list or a document left on the account), masked. */
  warnings: MaskedText[];
}

export interface ApplyResult {
  service: string;
  startedAt: string;
  finishedAt: string;
  campaigns: CampaignResult[];
  created: number;
  /** True when every campaign ended well (completed, scheduled, canceled on request, or nothing to do). */
  ok: boolean;
  /** Problems of the run as a whole that changed nothing sent (e.g. OVH's clock unreadable), masked. */
  warnings: MaskedText[];
}
