import type { Campaign } from '../campaign/types.js';
import { OvhApiError, type SmsApi } from '../account/index.js';
import type { Batch, BatchParams, BatchStatus } from '../account/index.js';
import { compareWithBatch, isScheduledBatch } from '../plan/index.js';
import type { CampaignPlan, Plan } from '../plan/types.js';
import { maskPhoneNumbersInText } from '../recipients/index.js';
import {
  byCreation,
  classifyOverlap,
  contentMatch,
  DEFAULT_OVERLAP_GUARD_MS,
  deferredWithHold,
  hasStarted,
  isBeingCancelled,
  isCancellable,
  isCancelStatus,
  isHeldByGuard,
  settleDuplicates,
} from './overlap-guard.js';
import type { ApplyPhase, ApplyProgress } from './progress.js';
import { ExportFetcher } from './exports.js';
import { DEFAULT_RECEIVERS_LIST_THRESHOLD, ReceiversLists } from './receivers-lists.js';
import { ReportFolder, type ExportContent } from './report-files.js';
import type { ApplyResult, CampaignOutcome, CampaignResult } from './types.js';
import { errorText } from '../common/index.js';

export interface ApplyOptions {
  wait: boolean;
  timeoutMs: number;
  maxCredits: number | null;
  /** Batches created (and reports fetched) at the same time; default 4. */
  concurrency?: number;
  /** Where `<campaign>/statistics.json` and `<campaign>/outgoing.csv` go; null: statistics only, no files. */
  reportDir: string | null;
  /** `outgoing.csv` as OVH sends it (default) or with its phone numbers masked (`--mask-export`). */
  exportContent?: ExportContent;
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
}

/** Thrown before anything is sent. */
export class ApplyRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApplyRefused';
  }
}

const DEFAULT_POLL = { initial: 1_000, max: 30_000 };
/** Each poll round waits this fraction of the time already spent waiting: overshoot stays about 10 %. */
const POLL_GROWTH = 0.1;
const CREATE_ATTEMPTS = 4;
const CANCEL_ATTEMPTS = 3;
const DEFAULT_OUTCOME_LOOKUP_MS = 30_000;
/** Time kept, before a batch's send time, to cancel it after the last look. */
const CANCEL_MARGIN_MS = 1_000;
const FINISHED = new Set<BatchStatus>(['COMPLETED', 'FAILED', 'CANCELED']);
const LIST_RELEASED_ON = new Set<CampaignOutcome>(['completed', 'failed', 'canceled', 'not-created', 'skipped']);
const OUTCOME_OF_STATUS: Record<string, CampaignOutcome> = { COMPLETED: 'completed', FAILED: 'failed', CANCELED: 'canceled' };

interface Work {
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

/**
 * Carries out a plan: creates, cancels, waits, then fetches statistics and the CSV export of every batch.
 * A campaign is created at most once: its name is looked up just before each creation attempt, and a creation
 * whose outcome is unknown is looked up, never sent again (see README "How it never sends twice").
 */
export async function applyPlan(plan: Plan, api: SmsApi, options: ApplyOptions): Promise<ApplyResult> {
  await checkBeforeSending(plan, api, options);
  return new ApplyRun(plan, api, options).run();
}

async function checkBeforeSending(plan: Plan, api: SmsApi, options: ApplyOptions): Promise<void> {
  if (plan.offline || plan.service === null) throw new ApplyRefused('The plan was made offline: apply needs a plan made against the account.');
  if (plan.service !== api.serviceName) throw new ApplyRefused(`The plan is for ${plan.service}, not for ${api.serviceName}.`);
  const needed = plan.totals.estimatedCredits;
  if (options.maxCredits !== null && needed > options.maxCredits) {
    throw new ApplyRefused(`The plan needs about ${needed} credits, more than --max-credits ${options.maxCredits}: nothing was sent.`);
  }
  if (plan.totals.create === 0) return;
  const account = await api.getAccount();
  if (needed > account.creditsLeft) {
    throw new ApplyRefused(`The plan needs about ${needed} credits and the account has ${account.creditsLeft} left: nothing was sent.`);
  }
}

class ApplyRun {
  private readonly now: () => Date;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly poll: { initial: number; max: number };
  private readonly limit: <T>(task: () => Promise<T>) => Promise<T>;
  private readonly report: ReportFolder | null;
  private readonly startedAt: Date;
  private readonly deadlineMs: number;
  /** Batches this run still waits for, by id. */
  private readonly running = new Map<string, Work>();
  private readonly finishing: Promise<void>[] = [];
  private readonly holdMs: number;
  private listing: { promise: Promise<Batch[]>; seq: number } | null = null;
  private listingsStarted = 0;
  /** OVH's clock minus the local one: batch times are compared on OVH's clock. */
  private offsetMs = 0;
  private readonly outcomeLookupMs: number;
  private readonly exports: ExportFetcher;
  private readonly lists: ReceiversLists;
  private readonly listThreshold: number;
  private readonly releases: Promise<void>[] = [];

