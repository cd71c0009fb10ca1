import { DEFAULT_RETRY, type Batch, type RetryPolicy, type SmsApi } from '../account/index.js';
import type { Plan } from '../plan/types.js';
import { errorText } from '../common/index.js';
import { maskPhoneNumbersInText, type MaskedText } from '../recipients/index.js';
import type { CampaignRun } from './campaign-run.js';
import { DEFAULT_POLL, releasesList } from './decisions.js';
import { ExportFetcher } from './exports.js';
import { DEFAULT_OVERLAP_GUARD_MS } from './overlap-guard.js';
import { pool } from './pool.js';
import type { ApplyPhase, ApplyProgress } from './progress.js';
import { DEFAULT_RECEIVERS_LIST_THRESHOLD, ReceiversLists } from './receivers-lists.js';
import type { CampaignFiles, CampaignOutcome } from './types.js';

export interface ApplyOptions {
  wait: boolean;
  timeoutMs: number;
  maxCredits: number | null;
  /** Batches created (and reports fetched) at the same time; default 4. */
  concurrency?: number;
  /** Where `<campaign>/statistics.json` and `<campaign>/outgoing.csv` go (the report folder); null: statistics only, no files. */
  report: CampaignFiles | null;
  progress?: (event: ApplyProgress) => void;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** Poll backoff: rounds start `initial` apart and grow with the time already waited, up to `max`. */
  pollIntervalMs?: { initial: number; max: number };
  /**
   * The overlap guard: a new batch is sent deferred by this long (default 15 s) so that a run overlapping this one
   * can still cancel its duplicate; 0 turns it off.
   */
  overlapGuardMs?: number;
  /** Campaigns with at least this many recipients go through an OVH receivers list (slotID); default 10,000, 0 = never. */
  receiversListThreshold?: number;
  /**
   * How long a creation whose outcome is unknown (timeout, dropped connection, 5xx) is looked up before the run
   * stops with "outcome unknown"; at least until the hold it was sent with has ended. Default 30 s.
   */
  outcomeLookupMs?: number;
  /** Retries of a refused or lost call (see account/retry.ts); default DEFAULT_RETRY's attempts, the poll's first interval as base. */
  retry?: RetryPolicy;
}

const DEFAULT_OUTCOME_LOOKUP_MS = 30_000;

/** What every step of one apply run shares: the account, the options, the clocks and the batches still followed. */
export interface RunContext {
  readonly plan: Plan;
  readonly api: SmsApi;
  readonly options: ApplyOptions;
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  readonly poll: { initial: number; max: number };
  readonly retry: RetryPolicy;
  readonly limit: <T>(task: () => Promise<T>) => Promise<T>;
  readonly report: CampaignFiles | null;
  readonly startedAt: Date;
  readonly deadlineMs: number;
  /** Batches this run still waits for, by id. */
  readonly running: Map<string, CampaignRun>;
  readonly finishing: Promise<void>[];
  readonly holdMs: number;
  listing: { promise: Promise<Batch[]>; seq: number } | null;
  listingsStarted: number;
  /** OVH's clock minus the local one: batch times are compared on OVH's clock. */
  offsetMs: number;
  readonly outcomeLookupMs: number;
  readonly exports: ExportFetcher;
  readonly lists: ReceiversLists;
  readonly listThreshold: number;
  readonly releases: Promise<void>[];
  /** Problems of the run as a whole (not of one campaign), masked, for the result (added through warnRun). */
  readonly warnings: MaskedText[];
}

export function createContext(plan: Plan, api: SmsApi, options: ApplyOptions): RunContext {
  const limit = pool(Math.max(1, options.concurrency ?? 4));
  const now = options.now ?? (() => new Date());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const startedAt = now();
  const deadlineMs = startedAt.getTime() + options.timeoutMs;
  const clock = () => now().getTime();
  const poll = options.pollIntervalMs ?? DEFAULT_POLL;
  const retry = options.retry ?? { attempts: DEFAULT_RETRY.attempts, baseDelayMs: poll.initial };
  const creating = new Set(plan.campaigns.flatMap((entry) => (entry.action === 'create' ? [entry.campaign.name] : [])));
  return {
    plan,
    api,
    options,
    now,
    sleep,
    poll,
    retry,
    limit,
    report: options.report,
    startedAt,
    deadlineMs,
    running: new Map(),
    finishing: [],
    holdMs: Math.max(0, options.overlapGuardMs ?? DEFAULT_OVERLAP_GUARD_MS),
    listing: null,
    listingsStarted: 0,
    offsetMs: 0,
    outcomeLookupMs: Math.max(0, options.outcomeLookupMs ?? DEFAULT_OUTCOME_LOOKUP_MS),
    exports: new ExportFetcher(api, { now: clock, sleep, limit, deadlineMs }),
    lists: new ReceiversLists(api, { now: clock, creating, retry, sleep }),
    warnings: [],
    listThreshold: options.receiversListThreshold ?? DEFAULT_RECEIVERS_LIST_THRESHOLD,
    releases: [],
  };
}

