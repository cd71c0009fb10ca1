import type { Campaign } from '../campaign/types.js';
import { OvhApiError, type SmsApi } from '../ovh/api.js';
import type { Batch, BatchParams, BatchStatus } from '../ovh/models.js';
import { compareWithBatch, isScheduledBatch } from '../plan/index.js';
import type { CampaignPlan, Plan } from '../plan/types.js';
import { maskPhoneNumbersInText } from '../recipients/index.js';
import type { ApplyPhase, ApplyProgress } from './progress.js';
import { ReportFolder } from './report-files.js';
import type { ApplyResult, CampaignOutcome, CampaignResult } from './types.js';

export interface ApplyOptions {
  wait: boolean;
  timeoutMs: number;
  maxCredits: number | null;
  /** Batches created (and reports fetched) at the same time; default 4. */
  concurrency?: number;
  /** Where `<campaign>/statistics.json` and `<campaign>/outgoing.csv` go; null: statistics only, no files. */
  reportDir: string | null;
  progress?: (event: ApplyProgress) => void;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** Poll backoff: rounds start `initial` apart and grow with the time already waited, up to `max`. */
  pollIntervalMs?: { initial: number; max: number };
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
const DOCUMENT_POLL_INITIAL_MS = 100;
const DOCUMENT_POLL_MAX_MS = 5_000;
const FINISHED = new Set<BatchStatus>(['COMPLETED', 'FAILED', 'CANCELED']);
const OUTCOME_OF_STATUS: Record<string, CampaignOutcome> = { COMPLETED: 'completed', FAILED: 'failed', CANCELED: 'canceled' };

interface Work {
  readonly entry: CampaignPlan;
  readonly campaign: Campaign | null;
  readonly label: string;
  readonly result: CampaignResult;
  readonly startedMs: number;
  deferred: string | null;
}

/**
 * Carries out a plan: creates, cancels, waits, then fetches statistics and the CSV export of every batch.
 * A campaign is created at most once: its name is looked up just before each creation attempt, and a creation
 * whose outcome is unknown is only retried after the lookup shows no batch.
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
  private listing: Promise<Batch[]> | null = null;
  private lastTrackedMs = 0;

  constructor(
    private readonly plan: Plan,
    private readonly api: SmsApi,
    private readonly options: ApplyOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.poll = options.pollIntervalMs ?? DEFAULT_POLL;
    this.limit = pool(Math.max(1, options.concurrency ?? 4));
    this.report = options.reportDir === null ? null : new ReportFolder(options.reportDir);
    this.startedAt = this.now();
    this.deadlineMs = this.startedAt.getTime() + options.timeoutMs;
  }

  async run(): Promise<ApplyResult> {
    const works = this.plan.campaigns.map((entry) => this.workFor(entry));
    const actions = Promise.all(works.map((work) => this.limit(() => this.act(work))));
    let actionsDone = false;
    const settled = actions.then(() => {
      actionsDone = true;
    });
    if (this.options.wait) await this.waitLoop(() => actionsDone, settled);
    await settled;
    for (const work of this.running.values()) {
      this.finish(work, this.options.wait ? 'timeout' : 'running', this.options.wait ? `still ${work.result.status} when the timeout ran out` : null);
    }
    await Promise.all(this.finishing);
    const campaigns = works.map((work) => work.result);
    return {
      service: this.api.serviceName,
      startedAt: this.startedAt.toISOString(),
      finishedAt: this.now().toISOString(),
      campaigns,
      created: campaigns.filter((result) => result.created).length,
      ok: campaigns.every(endedWell),
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
        message: null,
      },
    };
  }

  private async act(work: Work): Promise<void> {
    const { entry } = work;
    switch (entry.action) {
      case 'invalid':
      case 'conflict':
        this.finish(work, 'skipped', entry.errors[0]?.message ?? `campaign is ${entry.action}: nothing sent`);
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
    }
  }

  private async cancel(work: Work, batch: Batch): Promise<void> {
    this.emit(work, 'canceling', batch);
    try {
      this.track(work, await this.api.cancelBatch(batch.id));
    } catch (error) {
      this.observe(work, batch);
      this.finish(work, outcomeOf(batch), `cancel failed: ${describe(error)}`);
    }
  }

  private async create(work: Work, campaign: Campaign): Promise<void> {
    let unknownOutcome: string | null = null;
    for (let attempt = 1; attempt <= CREATE_ATTEMPTS; attempt += 1) {
      let existing: Batch[];
      try {
        existing = (await this.freshListing()).filter((batch) => batch.name === campaign.name);
      } catch (error) {
        this.finish(work, 'not-created', `could not check the account for this name before creating, so nothing was sent: ${describe(error)}`);
        return;
      }
      if (existing.length > 0) {
        this.adopt(work, campaign, existing, unknownOutcome !== null);
        return;
      }
      this.emit(work, attempt === 1 ? 'creating' : 'retrying', null);
      try {
        const batch = await this.api.createBatch(batchParams(campaign));
        work.result.created = true;
        this.emit(work, 'created', batch);
        this.track(work, batch);
        return;
      } catch (error) {
        const retryable = error instanceof OvhApiError && (error.outcomeUnknown || error.status === 429);
        if (!retryable) {
          this.finish(work, 'not-created', `creation refused: ${describe(error)}`);
          return;
        }
        if (error.outcomeUnknown) unknownOutcome = describe(error);
        this.emit(work, 'retrying', null, describe(error));
        await this.sleep(this.poll.initial * 2 ** (attempt - 1));
      }
    }
    this.finish(work, 'not-created', `gave up after ${CREATE_ATTEMPTS} attempts${unknownOutcome ? ` (last unknown outcome: ${unknownOutcome})` : ''}; the name was checked before each one`);
  }

  /** A batch with the campaign's name appeared since the plan (another run, or a creation whose answer was lost). */
  private adopt(work: Work, campaign: Campaign, existing: Batch[], afterUnknownOutcome: boolean): void {
    const [batch] = existing;
    if (existing.length === 1 && batch && compareWithBatch(campaign, batch).length === 0) {
      work.result.created = afterUnknownOutcome;
      this.emit(work, 'adopted', batch, afterUnknownOutcome ? 'created; its answer was lost' : 'already on the account');
      this.track(work, batch);
      return;
    }
    work.result.action = 'conflict';
    if (existing.length === 1 && batch) this.observe(work, batch);
    this.finish(work, 'skipped', existing.length > 1
      ? `${existing.length} batches appeared with this name: nothing sent`
      : 'a different batch with this name appeared since the plan: nothing sent');
  }