  constructor(
    private readonly plan: Plan,
    private readonly api: SmsApi,
    private readonly options: ApplyOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.poll = options.pollIntervalMs ?? DEFAULT_POLL;
    this.limit = pool(Math.max(1, options.concurrency ?? 4));
    this.report = options.reportDir === null ? null : new ReportFolder(options.reportDir, options.exportContent);
    this.startedAt = this.now();
    this.deadlineMs = this.startedAt.getTime() + options.timeoutMs;
    this.holdMs = Math.max(0, options.overlapGuardMs ?? DEFAULT_OVERLAP_GUARD_MS);
    this.outcomeLookupMs = Math.max(0, options.outcomeLookupMs ?? DEFAULT_OUTCOME_LOOKUP_MS);
    const clock = () => this.now().getTime();
    this.exports = new ExportFetcher(api, { now: clock, sleep: this.sleep, limit: this.limit, deadlineMs: this.deadlineMs });
    const creating = new Set(plan.campaigns.flatMap((entry) => (entry.action === 'create' ? [entry.campaign.name] : [])));
    this.lists = new ReceiversLists(api, { now: clock, creating });
    this.listThreshold = options.receiversListThreshold ?? DEFAULT_RECEIVERS_LIST_THRESHOLD;
  }

  /** Now on OVH's clock. */
  private ovhNow(): Date {
    return new Date(this.now().getTime() + this.offsetMs);
  }

  /** A time on OVH's clock (ISO) as a local instant. */
  private localMs(ovhTime: string): number {
    return Date.parse(ovhTime) - this.offsetMs;
  }

  async run(): Promise<ApplyResult> {
    // Unknown (no /auth/time): the local clock is all there is.
    this.offsetMs = (await this.api.clockOffsetMs?.().catch(() => 0)) ?? 0;
    const works = this.plan.campaigns.map((entry) => this.workFor(entry));
    const actions = Promise.all(works.map((work) => this.limit(() => this.act(work))));
    let actionsDone = false;
    const settled = actions.then(() => {
      actionsDone = true;
    });
    // --no-wait still follows held batches to the end of their hold: an overlapping run may cancel one before then.
    await this.waitLoop(() => actionsDone, settled);
    await settled;
    for (const work of this.running.values()) {
      const held = this.heldText(work);
      this.finish(work, this.options.wait ? 'timeout' : 'running', this.options.wait ? `still ${work.result.status}${held ? ` (${held})` : ''} when the timeout ran out` : held);
    }
    await Promise.all(this.finishing);
    await Promise.all(this.releases);
    const campaigns = works.map((work) => work.result);
    return {
      service: this.api.serviceName,
      startedAt: this.startedAt.toISOString(),
      finishedAt: this.now().toISOString(),
      campaigns,
      created: campaigns.filter((result) => result.created).length,
      ok: works.every((work) => endedWell(work.result) && work.sentTwice.size === 0),
    };
  }

  private workFor(entry: CampaignPlan): Work {
    const campaign = entry.campaign;
    const name = campaign?.name ?? (entry.action === 'invalid' ? entry.invalid.name : null);
    const file = campaign?.file ?? (entry.action === 'invalid' ? entry.invalid.file : '');
    return {
      entry,
      campaign,
      label: name ?? file,
      startedMs: this.now().getTime(),
      deferred: campaign?.deferred ?? null,
      ownBatchId: null,
      ownHoldEndMs: null,
      replacedBatchIds: new Set(entry.action === 'create' ? entry.replaces ?? [] : []),
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
      },
    };
  }

  private async act(work: Work): Promise<void> {
    const { entry } = work;
    switch (entry.action) {
      case 'conflict':
        if (await this.resolvePlannedDuplicates(work, entry.campaign)) return;
        this.finish(work, 'skipped', entry.errors[0]?.message ?? 'campaign is in conflict: nothing sent');
        return;
      case 'invalid':
        this.finish(work, 'skipped', entry.errors[0]?.message ?? 'campaign is invalid: nothing sent');
        return;
      case 'none':
        if (entry.batch === null) this.finish(work, 'skipped', 'nothing to send');
        else this.track(work, entry.batch);
        return;
      case 'wait':
        this.track(work, entry.batch);
        return;
      case 'cancel':
        return this.cancel(work, entry.batch);
      case 'create':
        return this.create(work, entry.campaign);
      case 'reschedule':
        return this.reschedule(work, entry.batch, entry.campaign);
    }
  }

  /** The old batch is cancelled (and OVH says so) before the new one is created: never two live batches. */
  private async reschedule(work: Work, batch: Batch, campaign: Campaign): Promise<void> {
    this.emit(work, 'canceling', batch);
    let cancelled: Batch;
    try {
      cancelled = await this.api.cancelBatch(batch.id);
    } catch (error) {
      this.observe(work, batch);
      this.finish(work, 'not-created', `could not cancel batch ${batch.id} to reschedule it, so nothing was created (it keeps its old time): ${errorText(error)}`);
      return;
    }
    if (!isBeingCancelled(cancelled)) {
      this.observe(work, cancelled);
      this.finish(work, 'not-created', `batch ${batch.id} is ${cancelled.status} after its cancel, so nothing was created`);
      return;
    }
    work.replacedBatchIds = new Set([batch.id]);
    return this.create(work, campaign);
  }

