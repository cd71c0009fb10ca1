import path from 'node:path';
import { loadCampaigns, DEFAULT_CAMPAIGN_GLOBS } from '../campaign/index.js';
import { checkReview, makePlan, toPlanJson, planExitCode, type ReviewEvidence } from '../plan/index.js';
import type { Plan, PlanJson } from '../plan/types.js';
import {
  applyPlan,
  pool,
  ApplyRefused,
  createPlainProgress,
  isSettleableDuplicate,
  DEFAULT_OVERLAP_GUARD_MS,
  type ProgressRenderer,
} from '../apply/index.js';
import type { ApplyResult } from '../apply/types.js';
import { connectSmsService, secretValues, type Batch, type BatchStatistics, type OvhSettings, type SmsApi } from '../ovh/index.js';
import { reportFolderProblem, writeReportFiles } from '../report/index.js';
import { leaveOutStoplisted, reviewPlan } from '../plan/index.js';
import { DEFAULT_REVIEW_TIMEOUT_MS, readAccountChecks } from '../review/index.js';
import type { TestOutcome } from '../apply/index.js';
import { isTestBatchName } from '../plan/index.js';
import { refreshDelivery, runTests, STATUS_CONCURRENCY } from './delivery.js';
import { checkCredentials, credentialsExitCode, type CredentialsReport } from './credentials.js';
export { renderCredentialsText, type CredentialsReport } from './credentials.js';

export { STATUS_CONCURRENCY };

export type Command = 'validate' | 'plan' | 'apply' | 'status' | 'test' | 'credentials';

const NEEDS_CREDENTIALS =
  'needs OVH credentials (OVH_APPLICATION_KEY, OVH_APPLICATION_SECRET and OVH_CONSUMER_KEY, or OVH_CLIENT_ID and OVH_CLIENT_SECRET), or --sandbox.';

export interface RunSettings {
  cwd: string;
  /** Paths or globs; empty means the default campaign globs. */
  patterns: string[];
  env: Record<string, string | undefined>;
  /** null: no credentials, so plan runs offline and apply refuses. */
  ovh: OvhSettings | null;
  offline: boolean;
  /** An account started for this run only (the CLI's --sandbox): used instead of `ovh`, stopped when the run ends. */
  sandbox: (() => Promise<EphemeralAccount>) | null;
  wait: boolean;
  timeoutMinutes: number;
  /** Apply holds each new batch this long so an overlapping run can cancel its duplicate; default 15, 0 = off. */
  overlapGuardSeconds?: number;
  /** Apply: each campaign's outgoing.csv with its phone numbers masked; default false (OVH's export as is). */
  maskExport?: boolean;
  /** Apply sends campaigns with at least this many recipients through an OVH receivers list; default 10,000, 0 = never. */
  receiversListThreshold?: number;
  /** Client-side limit on OVH calls per second (default 20; 0 = none). */
  rateLimitPerSecond?: number;
  maxCredits: number | null;
  /** apply: refuse (exit 1, nothing sent) unless the plan's digest is this one, the reviewed plan's. */
  expectDigest?: string | null;
  /** apply on a push: what the pull request's reviewers saw; the campaigns they did not see are refused. */
  review?: ReviewEvidence | null;
  /** Absolute path of the report folder. */
  reportDir: string;
  /** How long the plan's account checks (rates, STOP list, senders, estimate) may take in all; default 20 s. */
  reviewTimeoutMs?: number;
  /** Only for `status`: one batch name. */
  statusName?: string | null;
  /** Only for `status`: refresh the campaigns sent in the last this many days, and write the report folder. */
  statusSinceDays?: number | null;
  log: (line: string) => void;
  /** How apply reports progress; default: a plain line per change, through `log`. */
  progress?: ProgressRenderer;
  now?: () => Date;
}

/** An OVH endpoint that lives as long as one run, such as the built-in simulator. */
export interface EphemeralAccount {
  settings: OvhSettings;
  /** One line for the log, saying what it is. */
  description: string;
  stop(): Promise<void>;
}

export interface BatchStatus {
  batch: Batch;
  statistics: BatchStatistics | null;
}

export interface RunOutcome {
  command: Command;
  plan: Plan | null;
  planJson: PlanJson | null;
  apply: ApplyResult | null;
  /** Only for `status`. */
  batches: BatchStatus[] | null;
  /** Only for `test`. */
  tests: TestOutcome[] | null;
  /** Only for `credentials`. */
  credentials: CredentialsReport | null;
  /** The job summary of commands without a plan (`status --since`, `test`); null otherwise. */
  summaryMarkdown: string | null;
  /** The OVH SMS service used (null: none, e.g. validate or an offline plan). */
  service: string | null;
  exitCode: 0 | 1 | 2;
  reportDir: string;
  /** Why the run failed or was limited, for people (null when all is well). */
  message: string | null;
  /** Values to mask in every log. */
  secrets: string[];
  /** What the review check found (apply with `review` only). */
  reviewNote: string | null;
}

