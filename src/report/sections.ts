import type { Problem } from '../campaign/types.js';
import type { ApplyResult, CampaignResult } from '../apply/types.js';
import type { PlanAction, PlanJson, PlanJsonCampaign } from '../plan/types.js';
import { maskPhoneNumber } from '../recipients/index.js';
import {
  escapeMarkdown,
  formatCount,
  formatProblem,
  tableHeader,
  tableRow,
  type BoundedMarkdown,
} from './markdown.js';

/** Per campaign, how many receiver errors the Markdown lists before pointing at results.json. */
export const RECEIVER_ERRORS_SHOWN = 20;

const ACTION_LABELS: Record<PlanAction, string> = {
  create: '🆕 create',
  none: '✅ none (already sent)',
  wait: '⏳ wait (running)',
  cancel: '🛑 cancel',
  conflict: '❌ conflict',
  invalid: '❌ invalid',
};

export function campaignLabel(campaign: { name: string | null; file: string }): string {
  return escapeMarkdown(campaign.name ?? campaign.file);
}

export function headline(plan: PlanJson): string {
  const counts = countActions(plan.campaigns);
  const parts = [
    `**${formatCount(plan.totals.create)}** to create`,
    `**${formatCount(plan.totals.recipients)}** recipients`,
    `**${formatCount(plan.totals.estimatedCredits)}** estimated credits`,
  ];
  for (const action of ['none', 'wait', 'cancel', 'conflict', 'invalid'] as const) {
    if (counts[action] > 0) parts.push(`${counts[action]} ${action}`);
  }
  const source = plan.offline
    ? '⚠️ **Offline plan**: no OVH account was read, so every valid campaign shows as create.'
    : `Service **${escapeMarkdown(plan.service ?? 'unknown')}**.`;
  return `${source} ${parts.join(' · ')}. Digest \`${shortDigest(plan.digest)}\`.\n\n`;
}

/** Enough of the digest to compare plans by eye; the full one is in plan.json and the comment marker. */
function shortDigest(digest: string): string {
  const safe = digest.replace(/[^A-Za-z0-9:]/g, '');
  return safe.length > 19 ? `${safe.slice(0, 19)}…` : safe;
}

function countActions(campaigns: PlanJsonCampaign[]): Record<PlanAction, number> {
  const counts: Record<PlanAction, number> = { create: 0, none: 0, wait: 0, cancel: 0, conflict: 0, invalid: 0 };
  for (const campaign of campaigns) counts[campaign.action] += 1;
  return counts;
}

export function allProblems(plan: PlanJson): { errors: Problem[]; warnings: Problem[] } {
  return {
    errors: plan.campaigns.flatMap((campaign) => campaign.errors),
    warnings: plan.campaigns.flatMap((campaign) => campaign.warnings),
  };
}

export function addProblems(out: BoundedMarkdown, title: string, icon: string, problems: Problem[]): void {
  if (problems.length === 0) return;
  out.add(`### ${icon} ${title} (${problems.length})\n\n`);
  for (const problem of problems) out.add(`- ${formatProblem(problem)}\n`);
  out.add('\n');
}

export function addPlanTable(out: BoundedMarkdown, plan: PlanJson): void {
  out.add('### Plan\n\n');
  if (plan.campaigns.length === 0) {
    out.add('No campaign files matched.\n\n');
    return;
  }
  out.add(
    tableHeader(
      ['Campaign', 'File', 'Action', 'Recipients', 'Encoding', 'Parts', 'Est. credits', 'Schedule', 'Warnings'],
      ['left', 'left', 'left', 'right', 'left', 'right', 'right', 'left', 'right'],
    ),
  );
  for (const campaign of plan.campaigns) {
    out.add(
      tableRow([
        campaignLabel(campaign),
        escapeMarkdown(campaign.file),
        ACTION_LABELS[campaign.action] + (campaign.batchId ? ` (batch ${escapeMarkdown(campaign.batchId)})` : ''),
        formatCount(campaign.recipients),
        campaign.encoding ?? '—',
        formatCount(campaign.parts),
        formatCount(campaign.estimatedCredits),
        schedule(campaign),
        campaign.warnings.length > 0 ? `⚠️ ${campaign.warnings.length}` : '0',
      ]),
    );
  }
  out.add('\n');
  if (plan.unmanaged.length > 0) {
    out.add(
      `${plan.unmanaged.length} batch(es) on the account have no campaign file; they are left alone: ` +
        plan.unmanaged.map((batch) => escapeMarkdown(batch.name)).join(', ') +
        '.\n\n',
    );
  }
}