  private async cancel(work: Work, batch: Batch): Promise<void> {
    this.emit(work, 'canceling', batch);
    const cancelled = await this.tryCancel(batch);
    if (cancelled.ok) {
      this.track(work, cancelled.batch);
      return;
    }
    // Not cancelled: the batch goes out, and the run says so and fails (endedWell).
    this.observe(work, cancelled.batch);
    this.finish(work, outcomeOf(cancelled.batch), `cancel failed: batch ${batch.id} ${cancelled.why}; it will be sent`);
  }

  /**
   * A big campaign's numbers go up first as a receivers list (nothing is sent by that); its batch is then
   * created from the slot like any other, name checked. A list no batch came to use is deleted at once.
   */
  private async create(work: Work, campaign: Campaign): Promise<void> {
    if (this.listThreshold <= 0 || campaign.recipients.length < this.listThreshold) return this.createBatch(work, campaign);
    this.emit(work, 'uploading', null, `${campaign.recipients.length} recipients: uploading them as an OVH receivers list`);
    try {
      work.slotId = await this.lists.prepare(campaign, () => this.freshListing(this.listingsStarted));
    } catch (error) {
      this.finish(work, 'not-created', `could not upload the receivers list, so nothing was sent: ${errorText(error)}`);
      return;
    }
    await this.createBatch(work, campaign);
  }

  private async createBatch(work: Work, campaign: Campaign): Promise<void> {
    // After a refused attempt, only a listing started after its refusal is fresh enough.
    let listedAfter = 0;
    for (let attempt = 1; attempt <= CREATE_ATTEMPTS; attempt += 1) {
      let listing: Batch[];
      try {
        listing = await this.freshListing(listedAfter);
      } catch (error) {
        this.finish(work, 'not-created', `could not check the account for this name before creating, so nothing was sent: ${errorText(error)}`);
        return;
      }
      const existing = listing.filter((batch) => batch.name === campaign.name && !work.replacedBatchIds.has(batch.id));
      if (existing.length > 0) {
        await this.adopt(work, campaign, listing, existing, false);
        return;
      }
      this.emit(work, attempt === 1 ? 'creating' : 'retrying', null);
      // Held a few seconds: a cancellable window in which overlapping runs can find each other's duplicate.
      const deferred = deferredWithHold(campaign.deferred, this.ovhNow(), this.holdMs);
      work.ownHoldEndMs = deferred !== null && deferred !== campaign.deferred ? this.localMs(deferred) : null;
      const sentMs = this.now().getTime();
      try {
        const batch = await this.api.createBatch(batchParams(campaign, deferred, work.slotId));
        const createdMark = this.listingsStarted;
        work.result.created = true;
        work.ownBatchId = batch.id;
        this.emit(work, 'created', batch, work.ownHoldEndMs === null ? null : `held ${formatSeconds(this.holdMs)} so overlapping runs can be detected`);
        const followed = await this.settleAfterCreation(work, campaign, batch, createdMark);
        if (followed !== null) this.track(work, followed);
        return;
      } catch (error) {
        if (error instanceof OvhApiError && error.outcomeUnknown) {
          await this.lookUpUnknownOutcome(work, campaign, errorText(error), deferred, sentMs);
          return;
        }
        // A 429 is OVH's word that nothing was created: safe to try again after a pause.
        if (!(error instanceof OvhApiError && error.status === 429)) {
          this.finish(work, 'not-created', `creation refused: ${errorText(error)}`);
          return;
        }
        this.emit(work, 'retrying', null, errorText(error));
        await this.sleep(this.poll.initial * 2 ** (attempt - 1));
        listedAfter = this.listingsStarted;
      }
    }
    this.finish(work, 'not-created', `OVH refused ${CREATE_ATTEMPTS} attempts as too many requests; nothing was sent`);
  }

