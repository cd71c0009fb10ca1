import type { Problem } from '../campaign/types.js';
import type { ApplyResult, CampaignResult } from '../apply/types.js';
import type { CampaignView, PlanAction, PlanView } from '../plan/index.js';
import { STOP_CLAUSE } from '../sms/index.js';
import { maskPhoneNumber, maskPhoneNumbersInText, type MaskedText } from '../recipients/index.js';
import { escapeMarkdown, formatCount, formatProblem, tableHeader, tableRow, type BoundedMarkdown } from './markdown.js';

/** Per campaign, how many receiver errors the Markdown lists before pointing at results.json. */
export const RECEIVER_ERRORS_SHOWN = 20;

const ACTION_LABELS: Record<PlanAction, string> = {
  create: '🆕 create',
  none: '✅ none (already sent)',
  wait: '⏳ wait (running)',
  cancel: '🛑 cancel',
  reschedule: '🔁 reschedule (cancel, create again)',
  conflict: '❌ conflict',
  invalid: '❌ invalid',
};

/** `none` covers a batch that was cancelled or failed, too: the label says which, never "already sent" for those. */
function actionLabel(campaign: CampaignView): string {
  if (campaign.action === 'none' && campaign.remoteStatus === 'CANCELED') return '🛑 none (cancelled, not sent)';
  if (campaign.action === 'none' && campaign.remoteStatus === 'FAILED') return '❌ none (failed at OVH)';
  if (campaign.action === 'none' && campaign.batchId === null) return '✅ none (nothing to send)';
  return ACTION_LABELS[campaign.action];
}

export function campaignLabel(campaign: { name: string | null; file: string }): string {
  return escapeMarkdown(campaign.name ?? campaign.file);
}

export function headline(plan: PlanView): string {
  const counts = countActions(plan.campaigns);
  const parts = [
    `**${formatCount(plan.totals.create)}** to create`,
    `**${formatCount(plan.totals.recipients)}** recipients`,
    `**${formatCount(plan.totals.estimatedCredits)}** estimated credits`,
  ];
  for (const action of ['reschedule', 'none', 'wait', 'cancel', 'conflict', 'invalid'] as const) {
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

function countActions(campaigns: readonly CampaignView[]): Record<PlanAction, number> {
  const counts: Record<PlanAction, number> = { create: 0, none: 0, wait: 0, cancel: 0, reschedule: 0, conflict: 0, invalid: 0 };
  for (const campaign of campaigns) counts[campaign.action] += 1;
  return counts;
}

export function allProblems(plan: PlanView): { errors: Problem[]; warnings: Problem[] } {
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

export function addPlanTable(out: BoundedMarkdown, plan: PlanView): void {
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
        actionLabel(campaign) + (campaign.batchId ? ` (batch ${escapeMarkdown(campaign.batchId)})` : ''),
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

function schedule(campaign: CampaignView): string {
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
  out.add(
    '\n<sub>Statistics as of the end of this run: delivery receipts keep arriving after a batch completes ' +
      '(`sms-campaigns status` shows the latest).</sub>\n\n',
  );
  // Under each campaign its message, then one ⚠️ line per warning; the run's own warnings last.
  const notes = [
    ...apply.campaigns.flatMap((result) => [
      ...(result.message ? [`- **${campaignLabel(result)}**: ${escapeMarkdown(result.message)}\n`] : []),
      ...result.warnings.map((warning) => `- **${campaignLabel(result)}**: ${warningText(warning)}\n`),
    ]),
    ...apply.warnings.map((warning) => `- ${warningText(warning)}\n`),
  ];
  for (const note of notes) out.add(note);
  if (notes.length > 0) out.add('\n');
}

/** A warning of apply (masked where it was raised: a plain string is refused here). */
export function warningText(warning: MaskedText): string {
  return `⚠️ ${escapeMarkdown(warning)}`;
}

function status(result: CampaignResult): string {
  const icon = { completed: '✅', scheduled: '🕒', canceled: '🛑', running: '⏳', skipped: '⏭️' }[result.outcome as string] ?? '❌';
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
      out.add(receiverErrorItem(masked, maskPhoneNumbersInText(error.message.split(error.receiver).join(masked))));
    }
    if (errors.length > RECEIVER_ERRORS_SHOWN) {
      out.add(`- … and ${errors.length - RECEIVER_ERRORS_SHOWN} more in results.json\n`);
    }
    out.add('\n</details>\n\n');
  }
}

/** One receiver error of the summary: its number and OVH's message, both masked before they get here. */
export function receiverErrorItem(receiver: MaskedText, message: MaskedText): string {
  return `- ${escapeMarkdown(receiver)}: ${escapeMarkdown(message)}\n`;
}

/** The masked recipients a reviewer sees, then how many more: a plain string (a full number) is refused here. */
export function recipientsShown(samples: readonly MaskedText[], total: number): string {
  const more = total - samples.length;
  return samples.map((sample) => escapeMarkdown(sample)).join(', ') + (more > 0 ? ` and ${formatCount(more)} more` : '');
}

/**
 * Who gets what: per campaign to review, the sender, a few masked recipients and the message as written.
 * The message is shown unmasked in a code block: it is the reviewed file's own text, and no HTML or mention runs there.
 */
export function addMessages(out: BoundedMarkdown, plan: PlanView): void {
  const reviewed = plan.campaigns.flatMap((campaign) => (campaign.message ? [{ campaign, message: campaign.message }] : []));
  if (reviewed.length === 0) return;
  out.add('### Messages\n\n');
  for (const { campaign, message } of reviewed) {
    const sender = message.senderForResponse ? 'a reply-capable short number chosen by OVH' : escapeMarkdown(message.from ?? '');
    const recipients = recipientsShown(message.samples, campaign.recipients ?? 0);
    const stop = message.noStop ? '' : `OVH appends \`${STOP_CLAUSE.trim()}\` on a new line.\n`;
    out.add(
      `<details><summary><b>${campaignLabel(campaign)}</b> (${message.type}) from ${sender} to ${formatCount(campaign.recipients)}: ${recipients}</summary>\n\n` +
        `${codeBlock(message.text)}${stop}\n</details>\n\n`,
    );
  }
}

/** A fence longer than any backtick run in the text, so the text can never close it. */
function codeBlock(text: string): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}text\n${text}\n${fence}\n`;
}
