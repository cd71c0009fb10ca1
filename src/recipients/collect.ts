import { NumberScanner, ScanOutcome, resolveRegion, unknownCountryReason, verdictInText, type LineType } from './phone-number.js';
import { readCsvRows, type CsvRowVisitor, type RecipientReadResult, type RecipientProblem } from './sources.js';

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
  rejected: RejectedRecipient[];
  /** Valid but not mobile (every occurrence, duplicates included). */
  nonMobile: NonMobileRecipient[];
  /** Problems reading the source itself (no number column, a row without a number, not UTF-8…). */
  problems: RecipientProblem[];
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

  constructor(private readonly country: string | null) {
    this.region = resolveRegion(country);
  }

  /** A CSV source (see parseRecipientsCsv for the format and row numbers). */
  addCsv(content: Buffer): SourceReport {
    const report = emptyReport();
    // Rows usually take 12 to 40 bytes: room for one per 32 bytes (8 bytes of table per 16 of file), then it grows.
    this.seen.reserve(content.length / 32);
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
      this.add(text, 0, text.length, row, report);
    }
    return report;
  }

  private add(text: string, start: number, end: number, row: number | null, report: SourceReport): void {
    report.entries += 1;
    const region = this.region;
    if (region === undefined) {
      report.rejected.push({ row, raw: text.slice(start, end), reason: unknownCountryReason(this.country) });
      return;
    }
    const scanner = this.scanner;
    const outcome = scanner.scan(text, start, end, region);
    if (outcome === ScanOutcome.Valid) {
      // The common case: no string is made unless the number is new or worth a warning.
      if (scanner.lineType !== 'mobile') report.nonMobile.push({ row, e164: scanner.e164(), lineType: scanner.lineType });
      if (this.seen.addDigits(scanner.e164Digits)) this.keep(scanner.e164(), report);
    } else if (outcome === ScanOutcome.Invalid) {
      report.rejected.push({ row, raw: text.slice(start, end), reason: scanner.reason });
    } else {
      const verdict = verdictInText(text, start, end, region);
      if (!verdict.ok) {
        report.rejected.push({ row, raw: text.slice(start, end), reason: verdict.reason });
        return;
      }
      if (verdict.lineType !== 'mobile') report.nonMobile.push({ row, e164: verdict.e164, lineType: verdict.lineType });
      if (this.seen.add(verdict.e164)) this.keep(verdict.e164, report);
    }
  }

  private keep(e164: string, report: SourceReport): void {
    this.numbers.push(e164);
    report.added += 1;
  }
}

function emptyReport(): SourceReport {
  return { entries: 0, added: 0, rejected: [], nonMobile: [], problems: [] };
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
