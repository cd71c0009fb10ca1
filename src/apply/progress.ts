import type { BatchStatus } from '../account/index.js';
import { maskPhoneNumbersInText } from '../recipients/index.js';
import type { CampaignOutcome } from './types.js';

export type ApplyPhase =
  | 'skipped'
  | 'uploading'
  | 'creating'
  | 'created'
  | 'adopted'
  | 'retrying'
  | 'canceling'
  | 'running'
  | 'exporting'
  | 'done'
  /** A problem that changes nothing sent (e.g. a receivers list left behind); also kept in the campaign's result. */
  | 'warning';

/** One step of one campaign, for progress lines. Carries counts, never phone numbers. */
export interface ApplyProgress {
  campaign: string;
  phase: ApplyPhase;
  batchId: string | null;
  status: BatchStatus | null;
  processed: number | null;
  total: number | null;
  /** Set on `done` and `skipped`. */
  outcome: CampaignOutcome | null;
  message: string | null;
}

/** A plain progress line (CI logs): name, step, OVH status and counts. */
export function formatProgressLine(event: ApplyProgress): string {
  const parts = [`${event.campaign}:`, event.phase === 'done' && event.outcome ? event.outcome : event.phase];
  if (event.status && event.status.toLowerCase() !== event.outcome) parts.push(`[${event.status}]`);
  if (event.processed !== null && event.total !== null) parts.push(`${event.processed}/${event.total}`);
  if (event.batchId) parts.push(`batch ${event.batchId}`);
  const line = parts.join(' ');
  return event.message ? `${line} - ${maskPhoneNumbersInText(event.message)}` : line;
}

export interface ProgressRenderer {
  (event: ApplyProgress): void;
}

/**
 * Progress for a terminal: one line per campaign, rewritten in place as it changes.
 * Plain CI logs should use `formatProgressLine` directly (one line per event).
 */
export function createTerminalProgress(write: (text: string) => void): ProgressRenderer {
  const lines = new Map<string, string>();
  let printed = 0;
  return (event) => {
    lines.set(event.campaign, formatProgressLine(event));
    const moveUp = printed > 0 ? `\x1b[${printed}A` : '';
    write(`${moveUp}${[...lines.values()].map((line) => `\x1b[2K${line}\n`).join('')}`);
    printed = lines.size;
  };
}

/** Plain lines, but only when something changes (a poll that moved nothing prints nothing). */
export function createPlainProgress(write: (line: string) => void): ProgressRenderer {
  const last = new Map<string, string>();
  return (event) => {
    const line = formatProgressLine(event);
    if (last.get(event.campaign) === line) return;
    last.set(event.campaign, line);
    write(line);
  };
}