  /**
   * A creation whose answer was lost may have landed, now or a little later: it is looked up, never sent again, until
   * a batch with the name shows up or the window ends (the hold it was sent with has passed, and `outcomeLookupMs`).
   * Then the run stops with "outcome unknown" rather than guess; the next run's plan shows what happened.
   */
  private async lookUpUnknownOutcome(work: Work, campaign: Campaign, why: string, deferred: string | null, sentMs: number): Promise<void> {
    this.emit(work, 'retrying', null, `${why}; looking the batch up instead of creating it again`);
    // A batch landing after its hold would send at once; one landing later than a real schedule is still cancellable.
    const holdEnd = work.ownHoldEndMs === null ? 0 : work.ownHoldEndMs + CANCEL_MARGIN_MS;
    const until = Math.min(this.deadlineMs, Math.max(sentMs + this.outcomeLookupMs, holdEnd));
    let interval = this.poll.initial;
    let lastProblem: string | null = null;
    // Ours is the batch with this content sent for the time we asked; until it shows, another run's batch under the
    // name does not settle anything: ours may still land (then it must be settled too), so the look-up goes on.
    const isOurs = (batch: Batch) =>
      contentMatch(campaign, batch) === 'same' && (deferred === null || (batch.sentAt !== null && Date.parse(batch.sentAt) === Date.parse(deferred)));
    let seen: { listing: Batch[]; existing: Batch[] } | null = null;
    for (;;) {
      const startedAfter = this.listingsStarted;
      const now = this.now().getTime();
      try {
        const listing = await this.freshListing(startedAfter);
        const existing = listing.filter((batch) => batch.name === campaign.name && !work.replacedBatchIds.has(batch.id));
        const ours = existing.find((batch) => !isBeingCancelled(batch) && isOurs(batch));
        if (ours !== undefined || (existing.length > 0 && now >= until)) {
          await this.adopt(work, campaign, listing, existing, true, ours?.id ?? null);
          return;
        }
        if (existing.length > 0) seen = { listing, existing };
        lastProblem = null;
      } catch (error) {
        lastProblem = errorText(error);
      }
      if (now >= until) break;
      await this.sleep(Math.max(1, Math.min(interval, until - this.now().getTime())));
      interval = Math.min(interval * 2, this.poll.max);
    }
    if (seen !== null) {
      await this.adopt(work, campaign, seen.listing, seen.existing, true, null);
      return;
    }
    work.result.created = false;
    this.finish(work, 'unknown', `outcome unknown: the creation failed (${why}) and no batch with this name showed up${lastProblem ? ` (last look-up failed: ${lastProblem})` : ''}; it may still appear: run plan or apply again, which will not create it twice`);
  }

  /**
   * A batch with the campaign's name appeared since the plan (another run, or a creation whose answer was lost).
   * One whose receivers OVH does not list yet is looked at again until its content is known.
   */
  private async adopt(work: Work, campaign: Campaign, listing: Batch[], existing: Batch[], afterUnknownOutcome: boolean, lostOwnId: string | null = null): Promise<void> {
    const lookUntil = this.now().getTime() + this.outcomeLookupMs;
    for (let interval = this.poll.initial; ; interval = Math.min(interval * 2, this.poll.max)) {
      const pending = existing.filter((batch) => !isBeingCancelled(batch) && contentMatch(campaign, batch) === 'unknown');
      if (pending.length === 0) break;
      if (this.now().getTime() >= lookUntil) {
        work.result.action = 'conflict';
        this.finish(work, afterUnknownOutcome ? 'unknown' : 'skipped', `batch ${pending.map((batch) => batch.id).join(', ')} appeared with this name and OVH did not list its receivers in time, so this run cannot tell whether it is this campaign: nothing sent${afterUnknownOutcome ? ' by this run unless its lost creation is that batch' : ''}; run apply again`);
        return;
      }
      await this.sleep(interval);
      try {
        listing = await this.freshListing(this.listingsStarted);
        existing = listing.filter((batch) => batch.name === campaign.name && !work.replacedBatchIds.has(batch.id));
      } catch {
        // Looked at again on the next turn.
      }
    }
    const live = existing.filter((batch) => !isBeingCancelled(batch));
    const [only] = live;
    const others = live.filter((batch) => contentMatch(campaign, batch) === 'other');
    if (others.length > 0) {
      // After a lost answer, a batch with this content may be ours: in a conflict it must not go out either.
      const mine = afterUnknownOutcome ? live.filter((batch) => contentMatch(campaign, batch) === 'same') : [];
      if (mine.length > 0 || afterUnknownOutcome) {
        await this.endInConflict(work, mine, others, afterUnknownOutcome);
        return;
      }
      work.result.action = 'conflict';
      if (live.length === 1 && only) this.observe(work, only);
      this.finish(work, 'skipped', live.length > 1
        ? `${live.length} batches appeared with this name: nothing sent`
        : 'a different batch with this name appeared since the plan: nothing sent');
      return;
    }
    const settlement = settleDuplicates(campaign, live, this.ovhNow());
    if (settlement === null) {
      // Only cancelled batches: the most recent one tells the story, as in the plan.
      const latest = [...existing].sort(byCreation).at(-1)!;
      this.emit(work, 'adopted', latest, 'already on the account');
      this.track(work, latest);
      return;
    }
    const ours = afterUnknownOutcome ? live.find((batch) => batch.id === lostOwnId) : undefined;
    work.result.created = ours !== undefined;
    work.ownBatchId = ours?.id ?? null;
    if (ours === undefined) work.ownHoldEndMs = null;
    this.emit(work, 'adopted', settlement.winner, ours !== undefined ? 'created; its answer was lost' : 'already on the account');
    // A creation whose answer was lost is settled like any other: an overlapping run may have created one too.
    const followed = ours !== undefined
      ? await this.settleAfterCreation(work, campaign, ours, this.listingsStarted)
      : await this.resolveDuplicates(work, campaign, settlement.winner, listing);
    if (followed !== null) this.track(work, followed);
  }

