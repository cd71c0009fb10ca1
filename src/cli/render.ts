import type { Problem } from '../campaign/types.js';
import type { CampaignPlan, Plan } from '../plan/types.js';
import type { ApplyResult } from '../apply/types.js';
import type { BatchStatus } from '../run/index.js';
import type { TestOutcome } from '../apply/index.js';
import { funnelLines } from '../report/index.js';

// Terraform-style markers, so a plan reads at a glance.
const MARKERS: Record<CampaignPlan['action'], string> = {
  create: '+',
  none: '=',
  wait: '~',
  cancel: '-',
  reschedule: '-/+',
  conflict: '!',
  invalid: 'x',
};

export function formatProblem(problem: Problem, severity: 'error' | 'warning'): string {
  const where = [problem.file, problem.line, problem.line === null ? null : problem.column].filter((part) => part !== null).join(':');
  const field = problem.field ? `${problem.field}: ` : '';
  return `${where}: ${severity}: ${field}${problem.message}`;
}

function entryName(entry: CampaignPlan): string {
  return entry.campaign?.name ?? (entry.action === 'invalid' ? entry.invalid.name : null) ?? '(no name)';
}

function entryFile(entry: CampaignPlan): string {
  return entry.campaign?.file ?? (entry.action === 'invalid' ? entry.invalid.file : '');
}

function entryWarnings(entry: CampaignPlan): Problem[] {
  return entry.action === 'invalid' ? entry.invalid.warnings : entry.campaign.warnings;
}

function describeCampaign(entry: CampaignPlan): string | null {
  const campaign = entry.campaign;
  if (!campaign) return null;
  const { analysis } = campaign;
  const parts = [
    `${campaign.recipients.length} recipient${campaign.recipients.length === 1 ? '' : 's'}` +
      (campaign.duplicatesRemoved > 0
        ? ` (${campaign.duplicatesRemoved} duplicate${campaign.duplicatesRemoved === 1 ? '' : 's'} removed)`
        : ''),
    analysis.encoding,
    `${analysis.parts} part${analysis.parts === 1 ? '' : 's'} (${analysis.characters} characters)`,
    `${analysis.parts * campaign.recipients.length} credits`,
  ];
  if (campaign.deferred) parts.push(`deferred to ${campaign.deferred}`);
  return parts.join(' · ');
}

function remoteNote(entry: CampaignPlan): string | null {
  switch (entry.action) {
    case 'none':
      return entry.batch ? `batch ${entry.batch.id} ${entry.batch.status}` : null;
    case 'wait':
    case 'cancel':
      return `batch ${entry.batch.id} ${entry.batch.status}`;
    case 'reschedule':
      return `batch ${entry.batch.id} scheduled for ${entry.batch.sentAt}: cancelled, then created again`;
    case 'conflict':
      return `${entry.batches.length} batch${entry.batches.length === 1 ? '' : 'es'} named so on the account`;
    default:
      return null;
  }
}

/** What will be sent (or clashes with what was sent), so the plan reads as who gets what. */
function messageLines(entry: CampaignPlan): string[] {
  if ((entry.action !== 'create' && entry.action !== 'reschedule' && entry.action !== 'conflict') || !entry.campaign) return [];
  const { campaign } = entry;
  const sender = campaign.senderForResponse ? 'a short number chosen by OVH' : campaign.from;
  const stop = campaign.noStop ? '' : " (+ OVH's STOP clause)";
  return [`      from ${sender}${stop}:`, ...campaign.message.split('\n').map((line) => `      │ ${line}`)];
}

/** For a campaign that sends: its credits by destination, and the STOP-listed numbers left out. */
function costLines(plan: Plan, entry: CampaignPlan): string[] {
  if ((entry.action !== 'create' && entry.action !== 'reschedule') || !entry.campaign) return [];
  const review = plan.review?.campaigns.get(entry.campaign.file);
  if (!review) return [];
  const parts = entry.campaign.analysis.parts;
  const rows = review.byCountry.map(
    (row) =>
      `${row.country ?? 'unknown'} ${row.recipients} × ${parts} × ${row.creditsPerPart}${row.rate === 'ovh' ? '' : ' (assumed)'} = ${row.estimatedCredits}`,
  );
  const stop = review.stoplisted ? `; ${review.stoplisted} on the STOP list left out` : '';
  return [`      credits: ${rows.join(', ')}${stop}`];
}

export function renderValidateText(plan: Plan): string {
  const lines: string[] = [];
  for (const entry of plan.campaigns) {
    for (const problem of entry.errors) lines.push(formatProblem(problem, 'error'));
    for (const problem of entryWarnings(entry)) lines.push(formatProblem(problem, 'warning'));
  }
  const invalid = plan.campaigns.filter((entry) => entry.action === 'invalid').length;
  const valid = plan.campaigns.length - invalid;
  lines.push(`${valid} campaign${valid === 1 ? '' : 's'} valid, ${invalid} invalid.`);
  return lines.join('\n');
}

