import type { Problem } from '../campaign/types.js';
import { planView, type CampaignView, type Plan, type PlanAction } from '../plan/index.js';
import type { ApplyResult } from '../apply/types.js';
import type { BatchStatus } from '../run/index.js';
import type { TestOutcome } from '../apply/index.js';
import { funnelLines } from '../report/index.js';
import { maskPhoneNumbersInText, type MaskedText } from '../recipients/index.js';

// Terraform-style markers, so a plan reads at a glance.
const MARKERS: Record<PlanAction, string> = {
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

function describeCampaign(campaign: CampaignView): string | null {
  if (campaign.recipients === null || campaign.parts === null) return null;
  const { recipients, duplicatesRemoved, parts } = campaign;
  const details = [
    `${recipients} recipient${recipients === 1 ? '' : 's'}` +
      ((duplicatesRemoved ?? 0) > 0 ? ` (${duplicatesRemoved} duplicate${duplicatesRemoved === 1 ? '' : 's'} removed)` : ''),
    campaign.encoding,
    `${parts} part${parts === 1 ? '' : 's'} (${campaign.characters} characters)`,
    `${parts * recipients} credits`,
  ];
  if (campaign.deferred) details.push(`deferred to ${campaign.deferred}`);
  return details.join(' · ');
}

function remoteNote(campaign: CampaignView): string | null {
  switch (campaign.action) {
    case 'none':
      return campaign.batchId ? `batch ${campaign.batchId} ${campaign.remoteStatus}` : null;
    case 'wait':
    case 'cancel':
      return `batch ${campaign.batchId} ${campaign.remoteStatus}`;
    case 'reschedule':
      return `batch ${campaign.batchId} scheduled for ${campaign.remoteSentAt}: cancelled, then created again`;
    case 'conflict':
      return `${campaign.sameNameBatches} batch${campaign.sameNameBatches === 1 ? '' : 'es'} named so on the account`;
    default:
      return null;
  }
}

/** What will be sent (or clashes with what was sent), so the plan reads as who gets what. */
function messageLines({ message }: CampaignView): string[] {
  if (!message) return [];
  const sender = message.senderForResponse ? 'a short number chosen by OVH' : message.from;
  const stop = message.noStop ? '' : " (+ OVH's STOP clause)";
  return [`      from ${sender}${stop}:`, ...message.text.split('\n').map((line) => `      │ ${line}`)];
}

/** For a campaign that sends: its credits by destination (OVH's rates), and the STOP-listed numbers left out. */
function costLines(campaign: CampaignView): string[] {
  if ((campaign.action !== 'create' && campaign.action !== 'reschedule') || !campaign.costReviewed) return [];
  const rows = campaign.byCountry.map(
    (row) =>
      `${row.country ?? 'unknown'} ${row.recipients} × ${campaign.parts} × ${row.creditsPerPart}${row.rate === 'ovh' ? '' : ' (assumed)'} = ${row.estimatedCredits}`,
  );
  const stop = campaign.stoplisted ? `; ${campaign.stoplisted} on the STOP list left out` : '';
  return [`      credits: ${rows.join(', ')}${stop}`];
}

export function renderValidateText(plan: Plan): string {
  const view = planView(plan);
  const lines: string[] = [];
  for (const campaign of view.campaigns) {
    for (const problem of campaign.errors) lines.push(formatProblem(problem, 'error'));
    for (const problem of campaign.warnings) lines.push(formatProblem(problem, 'warning'));
  }
  const invalid = view.campaigns.filter((campaign) => campaign.action === 'invalid').length;
  const valid = view.campaigns.length - invalid;
  lines.push(`${valid} campaign${valid === 1 ? '' : 's'} valid, ${invalid} invalid.`);
  return lines.join('\n');
}

export function renderPlanText(plan: Plan): string {
  const view = planView(plan);
  const lines: string[] = [];
  lines.push(view.offline ? 'Plan (offline: not compared with any OVH account)' : `Plan against OVH SMS service ${view.service}`);
  lines.push('');
  for (const campaign of view.campaigns) {
    lines.push(`  ${MARKERS[campaign.action]} ${campaign.action.padEnd(8)} ${campaign.name ?? '(no name)'}  (${campaign.file})`);
    const details = [describeCampaign(campaign), remoteNote(campaign)].filter((line): line is string => line !== null);
    for (const detail of details) lines.push(`      ${detail}`);
    lines.push(...messageLines(campaign));
    lines.push(...costLines(campaign));
    for (const problem of campaign.errors) lines.push(`      ${formatProblem(problem, 'error')}`);
    for (const problem of campaign.warnings) lines.push(`      ${formatProblem(problem, 'warning')}`);
  }
  if (view.unmanaged.length > 0) {
    lines.push('', 'Batches on the account that no campaign file names (left alone):');
    for (const batch of view.unmanaged) lines.push(`    ${batch.name}  ${batch.id}  ${batch.status}`);
  }
  lines.push(
    '',
    `Plan: ${view.totals.create} to create, ${view.totals.recipients} recipients, ${view.totals.estimatedCredits} estimated credits.`,
    `Digest: ${view.digest}`,
  );
  return lines.join('\n');
}

/** Apply's warnings arrive masked (MaskedText): a plain string is refused here. */
function warningLine(warning: MaskedText): string {
  return `warning: ${warning}`;
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
    if (campaign.message) lines.push(`      ${maskPhoneNumbersInText(campaign.message)}`);
    for (const warning of campaign.warnings) lines.push(`      ${warningLine(warning)}`);
  }
  for (const warning of result.warnings) lines.push(`  ${warningLine(warning)}`);
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
          // OVH's refusal may quote a test number: a terminal in CI is a log.
          return `  failed       ${test.campaign}: ${maskPhoneNumbersInText(test.message)}`;
      }
    })
    .join('\n');
}