  /**
   * The guard's check after a creation, on a listing started after it was answered: retried until it succeeds and
   * every batch under the name is known, while the batch can still be cancelled. A check that cannot be made in
   * time cancels the batch: a run that cannot see an overlapping one must not send. Null: the campaign has ended.
   */
  private async settleAfterCreation(work: Work, campaign: Campaign, batch: Batch, createdMark: number): Promise<Batch | null> {
    const sendAtMs = work.ownHoldEndMs ?? (batch.sentAt !== null && !hasStarted(batch) ? this.localMs(batch.sentAt) : null);
    // Guard off and sent at once: a duplicate could not be cancelled anyway; the poll rounds still report one.
    if (this.holdMs === 0 && (sendAtMs === null || sendAtMs <= this.now().getTime())) return batch;
    if (sendAtMs === null || sendAtMs <= this.now().getTime()) {
      // Ours sends already (its lost answer came back after the hold), but an overlapping run's duplicate may still
      // be held: one look now; a failed one is left to the poll rounds.
      const listing = await this.freshListing(createdMark).catch(() => null);
      return listing === null ? batch : this.resolveDuplicates(work, campaign, batch, listing);
    }
    const checkUntil = Math.min(sendAtMs - Math.min(CANCEL_MARGIN_MS, this.holdMs / 4), this.now().getTime() + this.outcomeLookupMs);
    let mark = createdMark;
    let problem = 'no listing answered';
    for (let interval = this.poll.initial / 2; ; interval = Math.min(interval * 2, this.poll.max)) {
      try {
        const listing = await this.freshListing(mark);
        const seen = listing.some((listed) => listed.id === batch.id) ? listing : [...listing, batch];
        const overlap = classifyOverlap(campaign, seen, batch.id, this.ovhNow());
        if (overlap.kind !== 'unsure') return await this.resolveDuplicates(work, campaign, batch, listing);
        problem = `OVH did not list the receivers of batch ${overlap.pending.map((pending) => pending.id).join(', ')} in time`;
      } catch (error) {
        problem = `listing the batches failed: ${errorText(error)}`;
      }
      mark = this.listingsStarted;
      const left = checkUntil - this.now().getTime();
      if (left <= 0) break;
      await this.sleep(Math.min(interval, left));
    }
    const cancelled = await this.tryCancel(batch);
    this.observe(work, cancelled.batch);
    if (cancelled.ok) {
      this.finish(work, 'canceled', `could not check for an overlapping run before the hold ended (${problem}): cancelled batch ${batch.id} so that nothing is sent twice; run apply again`);
      return null;
    }
    work.sentTwice.set(batch.id, `could not check for an overlapping run before the hold ended (${problem}) and batch ${batch.id} ${cancelled.why}: an overlapping run's batch may go out too`);
    return batch;
  }

  /**
   * Other live batches with this campaign's name: with the same content, every run keeps the same winner and
   * cancels every other one, its own or not (a run killed before its check leaves a duplicate someone else must
   * cancel); with another content (another version of the campaign), each run cancels its own. Returns the batch
   * to follow from now on; null when the campaign has ended (a conflict).
   */
  private async resolveDuplicates(work: Work, campaign: Campaign, tracked: Batch, listing: Batch[]): Promise<Batch | null> {
    const others = listing.filter((batch) => !work.replacedBatchIds.has(batch.id));
    const seen = others.some((batch) => batch.id === tracked.id) ? others : [...others, tracked];
    const overlap = classifyOverlap(campaign, seen, work.ownBatchId, this.ovhNow());
    // Unsure: the next look decides (the poll rounds, or the check after a creation).
    if (overlap.kind === 'unsure') return tracked;
    if (overlap.kind === 'conflict') {
      await this.endInConflict(work, seen.filter((batch) => batch.id === work.ownBatchId && !isBeingCancelled(batch)), overlap.others, false);
      return null;
    }
    const { settlement } = overlap;
    if (settlement === null) return tracked;
    const { winner, losers } = settlement;
    if (winner.id === tracked.id && losers.length === 0) return tracked;
    for (const loser of losers) {
      // Each round sees the same duplicates again: one already given up on is not tried or reported twice.
      if (!work.sentTwice.has(loser.id)) await this.cancelDuplicate(work, loser);
    }
    if (winner.id !== tracked.id) {
      const current = seen.find((batch) => batch.id === tracked.id) ?? tracked;
      // Not a loser of this settlement: an overlapping run already cancelled it.
      if (isBeingCancelled(current)) work.cancelledDuplicates.add(tracked.id);
      work.result.created = winner.id === work.ownBatchId;
    }
    return winner;
  }

