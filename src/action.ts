import { mkdtemp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as core from '@actions/core';
import { ovhSettingsFromEnv, OvhConfigError } from './ovh/index.js';
import { runCommand, type RunOutcome } from './run/index.js';
import { startSandboxAccount } from './sandbox/index.js';
import { escapeMarkdown, renderPlanComment } from './report/index.js';
import type { ReviewEvidence } from './plan/index.js';
import { InputError, ovhEnvironment, readActionInputs, secretInputs, type ActionInputs } from './github/inputs.js';
import { emitAnnotations, selectAnnotations } from './github/annotations.js';
import type { StickyCommentResult } from './github/comment.js';
import type { ArtifactUploadResult } from './github/artifact.js';
import { actionOutputs } from './github/outputs.js';
import { renderJobSummary } from './github/summary.js';
import { logLine } from './github/log.js';

/** The one way text reaches the step's log: external text (OVH errors) must not become workflow commands. */
const log = (text: string): void => core.info(logLine(text));

async function main(): Promise<void> {
  const eventName = process.env['GITHUB_EVENT_NAME'] ?? '';
  const inputs = readActionInputs((name) => core.getInput(name), eventName);
  for (const secret of secretInputs(inputs)) core.setSecret(secret);

  const cwd = process.env['GITHUB_WORKSPACE'] || process.cwd();
  const env = ovhEnvironment(inputs, process.env);
  const ovh = inputs.sandbox ? null : ovhSettingsFromEnv(env);
  const reportDir = await mkdtemp(path.join(process.env['RUNNER_TEMP'] || cwd, 'sms-campaign-report-'));
  log(`sms-campaigns ${inputs.command} (event ${eventName})`);

  const review = inputs.command === 'apply' && eventName === 'push' ? await reviewOfPush(inputs) : null;
  const outcome = await runCommand(inputs.command, {
    cwd,
    patterns: inputs.campaigns,
    env,
    ovh,
    offline: false,
    sandbox: inputs.sandbox ? startSandboxAccount : null,
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

  const comment = await commentOnPullRequest(inputs, outcome, { cwd, env });
  if (comment) notes.push(describeComment(comment));
  const artifactHint = inputs.artifactName ? `the artifact "${inputs.artifactName}"` : `the report folder ${reportDir}`;
  const summaryOf = (): string =>
    outcome.summaryMarkdown !== null ? outcome.summaryMarkdown + notes.map((note) => `\n- ${escapeMarkdown(note)}`).join('') + '\n' : renderJobSummary({
      plan: outcome.plan,
      apply: outcome.apply,
      command: inputs.command,
      message: outcome.message,
      notes,
      artifactHint,
    });
  // summary.md is the job summary, less the upload's own line which is not known yet.
  if (outcome.plan) await writeFile(path.join(reportDir, 'summary.md'), summaryOf());

  // Loaded only now: the artifact client is most of the bundle and would delay the first OVH request.
  const { uploadReportFolder } = await import('./github/artifact.js');
  const artifact = await uploadReportFolder(reportDir, inputs.artifactName, inputs.retentionDays);
  notes.push(describeArtifact(artifact, inputs.artifactName));
  const summary = summaryOf();
  // Outside a runner there is no summary file; the SMS work is done, so that must not fail the step.
  await core.summary
    .addRaw(summary)
    .write()
    .catch((error: unknown) => core.warning(`No job summary: ${error instanceof Error ? error.message : String(error)}`));

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
async function reviewOfPush(inputs: ActionInputs): Promise<ReviewEvidence> {
  if (inputs.githubToken === '') return { kind: 'unknown', reason: 'github-token is empty, so the pull request cannot be looked up' };
  const [{ context, getOctokit }, { findReview }, { reviewLookupApi }] = await Promise.all([
    import('@actions/github'),
    import('./github/review.js'),
    import('./github/octokit.js'),
  ]);
  return findReview(reviewLookupApi(getOctokit(inputs.githubToken), context.repo), context.sha);
}

/** Only on pull requests; null when there is nothing to comment on or commenting is off. */
async function commentOnPullRequest(
  inputs: ActionInputs,
  outcome: RunOutcome,
  where: { cwd: string; env: Record<string, string | undefined> },
): Promise<StickyCommentResult | null> {
  if (!inputs.comment || !outcome.plan) return null;
  const [{ context, getOctokit }, { upsertStickyComment }, { issueCommentsApi }, { changesSinceBase }] = await Promise.all([
    import('@actions/github'),
    import('./github/comment.js'),
    import('./github/octokit.js'),
    import('./github/base-branch.js'),
  ]);
  const issueNumber = context.payload.pull_request?.number;
  if (typeof issueNumber !== 'number') return null;
  if (inputs.githubToken === '') return { status: 'failed', reason: 'github-token is empty' };
  const octokit = getOctokit(inputs.githubToken);
  const api = issueCommentsApi(octokit, { ...context.repo, issueNumber });
  const base = context.payload.pull_request?.['base'] as { sha?: unknown; ref?: unknown } | undefined;
  const changes = typeof base?.sha === 'string'
    ? await changesSinceBase({ ...where, baseSha: base.sha, baseName: typeof base.ref === 'string' ? base.ref : base.sha.slice(0, 7), patterns: inputs.campaigns, plan: outcome.plan })
    : undefined;
  return upsertStickyComment(api, renderPlanComment(outcome.plan, { changes }));
}

function describeComment(result: StickyCommentResult): string {
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

function describeArtifact(result: ArtifactUploadResult, name: string): string {
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

main().catch((error: unknown) => {
  core.setFailed(error instanceof Error ? error.message : String(error));
  const expected = error instanceof InputError || error instanceof OvhConfigError;
  if (!expected && error instanceof Error && error.stack) core.debug(error.stack);
});
