import { NumberScanner, ScanOutcome, resolveRegion, unknownCountryReason, verdictInText, type LineType } from './numbers/index.js';
import { readCsvRows } from './csv-reader.js';
import { DistinctNumbers, numberKey } from './distinct-numbers.js';
import type { CsvBytes, CsvRowVisitor, RecipientReadResult, RecipientProblem } from './types.js';

export interface RejectedRecipient {
  /** As in RecipientEntry: CSV line, position in a list, or null. */
  row: number | null;
  /** The entry as written (trimmed): only for masked messages. */
  raw: string;
  reason: string;
}

export interface NonMobileRecipient {
  row: number | null;
  e164: string;
  lineType: Exclude<LineType, 'mobile'>;
}

/** What one source brought: counts, and the rows worth a message, in source order. */
export interface SourceReport {
  /** Non-blank entries read. */
  entries: number;
  /** Valid numbers not seen before in this collector. */
  added: number;
  /** Invalid entries: how many, and the first ones (as many as the collector keeps). */
  rejectedCount: number;
  rejected: RejectedRecipient[];
  /** Valid but not mobile (every occurrence, duplicates included): how many, and the first ones. */
  nonMobileCount: number;
  nonMobile: NonMobileRecipient[];
  /** Problems reading the source itself (no number column, a row without a number, not UTF-8…). */
  problems: RecipientProblem[];
}

/** Distinct numbers one campaign may hold: memory grows with them (about 60 bytes each), not with the files read. */
export const MAX_DISTINCT_NUMBERS = 10_000_000;

export interface CollectorOptions {
  /** How many rejected entries each report keeps in full; the rest are only counted. Default 100. */
  keepRejected?: number;
  /** The same for non-mobile numbers. Default 100. */
  keepNonMobile?: number;
  /** Default MAX_DISTINCT_NUMBERS; past it a source reports a problem and reading stops. */
  maxDistinct?: number;
}

/**
 * Validates, normalises to E.164 and de-duplicates recipients from several sources for one campaign country.
 * A CSV is read in one pass over its text: no object per row, digits copied only once, and a duplicate costs
 * one lookup of a number key. `numbers` holds every distinct valid number, first occurrence first.
 */
export class RecipientCollector {
  readonly numbers: string[] = [];
  private readonly region: string | null | undefined;
  private readonly scanner = new NumberScanner();
  private readonly seen = new DistinctNumbers();
  private readonly pending = new PendingNumbers();
  private readonly keepRejected: number;
  private readonly keepNonMobile: number;
  private readonly maxDistinct: number;

  constructor(
    private readonly country: string | null,
    options: CollectorOptions = {},
  ) {
    this.region = resolveRegion(country);
    this.keepRejected = options.keepRejected ?? 100;
    this.keepNonMobile = options.keepNonMobile ?? 100;
    this.maxDistinct = options.maxDistinct ?? MAX_DISTINCT_NUMBERS;
  }

  /** A CSV source, read as a stream of chunks (see parseRecipientsCsv for the format and row numbers). */
  addCsv(content: CsvBytes): SourceReport {
    const report = emptyReport();
    // Rows take 12 to 60 bytes: room for one per 64 bytes, then it grows (a table sized for short rows slows wide files).
    if (content.byteLength !== undefined) this.seen.reserve(content.byteLength / 64);
    const visitor: CsvRowVisitor = {
      number: (text, start, end, row) => this.add(text, start, end, row, report),
      problem: (problem) => report.problems.push(problem),
    };
    readCsvRows(content, visitor);
    this.flush(report);
    return report;
  }

  /** Entries already read (an environment variable, a YAML list): raw numbers are trimmed here. */
  addEntries(read: RecipientReadResult): SourceReport {
    const report = emptyReport();
    report.problems.push(...read.problems);
    for (const { raw, row } of read.entries) {
      const text = raw.trim();
      if (!this.add(text, 0, text.length, row, report)) break;
    }
    this.flush(report);
    return report;
  }