function schedule(campaign: PlanJsonCampaign): string {
  if (campaign.deferred) return escapeMarkdown(campaign.deferred);
  return campaign.action === 'create' ? 'at once' : '—';
}

export function addResultsTable(out: BoundedMarkdown, apply: ApplyResult): void {
  out.add(`### Results\n\n`);
  out.add(
    `${apply.created} batch(es) created on **${escapeMarkdown(apply.service)}**, ` +
      `${escapeMarkdown(apply.startedAt)} → ${escapeMarkdown(apply.finishedAt)}. ` +
      (apply.ok ? '✅ Every campaign ended well.' : '❌ Some campaigns did not end well.') +
      '\n\n',
  );
  if (apply.campaigns.length === 0) return;
  out.add(
    tableHeader(
      ['Campaign', 'Batch', 'Status', 'Sent', 'Delivered', 'Failed', 'Pending', 'Stoplisted', 'Credits used / estimated'],
      ['left', 'left', 'left', 'right', 'right', 'right', 'right', 'right', 'right'],
    ),
  );
  for (const result of apply.campaigns) {
    const stats = result.statistics;
    out.add(
      tableRow([
        campaignLabel(result),
        result.batchId ? escapeMarkdown(result.batchId) : '—',
        status(result),
        formatCount(stats?.sent),
        formatCount(stats?.delivered),
        formatCount(stats?.failed),
        formatCount(stats?.pending),
        formatCount(stats?.stoplisted),
        stats ? `${formatCount(stats.credits)} / ${formatCount(stats.estimatedCredits)}` : '—',
      ]),
    );
  }
  out.add('\n');
  const withMessages = apply.campaigns.filter((result) => result.message);
  for (const result of withMessages) {
    out.add(`- **${campaignLabel(result)}**: ${escapeMarkdown(result.message ?? '')}\n`);
  }
  if (withMessages.length > 0) out.add('\n');
}

function status(result: CampaignResult): string {
  const icon = { completed: '✅', scheduled: '🕒', canceled: '🛑', running: '⏳', skipped: '⏭️' }[
    result.outcome as string
  ] ?? '❌';
  const remote = result.status && result.status.toLowerCase() !== result.outcome ? ` (${escapeMarkdown(result.status)})` : '';
  return `${icon} ${result.outcome}${remote}`;
}

export function addReceiverErrors(out: BoundedMarkdown, apply: ApplyResult): void {
  const failing = apply.campaigns.filter((result) => result.receiverErrors.length > 0);
  if (failing.length === 0) return;
  out.add('### Receiver errors\n\n');
  for (const result of failing) {
    const errors = result.receiverErrors;
    out.add(`<details><summary>${campaignLabel(result)}: ${errors.length} receiver error(s)</summary>\n\n`);
    for (const error of errors.slice(0, RECEIVER_ERRORS_SHOWN)) {
      const masked = maskPhoneNumber(error.receiver);
      const message = error.message.split(error.receiver).join(masked);
      out.add(`- ${escapeMarkdown(masked)}: ${escapeMarkdown(message)}\n`);
    }
    if (errors.length > RECEIVER_ERRORS_SHOWN) {
      out.add(`- … and ${errors.length - RECEIVER_ERRORS_SHOWN} more in results.json\n`);
    }
    out.add('\n</details>\n\n');
  }
}