/** Now on OVH's clock. */
export function ovhNow(ctx: RunContext): Date {
  return new Date(ctx.now().getTime() + ctx.offsetMs);
}

/** A time on OVH's clock (ISO) as a local instant. */
export function localMs(ctx: RunContext, ovhTime: string): number {
  return Date.parse(ovhTime) - ctx.offsetMs;
}

/**
 * Joins a listing already under way rather than starting another: fewer calls, same freshness. `startedAfter`
 * (a count of listings started, taken earlier) refuses a listing that started before that point.
 */
export function freshListing(ctx: RunContext, startedAfter = 0): Promise<Batch[]> {
  const current = ctx.listing;
  if (current !== null && current.seq > startedAfter) return current.promise;
  // Too old: wait for it to end and share the next one with everyone else who waited.
  if (current !== null)
    return current.promise.then(
      () => freshListing(ctx, startedAfter),
      () => freshListing(ctx, startedAfter),
    );
  ctx.listingsStarted += 1;
  const seq = ctx.listingsStarted;
  const promise = ctx.api.listBatches().finally(() => {
    if (ctx.listing?.seq === seq) ctx.listing = null;
  });
  ctx.listing = { promise, seq };
  return promise;
}

export function observe(ctx: RunContext, run: CampaignRun, batch: Batch): void {
  const result = run.result;
  result.batchId = batch.id;
  result.status = batch.status;
  result.timings.createdAt = batch.createdAt ?? null;
  result.timings.startedAt = batch.startedAt ?? null;
  result.timings.finishedAt = batch.finishedAt ?? null;
  result.receiverErrors = (batch.errors ?? []).map((error) => ({
    receiver: maskPhoneNumbersInText(error.receiver),
    message: maskPhoneNumbersInText(error.message),
  }));
}

export function finish(ctx: RunContext, run: CampaignRun, outcome: CampaignOutcome, message: string | null): void {
  const notes: string[] = [];
  if (run.cancelledDuplicates.size > 0) {
    notes.push(
      `another run created the same batch at the same time; kept batch ${run.result.batchId}, cancelled ${[...run.cancelledDuplicates].join(', ')}`,
    );
  }
  notes.push(...run.sentTwice.values());
  if (message !== null) notes.push(message);
  // A duplicate that went out is a failure whatever became of the batch kept.
  run.result.outcome = run.sentTwice.size > 0 && outcome !== 'skipped' ? 'failed' : outcome;
  run.result.message = notes.length === 0 ? null : maskPhoneNumbersInText(notes.join('; '));
  run.result.timings.elapsedMs = ctx.now().getTime() - run.startedMs;
  emit(ctx, run, outcome === 'skipped' ? 'skipped' : 'done', null, run.result.message);
  // A batch still running (or scheduled) keeps its list: the next run deletes it once the batch is done.
  if (run.slotId !== null && run.campaign !== null && releasesList(outcome)) {
    ctx.releases.push(ctx.lists.release(run.slotId, run.campaign.name, (text) => warn(ctx, run, text)));
  }
}

export function emit(ctx: RunContext, run: CampaignRun, phase: ApplyPhase, batch: Batch | null, message: string | null = null): void {
  if (!ctx.options.progress) return;
  const result = run.result;
  const event: ApplyProgress = {
    campaign: run.label,
    phase,
    batchId: batch?.id ?? result.batchId,
    status: batch?.status ?? result.status,
    processed: batch ? batch.processedRecords : null,
    total: batch ? batch.totalRecords : null,
    outcome: phase === 'done' || phase === 'skipped' ? result.outcome : null,
    message: message === null ? null : maskPhoneNumbersInText(message),
  };
  try {
    ctx.options.progress(event);
  } catch (error) {
    // A broken progress printer must not stop a send half-way: the result says so, once.
    warnRun(ctx, `the progress printer failed (${errorText(error)}): some progress lines are missing`);
  }
}

/** A problem that changes nothing sent (something left behind, a note): a progress line, and kept in the result. */
export function warn(ctx: RunContext, run: CampaignRun, text: string): void {
  const masked = maskPhoneNumbersInText(text);
  if (!run.result.warnings.includes(masked)) run.result.warnings.push(masked);
  emit(ctx, run, 'warning', null, masked);
}

/** A problem of the run as a whole that changes nothing sent: kept once in the result, masked (OVH's errors may quote numbers). */
export function warnRun(ctx: RunContext, text: string): void {
  const masked = maskPhoneNumbersInText(text);
  if (!ctx.warnings.includes(masked)) ctx.warnings.push(masked);
}