/** Loads, plans and (for apply) sends: the one engine behind the CLI and the action. */
export async function runCommand(command: Command, settings: RunSettings): Promise<RunOutcome> {
  const now = settings.now ?? (() => new Date());
  const outcome: RunOutcome = {
    command,
    plan: null,
    planJson: null,
    apply: null,
    batches: null,
    tests: null,
    credentials: null,
    summaryMarkdown: null,
    service: null,
    exitCode: 0,
    reportDir: settings.reportDir,
    message: null,
    secrets: settings.ovh ? secretValues(settings.ovh) : [],
    reviewNote: null,
  };

  const wantsAccount = command !== 'validate' && !(command === 'plan' && settings.offline);
  // Found after sending, an unwritable report folder would lose the statistics and the export of what was sent.
  const unwritable = command === 'apply' || command === 'plan' ? await reportFolderProblem(settings.reportDir) : null;
  if (unwritable !== null) return fail(outcome, 2, command === 'apply' ? `${unwritable}: nothing was sent` : unwritable);
  let ephemeral: EphemeralAccount | null = null;
  try {
    let ovh = withRateLimit(settings.ovh, settings.rateLimitPerSecond);
    if (wantsAccount && settings.sandbox) {
      ephemeral = await settings.sandbox();
      ovh = withRateLimit(ephemeral.settings, settings.rateLimitPerSecond);
      settings.log(ephemeral.description);
    }
    if (command === 'credentials') {
      outcome.credentials = await checkCredentials(ovh, settings.env);
      outcome.exitCode = credentialsExitCode(outcome.credentials);
      return outcome;
    }
    if (command === 'status') {
      if (!ovh) return fail(outcome, 2, `status ${NEEDS_CREDENTIALS}`);
      const api = await connectSmsService(ovh);
      outcome.service = api.serviceName;
      if (settings.statusSinceDays !== undefined && settings.statusSinceDays !== null) {
        const delivery = await refreshDelivery(api, {
          sinceDays: settings.statusSinceDays,
          name: settings.statusName ?? null,
          now: now(),
          reportDir: settings.reportDir,
        });
        outcome.batches = delivery.entries;
        outcome.summaryMarkdown = delivery.markdown;
        return outcome;
      }
      outcome.batches = await readStatus(api, settings.statusName ?? null);
      return outcome;
    }

    const patterns = settings.patterns.length > 0 ? settings.patterns : DEFAULT_CAMPAIGN_GLOBS;
    const loaded = await loadCampaigns(patterns, { cwd: settings.cwd, env: settings.env });

    if (command === 'test') {
      if (!ovh) return fail(outcome, 2, `test ${NEEDS_CREDENTIALS}`);
      const api = await connectSmsService(ovh);
      outcome.service = api.serviceName;
      const tests = await runTests(api, loaded, settings.reportDir);
      outcome.tests = tests.outcomes;
      outcome.summaryMarkdown = tests.markdown;
      const failed = tests.outcomes.filter((test) => test.kind === 'failed').length;
      if (tests.invalid > 0 || failed > 0) {
        return fail(
          outcome,
          1,
          [
            tests.invalid > 0 ? `${tests.invalid} campaign file(s) are invalid and were not tested (run validate)` : '',
            failed > 0 ? `${failed} test send(s) failed` : '',
          ]
            .filter(Boolean)
            .join('; ') + '.',
        );
      }
      return outcome;
    }

    if (!wantsAccount || !ovh) {
      if (command === 'apply') {
        return fail(outcome, 2, `apply ${NEEDS_CREDENTIALS}`);
      }
      const plan = reviewPlan(makePlan(loaded, null, now()), null);
      setPlan(outcome, plan);
      if (command === 'plan' && !settings.offline) {
        outcome.message = 'Planned offline: no OVH credentials, so every valid campaign shows as create.';
      }
      if (command === 'plan') await writeReportFiles(settings.reportDir, plan, null, settings.maskExport);
      return outcome;
    }

    const api = await connectSmsService(ovh);
    outcome.service = api.serviceName;
    // Test batches are named apart and never stand for their campaign.
    const batches = (await api.listBatches()).filter((batch) => !isTestBatchName(batch.name));
    const checks = await readAccountChecks(
      api,
      loaded.flatMap((entry) => (entry.valid ? [entry.campaign] : [])),
      {
        timeoutMs: settings.reviewTimeoutMs ?? DEFAULT_REVIEW_TIMEOUT_MS,
        batchNames: new Set(batches.map((batch) => batch.name)),
      },
    );
    const audience = leaveOutStoplisted(loaded, batches, checks.blacklist);
    const plan = reviewPlan(makePlan(audience.loaded, { service: api.serviceName, batches }, now()), checks, audience.stoplisted);
    setPlan(outcome, plan);
    if (command === 'plan') {
      await writeReportFiles(settings.reportDir, plan, null, settings.maskExport);
      return outcome;
    }

    // An overlapping run's duplicates do not block: settling them only cancels.
    if (plan.campaigns.some((entry) => (entry.action === 'invalid' || entry.action === 'conflict') && !isSettleableDuplicate(entry))) {
      await writeReportFiles(settings.reportDir, plan, null, settings.maskExport);
      return fail(outcome, 1, 'Nothing was sent: fix the invalid or conflicting campaigns first.');
    }
    if (settings.expectDigest && plan.digest !== settings.expectDigest) {
      await writeReportFiles(settings.reportDir, plan, null, settings.maskExport);
      return fail(
        outcome,
        1,
        `Nothing was sent: the plan's digest ${plan.digest} is not the expected ${settings.expectDigest} (the campaigns or the account changed since that plan).`,
      );
    }
    let refused: string[] = [];
    let toApply = plan;
    if (settings.review) {
      const checked = checkReview(plan, settings.review);
      ({ refused, plan: toApply } = checked);
      outcome.reviewNote = checked.note;
      setPlan(outcome, toApply);
    }
    try {
      outcome.apply = await applyPlan(toApply, api, {
        wait: settings.wait,
        timeoutMs: settings.timeoutMinutes * 60_000,
        overlapGuardMs: (settings.overlapGuardSeconds ?? DEFAULT_OVERLAP_GUARD_MS / 1000) * 1000,
        receiversListThreshold: settings.receiversListThreshold,
        maxCredits: settings.maxCredits,
        reportDir: settings.reportDir,
        exportContent: settings.maskExport ? 'masked' : 'full',
        progress: settings.progress ?? createPlainProgress(settings.log),
        now,
      });
    } catch (error) {
      if (!(error instanceof ApplyRefused)) throw error;
      await writeReportFiles(settings.reportDir, toApply, null, settings.maskExport);
      return fail(outcome, 1, `Nothing was sent: ${error.message}`);
    }
    await writeReportFiles(settings.reportDir, toApply, outcome.apply, settings.maskExport);
    if (refused.length > 0) {
      return fail(outcome, 1, `Not sent, not as reviewed: ${refused.join(', ')}. ${outcome.reviewNote ?? ''}`.trim());
    }
    if (!outcome.apply.ok) return fail(outcome, 1, 'Some campaigns did not finish well: see the results.');
    // The plan's exit code counted settled duplicates as conflicts; apply resolved them.
    outcome.exitCode = 0;
    return outcome;
  } finally {
    await ephemeral?.stop();
  }
}