  /** False once the collector is full: the source is not read further. */
  private add(text: string, start: number, end: number, row: number | null, report: SourceReport): boolean {
    report.entries += 1;
    const region = this.region;
    if (region === undefined) {
      this.reject(report, row, text.slice(start, end), unknownCountryReason(this.country));
      return true;
    }
    const scanner = this.scanner;
    const outcome = scanner.scan(text, start, end, region);
    if (outcome === ScanOutcome.Valid) {
      const e164 = scanner.e164();
      if (scanner.lineType !== 'mobile') this.nonMobile(report, row, e164, scanner.lineType);
      return this.distinct(scanner.e164Digits, e164, row, report);
    }
    if (outcome === ScanOutcome.Invalid) {
      this.reject(report, row, text.slice(start, end), scanner.reason);
      return true;
    }
    const verdict = verdictInText(text, start, end, region);
    if (!verdict.ok) {
      this.reject(report, row, text.slice(start, end), verdict.reason);
      return true;
    }
    if (verdict.lineType !== 'mobile') this.nonMobile(report, row, verdict.e164, verdict.lineType);
    return this.distinct(numberKey(verdict.e164), verdict.e164, row, report);
  }

  /** A valid number: queued for de-duplication, or decided at once near the limit (reading stops on the exact row). */
  private distinct(key: number, e164: string, row: number | null, report: SourceReport): boolean {
    const pending = this.pending;
    if (key >= 0 && this.numbers.length + pending.count < this.maxDistinct) {
      pending.push(key, e164, row);
      if (pending.count === PENDING_NUMBERS) this.flush(report);
      return true;
    }
    this.flush(report);
    return this.seen.add(e164) ? this.accept(e164, row, report) : true;
  }

  /** Decides the queued numbers, in order; none can pass the limit (distinct only queues below it). */
  private flush(report: SourceReport): void {
    const pending = this.pending;
    if (pending.count === 0) return;
    this.seen.addKeys(pending.keys, pending.count, pending.fresh);
    for (let index = 0; index < pending.count; index += 1) {
      if (pending.fresh[index] === 1) this.accept(pending.e164s[index]!, pending.rows[index]!, report);
    }
    pending.clear();
  }

  private accept(e164: string, row: number | null, report: SourceReport): boolean {
    if (this.numbers.length >= this.maxDistinct) {
      const limit = this.maxDistinct.toLocaleString('en');
      report.problems.push({
        row,
        message: `more than ${limit} distinct numbers: ${limit} is the limit for one campaign, split the list into several campaigns`,
      });
      return false;
    }
    this.numbers.push(e164);
    report.added += 1;
    return true;
  }

  private reject(report: SourceReport, row: number | null, raw: string, reason: string): void {
    report.rejectedCount += 1;
    if (report.rejected.length < this.keepRejected) report.rejected.push({ row, raw, reason });
  }

  private nonMobile(report: SourceReport, row: number | null, e164: string, lineType: NonMobileRecipient['lineType']): void {
    report.nonMobileCount += 1;
    if (report.nonMobile.length < this.keepNonMobile) report.nonMobile.push({ row, e164, lineType });
  }
}

function emptyReport(): SourceReport {
  return { entries: 0, added: 0, rejectedCount: 0, rejected: [], nonMobileCount: 0, nonMobile: [], problems: [] };
}

/** Valid numbers waiting for de-duplication: enough for their table lookups to overlap, few enough to stay in cache. */
const PENDING_NUMBERS = 64;

/** The queue behind RecipientCollector.flush: each number's key, E.164 text and row, in source order. */
class PendingNumbers {
  count = 0;
  readonly keys = new Float64Array(PENDING_NUMBERS);
  readonly e164s: string[] = [];
  readonly rows: (number | null)[] = [];
  /** Filled by DistinctNumbers.addKeys. */
  readonly fresh = new Uint8Array(PENDING_NUMBERS);

  push(key: number, e164: string, row: number | null): void {
    this.keys[this.count] = key;
    this.e164s[this.count] = e164;
    this.rows[this.count] = row;
    this.count += 1;
  }

  clear(): void {
    this.count = 0;
  }
}
