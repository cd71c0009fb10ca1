import { mkdir, open, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { campaignFolderName } from '../apply/index.js';
import type { ApplyResult, CampaignResult } from '../apply/types.js';
import type { SkippedRecipient } from '../campaign/types.js';
import type { Plan } from '../plan/types.js';
import { toPlanJson } from '../plan/index.js';
import { maskPhoneNumber } from '../recipients/index.js';
import { renderSummaryMarkdown } from './summary.js';

/**
 * Why the report folder cannot take the report (null when it can): created if missing, then a probe file is
 * written and removed, so a read-only or misplaced `--out` stops the run before anything is sent.
 */
export async function reportFolderProblem(dir: string): Promise<string | null> {
  const probe = path.join(dir, `.write-check-${process.pid}`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(probe, '');
    await rm(probe, { force: true });
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    return `the report folder ${dir} cannot be written (${code})`;
  }
}

/** results.json: the apply result, with receivers masked (full numbers stay only in the CSV exports). */
export interface ResultsJson {
  version: 1;
  service: string;
  startedAt: string;
  finishedAt: string;
  ok: boolean;
  created: number;
  campaigns: CampaignResult[];
  /** Problems of the run as a whole that changed nothing sent. */
  warnings: string[];
}

export function toResultsJson(apply: ApplyResult): ResultsJson {
  return {
    version: 1,
    service: apply.service,
    startedAt: apply.startedAt,
    finishedAt: apply.finishedAt,
    ok: apply.ok,
    created: apply.created,
    campaigns: apply.campaigns.map((result) => ({
      ...result,
      receiverErrors: result.receiverErrors.map((error) => {
        const masked = maskPhoneNumber(error.receiver);
        return { receiver: masked, message: error.message.split(error.receiver).join(masked) };
      }),
    })),
    warnings: apply.warnings,
  };
}

/**
 * Writes plan.json, summary.md, `<campaign>/rejected.csv` and (after apply) results.json into the report folder;
 * `maskNumbers` (`--mask-export`) masks the numbers in rejected.csv too, so that no file holds a full number.
 */
export async function writeReportFiles(dir: string, plan: Plan | null, apply: ApplyResult | null, maskNumbers = false): Promise<void> {
  await mkdir(dir, { recursive: true });
  if (plan) {
    await writeFile(path.join(dir, 'plan.json'), JSON.stringify(toPlanJson(plan), null, 2) + '\n');
    await writeFile(path.join(dir, 'summary.md'), renderSummaryMarkdown(plan, apply));
    for (const entry of plan.campaigns) {
      const campaign = entry.campaign;
      if (campaign?.skipped) await writeRejectedCsv(path.join(dir, campaignFolderName(campaign.name)), campaign.skipped, maskNumbers);
    }
  }
  if (apply) {
    await writeFile(path.join(dir, 'results.json'), JSON.stringify(toResultsJson(apply), null, 2) + '\n');
  }
}

/** One row of rejected.csv per number dropped under `invalidNumbers: skip` (full numbers: private, like outgoing.csv). */
export function* rejectedCsvLines(skipped: SkippedRecipient[], maskNumbers: boolean): Generator<string> {
  yield 'source,row,reason,number\r\n';
  for (const { source, row, reason, number } of skipped) {
    const shown = maskNumbers && number !== '' ? maskPhoneNumber(number) : number;
    yield `${csvCell(source)},${row ?? ''},${csvCell(reason)},${csvCell(shown)}\r\n`;
  }
}

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Written in batches: a million rows never make one string. */
async function writeRejectedCsv(folder: string, skipped: SkippedRecipient[], maskNumbers: boolean): Promise<void> {
  await mkdir(folder, { recursive: true });
  const file = await open(path.join(folder, 'rejected.csv'), 'w');
  try {
    let batch = '';
    for (const line of rejectedCsvLines(skipped, maskNumbers)) {
      batch += line;
      if (batch.length >= 1 << 16) {
        await file.write(batch);
        batch = '';
      }
    }
    await file.write(batch);
  } finally {
    await file.close();
  }
}