export function renderPlanText(plan: Plan): string {
  const lines: string[] = [];
  lines.push(plan.offline ? 'Plan (offline: not compared with any OVH account)' : `Plan against OVH SMS service ${plan.service}`);
  lines.push('');
  for (const entry of plan.campaigns) {
    lines.push(`  ${MARKERS[entry.action]} ${entry.action.padEnd(8)} ${entryName(entry)}  (${entryFile(entry)})`);
    const details = [describeCampaign(entry), remoteNote(entry)].filter((line): line is string => line !== null);
    for (const detail of details) lines.push(`      ${detail}`);
    lines.push(...messageLines(entry));
    lines.push(...costLines(plan, entry));
    for (const problem of entry.errors) lines.push(`      ${formatProblem(problem, 'error')}`);
    for (const problem of entryWarnings(entry)) lines.push(`      ${formatProblem(problem, 'warning')}`);
  }
  if (plan.unmanaged.length > 0) {
    lines.push('', 'Batches on the account that no campaign file names (left alone):');
    for (const batch of plan.unmanaged) lines.push(`    ${batch.name}  ${batch.id}  ${batch.status}`);
  }
  lines.push(
    '',
    `Plan: ${plan.totals.create} to create, ${plan.totals.recipients} recipients, ${plan.totals.estimatedCredits} estimated credits.`,
    `Digest: ${plan.digest}`,
  );
  return lines.join('\n');
}

export function renderApplyText(result: ApplyResult): string {
  const lines = [`Results on OVH SMS service ${result.service}:`];
  for (const campaign of result.campaigns) {
    const stats = campaign.statistics;
    const counts = stats
      ? ` sent ${stats.sent}, delivered ${stats.delivered}, failed ${stats.failed}, pending ${stats.pending}, stoplisted ${stats.stoplisted}, credits ${stats.credits}/${stats.estimatedCredits}`
      : '';
    const batch = campaign.batchId ? ` batch ${campaign.batchId}` : '';
    lines.push(`  ${campaign.outcome.padEnd(11)} ${campaign.name ?? campaign.file}${batch}${counts}`);
    if (campaign.receiverErrors.length > 0) {
      lines.push(`      ${campaign.receiverErrors.length} receiver error(s): see results.json in the report folder`);
    }
    if (campaign.message) lines.push(`      ${campaign.message}`);
  }
  const running = result.campaigns.filter((campaign) => campaign.outcome === 'running').length;
  // --no-wait leaves batches running: "All done" would claim more than this run knows.
  const verdict = !result.ok
    ? 'Not everything finished well.'
    : running > 0
      ? `Not waited for: ${running} still running (\`sms-campaigns status\` shows how they end).`
      : 'All done.';
  lines.push(`${result.created} batch${result.created === 1 ? '' : 'es'} created. ${verdict}`);
  return lines.join('\n');
}

export function renderStatusText(service: string | null, batches: BatchStatus[], name: string | null = null): string {
  const heading = `Batches on OVH SMS service ${service ?? '(unknown)'}${name === null ? '' : ` named ${name}`}:`;
  if (batches.length === 0) return `${heading} none.`;
  return (
    `${heading}\n` +
    batches
      .map(({ batch, statistics }) => {
        const stats = statistics
          ? ` sent ${statistics.sent}, delivered ${statistics.delivered}, failed ${statistics.failed}, pending ${statistics.pending}, stoplisted ${statistics.stoplisted}, credits ${statistics.credits}`
          : '';
        return `  ${batch.status.padEnd(10)} ${batch.name}  ${batch.id}  created ${batch.createdAt}${stats}`;
      })
      .join('\n')
  );
}

/** `status --since`: one funnel per campaign, as the job summary shows it. */
export function renderFunnelText(service: string | null, batches: BatchStatus[]): string {
  const heading = `Delivery on OVH SMS service ${service ?? '(unknown)'}:`;
  if (batches.length === 0) return `${heading} no campaign sent in that period.`;
  return [
    heading,
    ...batches.flatMap((entry) => [
      '',
      `${entry.batch.name}  ${entry.batch.id}  ${entry.batch.status}  sent ${entry.batch.sentAt ?? entry.batch.createdAt}`,
      ...funnelLines(entry).map((line) => `  ${line}`),
    ]),
  ].join('\n');
}

export function renderTestText(tests: TestOutcome[]): string {
  if (tests.length === 0) return 'No valid campaign to test.';
  return tests
    .map((test) => {
      switch (test.kind) {
        case 'sent':
          return `  sent         ${test.campaign}: ${test.recipients} test number(s), batch "${test.batchName}" ${test.batchId}`;
        case 'already-tested':
          return `  unchanged    ${test.campaign}: already tested as batch "${test.batchName}" ${test.batchId} (${test.status}); nothing sent`;
        case 'no-test-recipients':
          return `  skipped      ${test.campaign}: no testRecipients`;
        case 'failed':
          return `  failed       ${test.campaign}: ${test.message}`;
      }
    })
    .join('\n');
}