  /** Another version of the campaign is live: this run cancels its own batches while it can, and fails. */
  private async endInConflict(work: Work, own: Batch[], others: Batch[], afterUnknownOutcome: boolean): Promise<void> {
    work.result.action = 'conflict';
    this.running.delete(work.result.batchId ?? '');
    const otherIds = others.map((batch) => batch.id).join(', ');
    const notes: string[] = [];
    let outcome: CampaignOutcome = afterUnknownOutcome ? 'unknown' : 'skipped';
    for (const batch of own) {
      const cancelled = await this.tryCancel(batch);
      this.observe(work, cancelled.batch);
      if (cancelled.ok) {
        outcome = outcome === 'skipped' || outcome === 'unknown' ? 'canceled' : outcome;
        notes.push(`cancelled this run's batch ${batch.id}`);
      } else {
        outcome = outcomeOf(cancelled.batch);
        notes.push(`this run's batch ${batch.id} ${cancelled.why}: both versions may be sent`);
      }
    }
    if (own.length === 0) notes.push(afterUnknownOutcome ? 'this run’s creation had an unknown outcome and may still appear' : 'nothing sent by this run');
    this.finish(work, outcome, `another version of this campaign (batch ${otherIds}) appeared on the account during the hold: ${notes.join('; ')}; settle which version is wanted and run apply again`);
  }