/** The rate limit of --rate-limit (0: none) on the account's settings; unset keeps the client's default. */
function withRateLimit(ovh: OvhSettings | null, perSecond: number | undefined): OvhSettings | null {
  if (ovh === null || perSecond === undefined) return ovh;
  return { ...ovh, rateLimit: perSecond > 0 ? { perSecond, burst: Math.max(1, Math.ceil(perSecond)) } : null };
}

function setPlan(outcome: RunOutcome, plan: Plan): void {
  outcome.plan = plan;
  outcome.planJson = toPlanJson(plan);
  outcome.exitCode = planExitCode(plan);
}

function fail(outcome: RunOutcome, exitCode: 1 | 2, message: string): RunOutcome {
  outcome.exitCode = exitCode;
  outcome.message = message;
  return outcome;
}

export async function readStatus(api: SmsApi, name: string | null): Promise<BatchStatus[]> {
  const batches = (await api.listBatches())
    .filter((batch) => name === null || batch.name === name)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  // An account holds thousands of batches: a few statistics calls at a time, as apply does.
  const limit = pool(STATUS_CONCURRENCY);
  return Promise.all(
    batches.map(async (batch) => ({
      batch,
      statistics: await limit(() => api.getStatistics(batch.id)).catch(() => null),
    })),
  );
}

/** The report folder, resolved against the working directory. */
export function resolveReportDir(cwd: string, out: string | undefined): string {
  return path.resolve(cwd, out && out.length > 0 ? out : 'sms-campaign-report');
}
