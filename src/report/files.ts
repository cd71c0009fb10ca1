import { mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { BatchStatistics } from '../account/index.js';
import type { ApplyResult, CampaignFiles, CampaignResult } from '../apply/index.js';
import type { SkippedRecipient } from '../campaign/types.js';
import { errorText } from '../common/index.js';
import type { Plan } from '../plan/types.js';
import { toPlanJson } from '../plan/index.js';
import { maskPhoneNumber, maskPhoneNumbersInText } from '../recipients/index.js';
import { renderSummaryMarkdown } from './summary.js';

// The report folder (product contract §5) and the one module that writes it: root files (plan.json, summary.md,
// results.json, status.json) and one folder per campaign (statistics.json, outgoing.csv, rejected.csv).

/** Files at the report folder's root: no campaign folder may take their name. */
const ROOT_FILES = ['plan.json', 'summary.md', 'results.json', 'status.json'] as const;
type RootFile = (typeof ROOT_FILES)[number];

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

/** A folder name for a campaign: campaign names may hold `:` and spaces, which some file systems and zip tools dislike. */
export function campaignFolderName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^\.+/, '_');
  return safe.length > 0 ? safe : '_';
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

/** Whether a report write includes summary.md: the action writes its own (the job summary, with its notes) instead. */
export type SummaryFile = 'summary.md' | 'no summary';

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/**
 * The report folder of one run. Campaign folders are unique even when two names sanitise alike or differ only by
 * case (macOS and Windows see `Promo` and `promo` as one folder), and a campaign keeps one folder for all its files.
 * `maskNumbers` (`--mask-export`): outgoing.csv and rejected.csv hold no full number either.
 */
export class ReportFolder implements CampaignFiles {
  private readonly used = new Map<string, string>();
  /** Folder names taken, lower-cased. */
  private readonly taken = new Set<string>(ROOT_FILES);

  constructor(
    readonly root: string,
    private readonly options: { maskNumbers: boolean } = { maskNumbers: false },
  ) {}

  /**
   * The folder (relative to the root) of `key`, named after `name` (by default the key is the campaign name; `status`
   * keys by batch id, so two batches of one name get `name` and `name-2`).
   */
  folderFor(name: string, key: string = name): string {
    const known = this.used.get(key);
    if (known) return known;
    const base = campaignFolderName(name);
    let folder = base;
    for (let suffix = 2; this.taken.has(folder.toLowerCase()); suffix += 1) folder = `${base}-${suffix}`;
    this.used.set(key, folder);
    this.taken.add(folder.toLowerCase());
    return folder;
  }

  /** Gives every campaign of the plan its folder, in the plan's order, so names never depend on which finished first. */
  reserve(plan: Plan): void {
    for (const entry of plan.campaigns) if (entry.campaign) this.folderFor(entry.campaign.name);
  }

  /** plan.json, summary.md, each campaign's rejected.csv, and (after apply) results.json: what every run leaves. */
  async writeReport(plan: Plan, apply: ApplyResult | null, summary: SummaryFile): Promise<void> {
    this.reserve(plan);
    await this.writeRoot('plan.json', json(toPlanJson(plan)));
    if (summary === 'summary.md') await this.writeSummary(renderSummaryMarkdown(plan, apply));
    for (const entry of plan.campaigns) {
      const campaign = entry.campaign;
      if (campaign?.skipped) await this.writeRejected(campaign.name, campaign.skipped);
    }
    if (apply) await this.writeRoot('results.json', json(toResultsJson(apply)));
  }

  /** summary.md: the same Markdown as the job summary. */
  writeSummary(markdown: string): Promise<void> {
    return this.writeRoot('summary.md', markdown);
  }

  /** status.json of `status --since`. */
  writeStatus(status: unknown): Promise<void> {
    return this.writeRoot('status.json', json(status));
  }

  /** `<campaign>/statistics.json`; returns its path relative to the root. */
  async writeStatistics(name: string, statistics: BatchStatistics, key: string = name): Promise<string> {
    const target = await this.place(name, 'statistics.json', key);
    await writeFile(target.path, json(statistics));
    return target.relative;
  }

  /** Where `<campaign>/outgoing.csv` is downloaded to (its folder created); then settleExport. */
  placeExport(name: string): Promise<{ path: string; relative: string }> {
    return this.place(name, 'outgoing.csv');
  }

  /** A downloaded export, masked in place when the report holds no full number; a note when it was not the CSV known. */
  async settleExport(file: string): Promise<string | null> {
    if (!this.options.maskNumbers) return null;
    // Read whole: masking parses the CSV.
    const masked = maskOutgoingCsv(await readFile(file));
    await writeFile(file, masked.text);
    return masked.problem;
  }

  /** One row of `<campaign>/rejected.csv` per number dropped under `invalidNumbers: skip`, written in batches. */
  async writeRejected(name: string, skipped: SkippedRecipient[]): Promise<string> {
    const target = await this.place(name, 'rejected.csv');
    const file = await open(target.path, 'w');
    try {
      let batch = '';
      for (const line of rejectedCsvLines(skipped, this.options.maskNumbers)) {
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
    return target.relative;
  }

  private async writeRoot(file: RootFile, content: string): Promise<void> {
    await mkdir(this.root, { recursive: true });
    await writeFile(path.join(this.root, file), content);
  }

  private async place(name: string, file: string, key: string = name): Promise<{ path: string; relative: string }> {
    const folder = this.folderFor(name, key);
    await mkdir(path.join(this.root, folder), { recursive: true });
    return { path: path.join(this.root, folder, file), relative: `${folder}/${file}` };
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

/**
 * OVH's outgoing export (`id;date;sender;receiver;…;message;…`) with the numbers masked in every field that holds
 * text (receiver, sender, message); ids, dates and codes stay as they are. A file that is not the CSV known is masked
 * as free text rather than keep a number, and `problem` says so. Pure.
 */
export function maskOutgoingCsv(content: string | Buffer): { text: string; problem: string | null } {
  const text = typeof content === 'string' ? content : content.toString('utf8');
  let rows: string[][];
  try {
    rows = parse(text, { delimiter: ';', relax_column_count: true, relax_quotes: true, bom: true, skip_empty_lines: true });
  } catch (error) {
    return {
      text: maskPhoneNumbersInText(text),
      problem: `outgoing.csv could not be read as OVH's CSV (${errorText(error)}): its numbers were masked as free text`,
    };
  }
  const [header = [], ...records] = rows;
  const keep = new Set(['id', 'date', 'ptt', 'operatorcode', 'descriptiondlr', 'tag', 'sentat', 'deliveredat']);
  const kept = header.map((column) => keep.has(column.trim().toLowerCase()));
  const lines = [header, ...records.map((record) => record.map((field, index) => (kept[index] ? field : maskPhoneNumbersInText(field))))];
  return { text: `${lines.map((line) => line.map(outgoingField).join(';')).join('\n')}\n`, problem: null };
}

function outgoingField(field: string): string {
  return /[;"\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}
