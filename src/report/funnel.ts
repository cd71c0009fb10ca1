import type { Batch, BatchStatistics } from '../account/index.js';
import type { TestOutcome } from '../apply/index.js';
import { maskPhoneNumbersInText } from '../recipients/index.js';
import { BoundedMarkdown, escapeMarkdown, formatCount, measureBytes, tableHeader, tableRow } from './markdown.js';
import { SUMMARY_MAX_BYTES } from './summary.js';

/** A batch and its statistics as `status --since` read them (null: OVH did not give them). */
export interface FunnelEntry {
  batch: Batch;
  statistics: BatchStatistics | null;
}

const BAR_WIDTH = 30;
const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A bar of `share` (0…1) in eighths of a character, padded to a fixed width so that bars line up in a code block. */
export function textBar(share: number, width = BAR_WIDTH): string {
  const eighths = Math.round(Math.min(1, Math.max(0, share)) * width * 8);
  const bar = '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8]!;
  return bar + ' '.repeat(width - [...bar].length);
}

/** ISO times to the second: milliseconds add nothing for a reader. */
const shortTime = (iso: string): string => iso.replace(/\.\d+(?=Z|[+-]\d{2}:\d{2}$)/, '');

function percent(part: number, whole: number): string {
  return whole === 0 ? '—' : `${((100 * part) / whole).toFixed(1)}%`;
}

/** Recipients of the batch: OVH's total, or what the statistics add up to when that is larger. */
function recipientsOf(entry: FunnelEntry): number {
  const stats = entry.statistics;
  const counted = stats ? stats.sent + stats.failed + stats.stoplisted : 0;
  return Math.max(entry.batch.totalRecords, counted);
}

/** One campaign's funnel as monospaced lines: recipients → sent → delivered / pending / failed / stoplisted. */
export function funnelLines(entry: FunnelEntry): string[] {
  const stats = entry.statistics;
  const total = recipientsOf(entry);
  if (!stats) return [`recipients  ${formatCount(total).padStart(9)}`, 'statistics not available from OVH'];
  const rows: [string, number][] = [
    ['sent', stats.sent],
    ['delivered', stats.delivered],
    ['pending', stats.pending],
    ['failed', stats.failed],
    ['stoplisted', stats.stoplisted],
  ];
  return [
    `${'recipients'.padEnd(11)}${formatCount(total).padStart(9)}`,
    ...rows.map(
      ([label, value]) =>
        `${label.padEnd(11)}${formatCount(value).padStart(9)}  ${textBar(total === 0 ? 0 : value / total)}  ${percent(value, total).padStart(6)}`,
    ),
  ];
}

/** The job summary of `status --since`: one funnel per campaign sent in the period, newest first. */
export function renderFunnelSummary(input: {
  service: string;
  sinceDays: number;
  now: Date;
  entries: FunnelEntry[];
  maxBytes?: number;
}): string {
  const out = new BoundedMarkdown((input.maxBytes ?? SUMMARY_MAX_BYTES) - 600, measureBytes);
  out.add(`## SMS campaigns: delivery in the last ${formatCount(input.sinceDays)} day(s)\n\n`);
  out.add(`Service **${escapeMarkdown(input.service)}**, statistics read ${escapeMarkdown(shortTime(input.now.toISOString()))}. `);
  out.add(
    `${input.entries.length} campaign(s) sent since ${escapeMarkdown(shortTime(new Date(input.now.getTime() - input.sinceDays * 86_400_000).toISOString()))}.\n\n`,
  );
  if (input.entries.length === 0) return out.finish(() => '');
  out.add(
    tableHeader(
      ['Campaign', 'Status', 'Sent', 'Recipients', 'Delivered', 'Failed', 'Pending', 'Stoplisted', 'Credits'],
      ['left', 'left', 'left', 'right', 'right', 'right', 'right', 'right', 'right'],
    ),
  );
  for (const entry of input.entries) {
    const stats = entry.statistics;
    const total = recipientsOf(entry);
    out.add(
      tableRow([
        escapeMarkdown(entry.batch.name),
        escapeMarkdown(entry.batch.status),
        escapeMarkdown(shortTime(entry.batch.sentAt ?? entry.batch.createdAt)),
        formatCount(total),
        stats ? `${formatCount(stats.delivered)} (${percent(stats.delivered, total)})` : '—',
        stats ? `${formatCount(stats.failed)} (${percent(stats.failed, total)})` : '—',
        stats ? formatCount(stats.pending) : '—',
        stats ? formatCount(stats.stoplisted) : '—',
        stats ? formatCount(stats.credits) : '—',
      ]),
    );
  }
  out.add('\n');
  for (const entry of input.entries) {
    out.add(`#### ${escapeMarkdown(entry.batch.name)}\n\n\`\`\`text\n${funnelLines(entry).join('\n')}\n\`\`\`\n\n`);
  }
  out.add('<sub>Delivery receipts keep arriving for up to a few days; run `status --since` again to refresh.</sub>\n');
  return out.finish(
    (omitted) =>
      `\n\n> [!WARNING]\n> Cut to stay under GitHub's size limit (${omitted} more line(s)); every campaign's statistics.json is in the report folder.\n`,
  );
}

/** The `test` command's summary: one line per campaign, never a number. */
export function renderTestSummary(outcomes: TestOutcome[]): string {
  const lines = ['## SMS campaigns: test sends\n'];
  if (outcomes.length === 0) lines.push('No valid campaign matched.');
  for (const outcome of outcomes) {
    const name = `**${escapeMarkdown(outcome.campaign)}**`;
    switch (outcome.kind) {
      case 'sent':
        lines.push(
          `- ✅ ${name}: test sent to ${outcome.recipients} number(s) as batch \`${escapeMarkdown(outcome.batchName)}\` (${escapeMarkdown(outcome.batchId)}).`,
        );
        break;
      case 'already-tested':
        lines.push(
          `- ⏭️ ${name}: this content was already tested (batch \`${escapeMarkdown(outcome.batchName)}\`, ${escapeMarkdown(outcome.status)}); nothing sent. Edit the message to test again.`,
        );
        break;
      case 'no-test-recipients':
        lines.push(`- ${name}: no \`testRecipients\`; nothing to send.`);
        break;
      case 'failed':
        lines.push(`- ❌ ${name}: the test was not sent: ${escapeMarkdown(maskPhoneNumbersInText(outcome.message))}`);
        break;
    }
  }
  return `${lines.join('\n')}\n`;
}
