import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { maskPhoneNumbersInText } from '../recipients/index.js';

/** Files at the report folder's root: no campaign folder may take their name. */
const ROOT_FILES = ['plan.json', 'summary.md', 'results.json'];

/** A folder name for a campaign: campaign names may hold `:` and spaces, which some file systems and zip tools dislike. */
export function campaignFolderName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^\.+/, '_');
  return safe.length > 0 ? safe : '_';
}

/** What `outgoing.csv` holds: OVH's export as downloaded, or with every phone number masked. */
export type ExportContent = 'full' | 'masked';

/** The thin I/O edge of apply: per campaign folders under the report folder. */
export class ReportFolder {
  private readonly used = new Map<string, string>();
  /** Folder names taken, lower-cased: macOS and Windows see `Promo` and `promo` as one folder. */
  private readonly taken = new Set(ROOT_FILES);

  constructor(
    readonly root: string,
    private readonly exportContent: ExportContent = 'full',
  ) {}

  /** The campaign's folder relative to the root, unique even when two names sanitise alike or differ only by case. */
  folderFor(name: string): string {
    const known = this.used.get(name);
    if (known) return known;
    const base = campaignFolderName(name);
    let folder = base;
    for (let suffix = 2; this.taken.has(folder.toLowerCase()); suffix += 1) folder = `${base}-${suffix}`;
    this.used.set(name, folder);
    this.taken.add(folder.toLowerCase());
    return folder;
  }

  /** Where a file of the campaign goes (its folder created): the absolute path, and the one relative to the root. */
  async place(name: string, file: string): Promise<{ path: string; relative: string }> {
    const folder = this.folderFor(name);
    await mkdir(join(this.root, folder), { recursive: true });
    return { path: join(this.root, folder, file), relative: `${folder}/${file}` };
  }

  /** A downloaded export, masked in place when the report holds no full number (read whole: masking parses the CSV). */
  async settleExport(path: string): Promise<void> {
    if (this.exportContent === 'masked') await writeFile(path, maskOutgoingCsv(await readFile(path)));
  }

  /** Writes a file into the campaign's folder and returns its path relative to the root, with forward slashes. */
  async write(name: string, file: string, content: string | Buffer): Promise<string> {
    const folder = this.folderFor(name);
    await mkdir(join(this.root, folder), { recursive: true });
    const written = file === 'outgoing.csv' && this.exportContent === 'masked' ? maskOutgoingCsv(content) : content;
    await writeFile(join(this.root, folder, file), written);
    return `${folder}/${file}`;
  }
}

/**
 * OVH's outgoing export (`id;date;sender;receiver;…;message;…`) with the numbers masked in every field that holds
 * text (receiver, sender, message); ids, dates and codes stay as they are. Pure.
 */
export function maskOutgoingCsv(content: string | Buffer): string {
  const text = typeof content === 'string' ? content : content.toString('utf8');
  let rows: string[][];
  try {
    rows = parse(text, { delimiter: ';', relax_column_count: true, relax_quotes: true, bom: true, skip_empty_lines: true });
  } catch {
    return maskPhoneNumbersInText(text); // Not the CSV we know: mask it as free text rather than keep a number.
  }
  const [header = [], ...records] = rows;
  const keep = new Set(['id', 'date', 'ptt', 'operatorcode', 'descriptiondlr', 'tag', 'sentat', 'deliveredat']);
  const kept = header.map((column) => keep.has(column.trim().toLowerCase()));
  const lines = [header, ...records.map((record) => record.map((field, index) => (kept[index] ? field : maskPhoneNumbersInText(field))))];
  return `${lines.map((line) => line.map(csvField).join(';')).join('\n')}\n`;
}

function csvField(field: string): string {
  return /[;"\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}