  /**
   * Cancels a batch, retried a few times; a cancel refused because the batch is already being cancelled (by another
   * run) is fine: the batch is read again to tell. Gives the batch as last seen.
   */
  private async tryCancel(batch: Batch): Promise<{ ok: true; batch: Batch } | { ok: false; batch: Batch; why: string }> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return { ok: true, batch: await this.api.cancelBatch(batch.id) };
      } catch (error) {
        const current = await this.api.getBatch(batch.id).catch(() => null);
        if (current !== null && isBeingCancelled(current)) return { ok: true, batch: current };
        if (current !== null && hasStarted(current)) return { ok: false, batch: current, why: `had already started sending (${current.status})` };
        if (attempt >= CANCEL_ATTEMPTS || (current !== null && !isCancellable(current, this.ovhNow()))) {
          return { ok: false, batch: current ?? batch, why: `could not be cancelled (${errorText(error)})` };
        }
        await this.sleep(this.poll.initial * 2 ** (attempt - 1));
      }
    }
  }

  private async cancelDuplicate(work: Work, loser: Batch): Promise<void> {
    if (hasStarted(loser)) {
      work.sentTwice.set(loser.id, `duplicate batch ${loser.id} from an overlapping run had already started sending (${loser.status}): this campaign may have been sent twice`);
      return;
    }
    this.emit(work, 'canceling', null, `cancelling duplicate batch ${loser.id} from an overlapping run`);
    const cancelled = await this.tryCancel(loser);
    if (cancelled.ok) work.cancelledDuplicates.add(loser.id);
    else work.sentTwice.set(loser.id, `duplicate batch ${loser.id} from an overlapping run ${cancelled.why}: this campaign may have been sent twice`);
  }

  /**
   * The plan found several live batches under the name. When they all carry this campaign's content and one
   * can still be cancelled, they are duplicates of overlapping runs: settle them as the runs themselves would.
   */
  private async resolvePlannedDuplicates(work: Work, campaign: Campaign): Promise<boolean> {
    let listing: Batch[];
    try {
      listing = await this.freshListing();
    } catch {
      return false;
    }
    const live = listing.filter((batch) => batch.name === campaign.name && !isBeingCancelled(batch));
    if (live.length === 0) return false;
    const others = live.filter((batch) => contentMatch(campaign, batch) === 'other');
    if (others.length > 0) {
      // Another version beside held batches of this one: a run of these files was killed before its check; this run
      // does what it would have done, cancelling this version's held batches so that at most the other one is sent.
      const mine = live.filter((batch) => contentMatch(campaign, batch) === 'same' && isHeldByGuard(batch, work.deferred, this.ovhNow(), this.holdMs));
      if (mine.length === 0) return false;
      await this.endInConflict(work, mine, others, false);
      return true;
    }
    if (live.some((batch) => compareWithBatch(campaign, batch).length > 0)) return false;
    const settlement = settleDuplicates(campaign, live, this.ovhNow())!;
    if (settlement.losers.length > 0 && settlement.losers.every(hasStarted)) return false;
    work.result.action = FINISHED.has(settlement.winner.status) ? 'none' : 'wait';
    const followed = await this.resolveDuplicates(work, campaign, settlement.winner, listing);
    if (followed !== null) this.track(work, followed);
    return true;
  }

  /** Follows a batch until it ends; finished and scheduled batches need no polling. */
  private track(work: Work, batch: Batch): void {
    this.observe(work, batch);
    // A slot batch from an earlier run (or adopted): its list is ours to delete once it is done.
    if (batch.slotID !== null && batch.slotID !== undefined && /^\d+$/.test(batch.slotID)) work.slotId = Number(batch.slotID);
    work.heldUntilMs = this.heldUntil(work, batch) ?? work.heldUntilMs;
    if (FINISHED.has(batch.status)) {
      this.finishing.push(this.collect(work, batch));
    } else if (this.isScheduled(work, batch)) {
      this.finish(work, 'scheduled', `scheduled for ${batch.sentAt ?? work.deferred}`);
    } else if (!this.options.wait && !this.isHeldNow(work)) {
      this.finish(work, 'running', null);
    } else {
      this.running.set(batch.id, work);
      work.trackedMs = this.now().getTime();
      this.emit(work, 'running', batch);
    }
  }

  private isHeldNow(work: Work): boolean {
    return work.heldUntilMs !== null && work.heldUntilMs > this.now().getTime();
  }

  /** Scheduled means the campaign's own time (or OVH's commercial hours), never the guard's short hold. */
  private isScheduled(work: Work, batch: Batch): boolean {
    const now = this.ovhNow();
    return isScheduledBatch(batch, now, work.deferred) && !isHeldByGuard(batch, work.deferred, now, this.holdMs);
  }

  /** When the guard's hold on a batch ends: known for our own, read from `sentAt` for others; null if not held. */
  private heldUntil(work: Work, batch: Batch): number | null {
    if (hasStarted(batch)) return null;
    if (batch.id === work.ownBatchId && work.ownHoldEndMs !== null) return work.ownHoldEndMs;
    return isHeldByGuard(batch, work.deferred, this.ovhNow(), this.holdMs) ? this.localMs(batch.sentAt!) : null;
  }

  private heldText(work: Work): string | null {
    if (work.heldUntilMs === null || work.heldUntilMs <= this.now().getTime()) return null;
    return `held until ${new Date(work.heldUntilMs + this.offsetMs).toISOString()} so overlapping runs can be detected; OVH sends it then`;
  }

  /**
   * Rounds start `initial` apart after a batch is tracked and grow with the time waited. A held batch is looked
   * at once a third of its hold before the end (a duplicate left by a run that died is still cancellable then),
   * then its rounds start when the hold ends.
   */
  private nextRoundDelay(): number {
    const now = this.now().getTime();
    let delay = this.poll.max;
    for (const work of this.running.values()) {
      const held = work.heldUntilMs;
      if (held !== null && held > now) {
        // Our own holds end on whole seconds and share one length, so batches created together share their look.
        const span = work.result.batchId === work.ownBatchId && work.ownHoldEndMs !== null ? this.holdMs : held - work.trackedMs;
        const check = held - span / 3;
        delay = Math.min(delay, now < check ? check - now : held - now + this.poll.initial);
      } else {
        const waited = now - Math.max(work.trackedMs, held ?? 0);
        delay = Math.min(delay, clamp(waited * POLL_GROWTH, this.poll.initial, this.poll.max));
      }
    }
    return delay;
  }

  /** One listing per round covers every running batch. */
  private async waitLoop(actionsDone: () => boolean, actions: Promise<void>): Promise<void> {
    for (;;) {
      const remaining = this.deadlineMs - this.now().getTime();
      if (remaining <= 0) return;
      if (this.running.size === 0) {
        if (actionsDone()) return;
        await Promise.race([actions, this.sleep(Math.min(this.poll.initial, remaining))]);
        continue;
      }
      await this.sleep(Math.min(remaining, this.nextRoundDelay()));
      let batches: Batch[];
      try {
        batches = await this.freshListing();
      } catch {
        continue;
      }
      const byId = new Map(batches.map((batch) => [batch.id, batch]));
      for (const [id, work] of [...this.running]) {
        const listed = byId.get(id) ?? null;
        if (listed === null) continue;
        // Every round settles duplicates again: one left by a run that died is cancelled while still held.
        const batch = work.campaign ? await this.resolveDuplicates(work, work.campaign, listed, batches) : listed;
        if (batch === null) {
          this.running.delete(id);
          continue;
        }
        if (batch.id !== id) {
          this.running.delete(id);
          this.track(work, batch);
          continue;
        }
        work.heldUntilMs = this.heldUntil(work, batch) ?? work.heldUntilMs;
        if (FINISHED.has(batch.status) || this.isScheduled(work, batch) || (!this.options.wait && !this.isHeldNow(work))) {
          this.running.delete(id);
          this.track(work, batch);
        } else {
          this.observe(work, batch);
          this.emit(work, 'running', batch);
        }
      }
    }
  }

  /** Statistics, and the CSV export of what was sent, once a batch has ended; the two run side by side. */
  private async collect(work: Work, batch: Batch): Promise<void> {
    this.emit(work, 'exporting', batch);
    const statistics = (async () => {
      work.result.statistics = await this.limit(() => this.api.getStatistics(batch.id));
      if (this.report) await this.report.write(work.label, 'statistics.json', `${JSON.stringify(work.result.statistics, null, 2)}\n`);
    })().then(() => null, (error: unknown) => `statistics unavailable: ${errorText(error)}`);
    const report = this.report;
    const csv = report === null || batch.status === 'CANCELED'
      ? Promise.resolve(null)
      : (async () => {
          const target = await report.place(work.label, 'outgoing.csv');
          await this.exports.fetch(batch.id, target.path);
          await report.settleExport(target.path);
          work.result.exportFile = target.relative;
          return null;
        })().catch((error: unknown) => {
          work.result.exportWarning = `⚠️ CSV export not fetched (no outgoing.csv): ${errorText(error)}`;
          return work.result.exportWarning;
        });
    const problems = (await Promise.all([statistics, csv])).filter((problem) => problem !== null);
    this.finish(work, outcomeOf(batch), problems.length > 0 ? problems.join('; ') : null);
  }

  /**
   * Joins a listing already under way rather than starting another: fewer calls, same freshness. `startedAfter`
   * (a count of listings started, taken earlier) refuses a listing that started before that point.
   */
  private freshListing(startedAfter = 0): Promise<Batch[]> {
    const current = this.listing;
    if (current !== null && current.seq > startedAfter) return current.promise;
    // Too old: wait for it to end and share the next one with everyone else who waited.
    if (current !== null) return current.promise.then(() => this.freshListing(startedAfter), () => this.freshListing(startedAfter));
    this.listingsStarted += 1;
    const seq = this.listingsStarted;
    const promise = this.api.listBatches().finally(() => {
      if (this.listing?.seq === seq) this.listing = null;
    });
    this.listing = { promise, seq };
    return promise;
  }

  private observe(work: Work, batch: Batch): void {
    const result = work.result;
    result.batchId = batch.id;
    result.status = batch.status;
    result.timings.createdAt = batch.createdAt ?? null;
    result.timings.startedAt = batch.startedAt ?? null;
    result.timings.finishedAt = batch.finishedAt ?? null;
    result.receiverErrors = (batch.errors ?? []).map((error) => ({ receiver: maskPhoneNumbersInText(error.receiver), message: maskPhoneNumbersInText(error.message) }));
  }

  private finish(work: Work, outcome: CampaignOutcome, message: string | null): void {
    const notes: string[] = [];
    if (work.cancelledDuplicates.size > 0) {
      notes.push(`another run created the same batch at the same time; kept batch ${work.result.batchId}, cancelled ${[...work.cancelledDuplicates].join(', ')}`);
    }
    notes.push(...work.sentTwice.values());
    if (message !== null) notes.push(message);
    // A duplicate that went out is a failure whatever became of the batch kept.
    work.result.outcome = work.sentTwice.size > 0 && outcome !== 'skipped' ? 'failed' : outcome;
    work.result.message = notes.length === 0 ? null : maskPhoneNumbersInText(notes.join('; '));
    work.result.timings.elapsedMs = this.now().getTime() - work.startedMs;
    this.emit(work, outcome === 'skipped' ? 'skipped' : 'done', null, work.result.message);
    // A batch still running (or scheduled) keeps its list: the next run deletes it once the batch is done.
    if (work.slotId !== null && work.campaign !== null && LIST_RELEASED_ON.has(outcome)) {
      this.releases.push(this.lists.release(work.slotId, work.campaign.name));
    }
  }

  private emit(work: Work, phase: ApplyPhase, batch: Batch | null, message: string | null = null): void {
    if (!this.options.progress) return;
    const result = work.result;
    const event: ApplyProgress = {
      campaign: work.label,
      phase,
      batchId: batch?.id ?? result.batchId,
      status: batch?.status ?? result.status,
      processed: batch ? batch.processedRecords : null,
      total: batch ? batch.totalRecords : null,
      outcome: phase === 'done' || phase === 'skipped' ? result.outcome : null,
      message: message === null ? null : maskPhoneNumbersInText(message),
    };
    try {
      this.options.progress(event);
    } catch {
      // A broken progress printer must not stop a send half-way.
    }
  }
}

