import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import type * as actionsCore from '@actions/core';
import type * as actionsGitHub from '@actions/github';
import { ovhSettingsFromEnv, OvhConfigError } from '../ovh/index.js';
import { runCommand, type EphemeralAccount, type RunOutcome } from '../run/index.js';
import { escapeMarkdown, logLine, renderPlanComment, ReportFolder } from '../report/index.js';
import type { ReviewEvidence } from '../plan/index.js';
import { InputError, ovhEnvironment, readActionInputs, secretInputs, type ActionInputs } from './inputs.js';
import { emitAnnotations, selectAnnotations } from './annotations.js';
import type { StickyCommentResult } from './comment.js';
import type { ArtifactUploadResult } from './artifact.js';
import { actionOutputs } from './outputs.js';
import { renderJobSummary } from './summary.js';
import { errorText } from '../common/index.js';

/** What the action needs from the runner, passed in so that it runs in a test without spawning dist/. */
export interface ActionDeps {
  core: Pick<
    typeof actionsCore,
    'getInput' | 'setSecret' | 'info' | 'notice' | 'warning' | 'error' | 'debug' | 'setFailed' | 'setOutput'
  > & {
    summary: { addRaw(text: string): { write(): Promise<unknown> } };
  };
  /** @actions/github, loaded only when a pull request is looked up or commented on. */
  github: () => Promise<Pick<typeof actionsGitHub, 'context' | 'getOctokit'>>;
  /** The artifact upload, loaded last: its client is most of the bundle. */
  uploadReportFolder: () => Promise<(typeof import('./artifact.js'))['uploadReportFolder']>;
  /** The built-in simulator as an account, for `endpoint: sandbox`. */
  startSandbox: () => Promise<EphemeralAccount>;
  env: Record<string, string | undefined>;
  cwd: string;
}

/** Runs the action once; failures are reported through `core.setFailed`, never thrown. */
export async function runAction(deps: ActionDeps): Promise<void> {
  try {
    await runSteps(deps);
  } catch (error: unknown) {
    deps.core.setFailed(errorText(error));
    const expected = error instanceof InputError || error instanceof OvhConfigError;
    if (!expected && error instanceof Error && error.stack) deps.core.debug(error.stack);
  }
}

async function runSteps(deps: ActionDeps): Promise<void> {
  const { core } = deps;
  /** The one way text reaches the step's log: external text (OVH errors) must not become workflow commands. */
  const log = (text: string): void => core.info(logLine(text));
  const eventName = deps.env['GITHUB_EVENT_NAME'] ?? '';
  const inputs = readActionInputs((name) => core.getInput(name), eventName);
  for (const secret of secretInputs(inputs)) core.setSecret(secret);

  const cwd = deps.env['GITHUB_WORKSPACE'] || deps.cwd;
  const env = ovhEnvironment(inputs, deps.env);
  const ovh = inputs.sandbox ? null : ovhSettingsFromEnv(env);
  const reportDir = await mkdtemp(path.join(deps.env['RUNNER_TEMP'] || cwd, 'sms-campaign-report-'));
  log(`sms-campaigns ${inputs.command} (event ${eventName})`);

  const review = inputs.command === 'apply' && eventName === 'push' ? await reviewOfPush(deps, inputs) : null;
  const outcome = await runCommand(inputs.command, {
    cwd,
    patterns: inputs.campaigns,
    env,
    ovh,
    offline: false,
    sandbox: inputs.sandbox ? deps.startSandbox : null,
    wait: inputs.wait,
    timeoutMinutes: inputs.timeoutMinutes,
    overlapGuardSeconds: inputs.overlapGuardSeconds,
    maskExport: inputs.maskExport,
    receiversListThreshold: inputs.receiversListThreshold,
    rateLimitPerSecond: inputs.rateLimitPerSecond,
    maxCredits: inputs.maxCredits,
    expectDigest: inputs.expectDigest,
    review,
    reportDir,
    // summary.md is the job summary, written once below with this step's notes.
    summaryWriter: 'caller',
    statusSinceDays: inputs.command === 'status' ? inputs.sinceDays : null,
    log,
  });
  for (const secret of outcome.secrets) core.setSecret(secret);

  const notes: string[] = [];
  if (outcome.reviewNote) notes.push(outcome.reviewNote);
  if (outcome.planJson) {
    const selection = selectAnnotations(outcome.planJson);
    emitAnnotations(core, selection);
    const { errors, warnings } = selection.omitted;
    if (errors + warnings > 0) {
      notes.push(`${errors} error(s) and ${warnings} warning(s) beyond GitHub's 10 annotations per kind are listed above only.`);
    }
  }
  if (outcome.plan?.offline && outcome.message) core.notice(outcome.message);

  const comment = await commentOnPullRequest(deps, inputs, outcome, { cwd, env });
  if (comment) notes.push(describeComment(core, comment));
  const artifactHint = inputs.artifactName ? `the artifact "${inputs.artifactName}"` : `the report folder ${reportDir}`;
  const summaryOf = (): string =>
    outcome.summaryMarkdown !== null
      ? outcome.summaryMarkdown + notes.map((note) => `\n- ${escapeMarkdown(note)}`).join('') + '\n'
      : renderJobSummary({
          plan: outcome.plan,
          apply: outcome.apply,
          command: inputs.command,
          message: outcome.message,
          notes,
          artifactHint,
        });
  // summary.md is the job summary, less the upload's own line which is not known yet.
  if (outcome.plan || outcome.summaryMarkdown !== null) await new ReportFolder(reportDir).writeSummary(summaryOf());

  // Loaded only now: the artifact client is most of the bundle and would delay the first OVH request.
  const uploadReportFolder = await deps.uploadReportFolder();
  const artifact = await uploadReportFolder(reportDir, inputs.artifactName, inputs.retentionDays);
  notes.push(describeArtifact(core, artifact, inputs.artifactName));
  const summary = summaryOf();
  // Outside a runner there is no summary file; the SMS work is done, so that must not fail the step.
  await core.summary
    .addRaw(summary)
    .write()
    .catch((error: unknown) => core.warning(`No job summary: ${errorText(error)}`));

  const outputs = actionOutputs({
    plan: outcome.planJson,
    apply: outcome.apply,
    reportDir,
    artifactId: artifact.status === 'uploaded' ? artifact.id : null,
    commentId: comment && 'commentId' in comment ? comment.commentId : null,
  });
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);

  if (outcome.exitCode !== 0) {
    core.setFailed(outcome.message ?? 'Some campaigns are invalid or in conflict: see the annotations and the job summary.');
  }
}

