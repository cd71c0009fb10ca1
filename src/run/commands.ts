import { loadCampaigns, DEFAULT_CAMPAIGN_GLOBS, type LoadedCampaign } from '../campaign/index.js';
import { checkReview, makePlan, toPlanJson, planExitCode } from '../plan/index.js';
import type { Plan } from '../plan/types.js';
import { applyPlan, ApplyRefused, createPlainProgress, isSettleableDuplicate } from '../apply/index.js';
import { connectSmsService, type OvhSettings, type SmsApi } from '../ovh/index.js';
import { ReportFolder, type SummaryFile } from '../report/index.js';
import { leaveOutStoplisted, reviewPlan } from '../plan/index.js';
import { DEFAULT_REVIEW_TIMEOUT_MS, readAccountChecks } from '../review/index.js';
import { isTestBatchName } from '../plan/index.js';
import { readStatistics, refreshDelivery, runTests } from './delivery.js';
import { checkCredentials, credentialsExitCode } from './credentials.js';
import { RUN_DEFAULTS } from './defaults.js';
import type { BatchStatus, Command, RunOutcome, RunSettings } from './types.js';

const NEEDS_CREDENTIALS =
  'needs OVH credentials (OVH_APPLICATION_KEY, OVH_APPLICATION_SECRET and OVH_CONSUMER_KEY, or OVH_CLIENT_ID and OVH_CLIENT_SECRET), or --sandbox.';

/** What one command works with: the settings, the account's settings (null: none), the clock and the outcome it fills. */
export interface CommandRun {
  command: Command;
  settings: RunSettings;
  ovh: OvhSettings | null;
  /** False for validate and an offline plan: they never reach an account. */
  wantsAccount: boolean;
  now: () => Date;
  outcome: RunOutcome;
  /** The one writer of the report folder for this run, and whether summary.md is the run's to write. */
  report: ReportFolder;
  summary: SummaryFile;
}

/** The command table: each command's work, given an account already chosen. */
export const COMMANDS: Record<Command, (run: CommandRun) => Promise<RunOutcome>> = {
  validate: planOrApply,
  plan: planOrApply,
  apply: planOrApply,
  status: status,
  test: testSends,
  credentials: credentials,
};

async function credentials({ settings, ovh, outcome }: CommandRun): Promise<RunOutcome> {
  outcome.credentials = await checkCredentials(ovh, settings.env);
  outcome.exitCode = credentialsExitCode(outcome.credentials);
  return outcome;
}

async function status({ settings, ovh, now, outcome, report, summary }: CommandRun): Promise<RunOutcome> {
  if (!ovh) return fail(outcome, 2, `status ${NEEDS_CREDENTIALS}`);
  const api = await connectSmsService(ovh);
  outcome.service = api.serviceName;
  if (settings.statusSinceDays !== undefined && settings.statusSinceDays !== null) {
    const delivery = await refreshDelivery(api, {
      sinceDays: settings.statusSinceDays,
      name: settings.statusName ?? null,
      now: now(),
      report,
      summary,
      log: settings.log,
    });
    outcome.batches = delivery.entries;
    outcome.summaryMarkdown = delivery.markdown;
    return outcome;
  }
  outcome.batches = await readStatus(api, settings.statusName ?? null, settings.log);
  return outcome;
}

function loadAll(settings: RunSettings): Promise<LoadedCampaign[]> {
  const patterns = settings.patterns.length > 0 ? settings.patterns : DEFAULT_CAMPAIGN_GLOBS;
  return loadCampaigns(patterns, { cwd: settings.cwd, env: settings.env });
}

async function testSends({ settings, ovh, outcome, report, summary }: CommandRun): Promise<RunOutcome> {
  const loaded = await loadAll(settings);
  if (!ovh) return fail(outcome, 2, `test ${NEEDS_CREDENTIALS}`);
  const api = await connectSmsService(ovh);
  outcome.service = api.serviceName;
  const tests = await runTests(api, loaded, report, summary);
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

/** validate, plan and apply: load, plan (offline without an account), then for apply send. */
async function planOrApply({ command, settings, ovh, wantsAccount, now, outcome, report, summary }: CommandRun): Promise<RunOutcome> {
  const loaded = await loadAll(settings);
  if (!wantsAccount || !ovh) {
    if (command === 'apply') {
      return fail(outcome, 2, `apply ${NEEDS_CREDENTIALS}`);
    }
    const plan = reviewPlan(makePlan(loaded, null, now()), null);
    setPlan(outcome, plan);
    if (command === 'plan' && !settings.offline) {
      outcome.message = 'Planned offline: no OVH credentials, so every valid campaign shows as create.';
    }
    if (command === 'plan') await report.writeReport(plan, null, summary);
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
    await report.writeReport(plan, null, summary);
    return outcome;
  }

  // An overlapping run's duplicates do not block: settling them only cancels.
  if (plan.campaigns.some((entry) => (entry.action === 'invalid' || entry.action === 'conflict') && !isSettleableDuplicate(entry))) {
    await report.writeReport(plan, null, summary);
    return fail(outcome, 1, 'Nothing was sent: fix the invalid or conflicting campaigns first.');
  }
  if (settings.expectDigest && plan.digest !== settings.expectDigest) {
    await report.writeReport(plan, null, summary);
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
  // Folder names follow the plan's order, not the order campaigns finish in.
  report.reserve(toApply);
  try {
    outcome.apply = await applyPlan(toApply, api, {
      wait: settings.wait,
      timeoutMs: settings.timeoutMinutes * 60_000,
      overlapGuardMs: (settings.overlapGuardSeconds ?? RUN_DEFAULTS.overlapGuardSeconds) * 1000,
      receiversListThreshold: settings.receiversListThreshold,
      maxCredits: settings.maxCredits,
      report,
      progress: settings.progress ?? createPlainProgress(settings.log),
      now,
    });
  } catch (error) {
    if (!(error instanceof ApplyRefused)) throw error;
    await report.writeReport(toApply, null, summary);
    return fail(outcome, 1, `Nothing was sent: ${error.message}`);
  }
  await report.writeReport(toApply, outcome.apply, summary);
  for (const warning of outcome.apply.warnings) settings.log(`warning: ${warning}`);
  if (refused.length > 0) {
    return fail(outcome, 1, `Not sent, not as reviewed: ${refused.join(', ')}. ${outcome.reviewNote ?? ''}`.trim());
  }
  if (!outcome.apply.ok) return fail(outcome, 1, 'Some campaigns did not finish well: see the results.');
  // The plan's exit code counted settled duplicates as conflicts; apply resolved them.
  outcome.exitCode = 0;
  return outcome;
}

function setPlan(outcome: RunOutcome, plan: Plan): void {
  outcome.plan = plan;
  outcome.planJson = toPlanJson(plan);
  outcome.exitCode = planExitCode(plan);
}

export function fail(outcome: RunOutcome, exitCode: 1 | 2, message: string): RunOutcome {
  outcome.exitCode = exitCode;
  outcome.message = message;
  return outcome;
}

export async function readStatus(api: SmsApi, name: string | null, log: (line: string) => void): Promise<BatchStatus[]> {
  const batches = (await api.listBatches())
    .filter((batch) => name === null || batch.name === name)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return readStatistics(api, batches, log);
}