/** Failures of earlier runs (action `none`) are reported but do not fail this run: the file stays as history. */
function endedWell(result: CampaignResult): boolean {
  if (result.action === 'invalid' || result.action === 'conflict') return false;
  if (result.outcome === 'timeout' || result.outcome === 'not-created' || result.outcome === 'unknown') return false;
  // A cancel accepted by OVH (the batch is being cancelled) is what was asked; any other end is not.
  if (result.action === 'cancel') return result.outcome === 'canceled' || (result.status !== null && isCancelStatus(result.status));
  if (result.outcome === 'failed') return result.action === 'none';
  if (result.outcome === 'canceled') return result.action === 'none';
  return true;
}

function outcomeOf(batch: Batch): CampaignOutcome {
  return OUTCOME_OF_STATUS[batch.status] ?? 'running';
}

function batchParams(campaign: Campaign, deferred: string | null, slotId: number | null): BatchParams {
  const params: BatchParams = { name: campaign.name, message: campaign.message, noStop: campaign.noStop };
  if (slotId === null) params.to = [...campaign.recipients];
  else params.slotID = String(slotId); // OVH's notebook passes the long slotId as a string
  if (campaign.senderForResponse) params.senderForResponse = true;
  else if (campaign.from !== null) params.from = campaign.from;
  if (deferred !== null) params.deferred = deferred;
  if (campaign.tag !== null) params.tag = campaign.tag;
  return params;
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}

/** Runs at most `size` tasks at once. */
export function pool(size: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: (() => void)[] = [];
  return async (task) => {
    if (active >= size) await new Promise<void>((resolve) => queue.push(resolve));
    else active += 1;
    try {
      return await task();
    } finally {
      // The slot passes straight to the next task, so a newcomer cannot squeeze in between.
      const next = queue.shift();
      if (next) next();
      else active -= 1;
    }
  };
}