  /** Follows a batch until it ends; finished and scheduled batches need no polling. */
  private track(work: Work, batch: Batch): void {
    this.observe(work, batch);
    if (FINISHED.has(batch.status)) {
      this.finishing.push(this.collect(work, batch));
    } else if (isScheduledBatch(batch, this.now(), work.deferred)) {
      this.finish(work, 'scheduled', `scheduled for ${batch.sentAt ?? work.deferred}`);
    } else if (!this.options.wait) {
      this.finish(work, 'running', null);
    } else {
      this.running.set(batch.id, work);
      this.lastTrackedMs = this.now().getTime();
      this.emit(work, 'running', batch);
    }
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
      const waited = this.now().getTime() - this.lastTrackedMs;
      await this.sleep(Math.min(remaining, clamp(waited * POLL_GROWTH, this.poll.initial, this.poll.max)));
      let batches: Batch[];
      try {
        batches = await this.freshListing();
      } catch {
        continue;
      }
      const byId = new Map(batches.map((batch) => [batch.id, batch]));
      for (const [id, work] of [...this.running]) {
        const batch = byId.get(id) ?? null;
        if (batch === null) continue;
        if (FINISHED.has(batch.status) || isScheduledBatch(batch, this.now(), work.deferred)) {
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
    })().then(() => null, (error: unknown) => `statistics unavailable: ${describe(error)}`);
    const report = this.report;
    const csv = report === null || batch.status === 'CANCELED'
      ? Promise.resolve(null)
      : this.exportOutgoing(batch.id)
          .then(async (content) => {
            work.result.exportFile = await report.write(work.label, 'outgoing.csv', content);
            return null;
          })
          .catch((error: unknown) => `CSV export unavailable: ${describe(error)}`);
    const problems = (await Promise.all([statistics, csv])).filter((problem) => problem !== null);
    this.finish(work, outcomeOf(batch), problems.length > 0 ? problems.join('; ') : null);
  }

  /**
   * OVH builds the document asynchronously: its size stays 0 until it is ready.
   * Only the calls take a pool slot, not the waits between them, so every export polls at once.
   */
  private async exportOutgoing(batchId: string): Promise<Buffer> {
    const documentId = await this.limit(() => this.api.requestOutgoingExport(batchId));
    // OVH fills small exports within a second or two: start polling fast, then back off.
    let interval = Math.min(this.poll.initial, DOCUMENT_POLL_INITIAL_MS);
    for (;;) {
      const document = await this.limit(() => this.api.getDocument(documentId));
      if (document.size > 0) return this.limit(() => this.api.download(document.getUrl));
      if (this.now().getTime() + interval > this.deadlineMs) throw new Error('the export was not ready before the timeout');
      await this.sleep(interval);
      interval = Math.min(interval * 2, DOCUMENT_POLL_MAX_MS);
    }
  }

  /** Joins a listing already under way rather than starting another: fewer calls, same freshness. */
  private freshListing(): Promise<Batch[]> {
    this.listing ??= this.api.listBatches().finally(() => {
      this.listing = null;
    });
    return this.listing;
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
    work.result.outcome = outcome;
    work.result.message = message === null ? null : maskPhoneNumbersInText(message);
    work.result.timings.elapsedMs = this.now().getTime() - work.startedMs;
    this.emit(work, outcome === 'skipped' ? 'skipped' : 'done', null, message);
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
  if (result.outcome === 'timeout' || result.outcome === 'not-created') return false;
  if (result.outcome === 'failed') return result.action === 'none';
  if (result.outcome === 'canceled') return result.action === 'cancel' || result.action === 'none';
  return true;
}

function outcomeOf(batch: Batch): CampaignOutcome {
  return OUTCOME_OF_STATUS[batch.status] ?? 'running';
}

function batchParams(campaign: Campaign): BatchParams {
  const params: BatchParams = { name: campaign.name, message: campaign.message, to: [...campaign.recipients], noStop: campaign.noStop };
  if (campaign.senderForResponse) params.senderForResponse = true;
  else if (campaign.from !== null) params.from = campaign.from;
  if (campaign.deferred !== null) params.deferred = campaign.deferred;
  if (campaign.tag !== null) params.tag = campaign.tag;
  return params;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}

/** Runs at most `size` tasks at once. */
function pool(size: number): <T>(task: () => Promise<T>) => Promise<T> {
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
