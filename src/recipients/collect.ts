import { NumberScanner, ScanOutcome, resolveRegion, unknownCountryReason, verdictInText, type LineType } from './numbers/index.js';
import { readCsvRows } from './csv-reader.js';
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
    // Rows usually take 12 to 40 bytes: room for one per 32 bytes (8 bytes of table per 16 of file), then it grows.
    if (content.byteLength !== undefined) this.seen.reserve(content.byteLength / 32);
    const visitor: CsvRowVisitor = {
      number: (text, start, end, row) => this.add(text, start, end, row, report),
      problem: (problem) => report.problems.push(problem),
    };
    readCsvRows(content, visitor);
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
      // The common case: no string is made unless the number is new or worth a warning.
      if (scanner.lineType !== 'mobile') this.nonMobile(report, row, scanner.e164(), scanner.lineType);
      return this.seen.addDigits(scanner.e164Digits) ? this.accept(scanner.e164(), row, report) : true;
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
    return this.seen.add(verdict.e164) ? this.accept(verdict.e164, row, report) : true;
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

/** Digit counts a double holds exactly (2^53 ≈ 9.007e15). */
const MAX_EXACT_DIGITS = 15;
const EMPTY = 0;

/**
 * E.164 numbers seen so far, keyed by their digits read as one integer (unique: E.164 never starts with 0),
 * in an open-addressing table of doubles: no object per number, nothing for the garbage collector to trace.
 * Numbers of more than 15 digits, which no plan in the metadata allows today, keep a string key.
 */
class DistinctNumbers {
  private keys = new Float64Array(1 << 10);
  private size = 0;
  private readonly longNumbers = new Set<string>();

  /** True when `e164` was not in the set yet. */
  add(e164: string): boolean {
    if (e164.length - 1 > MAX_EXACT_DIGITS) {
      const size = this.longNumbers.size;
      this.longNumbers.add(e164);
      return this.longNumbers.size !== size;
    }
    let digits = 0;
    for (let index = 1; index < e164.length; index += 1) digits = digits * 10 + (e164.charCodeAt(index) - 0x30);
    return this.addDigits(digits);
  }

  /** addDigits(33612345678) is add('+33612345678'). */
  addDigits(digits: number): boolean {
    const keys = this.keys;
    const mask = keys.length - 1;
    for (let slot = hash(digits) & mask; ; slot = (slot + 1) & mask) {
      const key = keys[slot]!;
      if (key === digits) return false;
      if (key === EMPTY) {
        keys[slot] = digits;
        this.size += 1;
        // Half full at most, so probes stay short.
        if (this.size * 2 > keys.length) this.grow();
        return true;
      }
    }
  }

  /** Room for about `count` more numbers without growing. */
  reserve(count: number): void {
    let capacity = this.keys.length;
    while (capacity < (this.size + count) * 2) capacity *= 2;
    if (capacity > this.keys.length) this.grow(capacity);
  }

  private grow(capacity = this.keys.length * 2): void {
    const old = this.keys;
    const keys = new Float64Array(capacity);
    const mask = keys.length - 1;
    for (let index = 0; index < old.length; index += 1) {
      const key = old[index]!;
      if (key === EMPTY) continue;
      let slot = hash(key) & mask;
      while (keys[slot] !== EMPTY) slot = (slot + 1) & mask;
      keys[slot] = key;
    }
    this.keys = keys;
  }
}

/** Mixes both 32-bit halves of an integer below 2^53. */
function hash(digits: number): number {
  const low = digits >>> 0;
  const high = (digits / 4294967296) >>> 0;
  let mixed = Math.imul(low ^ Math.imul(high, 0x9e3779b1), 0x85ebca6b);
  mixed ^= mixed >>> 13;
  mixed = Math.imul(mixed, 0xc2b2ae35);
  return mixed ^ (mixed >>> 16);
}