/** On push: the pull request the commit came from and what its plan comment says was reviewed. */
async function reviewOfPush(deps: ActionDeps, inputs: ActionInputs): Promise<ReviewEvidence> {
  if (inputs.githubToken === '') return { kind: 'unknown', reason: 'github-token is empty, so the pull request cannot be looked up' };
  const [{ context, getOctokit }, { findReview }, { reviewLookupApi }] = await Promise.all([
    deps.github(),
    import('./review.js'),
    import('./octokit.js'),
  ]);
  return findReview(reviewLookupApi(getOctokit(inputs.githubToken), context.repo), context.sha);
}

/** Only on pull requests; null when there is nothing to comment on or commenting is off. */
async function commentOnPullRequest(
  deps: ActionDeps,
  inputs: ActionInputs,
  outcome: RunOutcome,
  where: { cwd: string; env: Record<string, string | undefined> },
): Promise<StickyCommentResult | null> {
  if (!inputs.comment || !outcome.plan) return null;
  const [{ context, getOctokit }, { upsertStickyComment }, { issueCommentsApi }, { changesSinceBase }] = await Promise.all([
    deps.github(),
    import('./comment.js'),
    import('./octokit.js'),
    import('./base-branch.js'),
  ]);
  const issueNumber = context.payload.pull_request?.number;
  if (typeof issueNumber !== 'number') return null;
  if (inputs.githubToken === '') return { status: 'failed', reason: 'github-token is empty' };
  const octokit = getOctokit(inputs.githubToken);
  const api = issueCommentsApi(octokit, { ...context.repo, issueNumber });
  const base = context.payload.pull_request?.['base'] as { sha?: unknown; ref?: unknown } | undefined;
  const changes =
    typeof base?.sha === 'string'
      ? await changesSinceBase({
          ...where,
          baseSha: base.sha,
          baseName: typeof base.ref === 'string' ? base.ref : base.sha.slice(0, 7),
          patterns: inputs.campaigns,
          plan: outcome.plan,
        })
      : undefined;
  return upsertStickyComment(api, renderPlanComment(outcome.plan, { changes }));
}

function describeComment(core: ActionDeps['core'], result: StickyCommentResult): string {
  switch (result.status) {
    case 'created':
    case 'updated':
    case 'unchanged':
      return `Plan comment ${result.status} on the pull request (comment ${result.commentId}).`;
    case 'forbidden':
    case 'failed':
      core.warning(`No plan comment: ${result.reason}`);
      return `No plan comment: ${result.reason}.`;
  }
}

function describeArtifact(core: ActionDeps['core'], result: ArtifactUploadResult, name: string): string {
  switch (result.status) {
    case 'uploaded':
      return `Report folder uploaded as artifact "${name}" (${result.files} files, id ${result.id ?? 'unknown'}).`;
    case 'skipped':
      return `No artifact: ${result.reason}.`;
    case 'failed':
      core.warning(`Artifact upload failed: ${result.reason}`);
      return `Artifact upload failed: ${result.reason}.`;
  }
}
