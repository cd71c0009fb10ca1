import { isAscii } from 'node:buffer';
import { CsvError, parse } from 'csv-parse/sync';

export interface RecipientEntry {
  raw: string;
  /** Where it came from, for messages: the 1-based CSV line (header = 1), the position in an env list, or null. */
  row: number | null;
}

export interface RecipientProblem {
  row: number | null;
  field?: string;
  message: string;
}

export interface RecipientReadResult {
  entries: RecipientEntry[];
  problems: RecipientProblem[];
}

const NUMBER_COLUMNS = ['number', 'phone'];
const DELIMITERS = [';', ','] as const;
type Delimiter = (typeof DELIMITERS)[number];

/**
 * Recipients from a CSV with a header row: the number column is `number` or `phone` (case-insensitive),
 * `;` or `,` separated (detected from the header). Rows are 1-based physical lines, the header being 1.
 * Blank rows are skipped; numbers are returned as written (trimmed): validating them is the caller's job.
 */
export function parseRecipientsCsv(content: Buffer): RecipientReadResult {
  return readCsv(content, 'auto');
}

/** Same as parseRecipientsCsv, choosing the reader: exported for tests that compare the two readers. */
export function readCsv(content: Buffer, reader: 'auto' | 'csv-parse'): RecipientReadResult {
  const result: RecipientReadResult = { entries: [], problems: [] };
  readCsvRows(
    content,
    {
      number: (text, start, end, row) => result.entries.push({ raw: text.slice(start, end), row }),
      problem: (problem) => result.problems.push(problem),
    },
    reader,
  );
  return result;
}

/** Receives what a CSV reader finds, in file order, without an object per row. */
export interface CsvRowVisitor {
  /** text[start, end) is the trimmed, non-empty number cell of `row`. */
  number(text: string, start: number, end: number, row: number): void;
  problem(problem: RecipientProblem): void;
}

/** The reader behind parseRecipientsCsv, handing each number cell to `visitor` as a range of the decoded text. */
export function readCsvRows(content: Buffer, visitor: CsvRowVisitor, reader: 'auto' | 'csv-parse' = 'auto'): void {
  const text = decodeText(content);
  if (typeof text !== 'string') return visitor.problem(text);
  const firstLineEnd = text.search(/\r|\n/);
  const headerLine = firstLineEnd < 0 ? text : text.slice(0, firstLineEnd);
  if (headerLine.trim() === '') {
    return visitor.problem({ row: 1, message: 'the first line must be a header naming a `number` or `phone` column' });
  }
  const layout = findNumberColumn(headerLine);
  if ('message' in layout) return visitor.problem(layout);
  const simple = reader === 'auto' && !text.includes('"') && !hasLoneCarriageReturn(text);
  if (simple) readSimpleLines(text, layout, visitor);
  else readWithCsvParse(text, layout, visitor);
}

/** A CR not followed by LF (old Mac line ends): left to csv-parse. The regex only runs when there is a CR. */
function hasLoneCarriageReturn(text: string): boolean {
  return text.includes('\r') && /\r(?!\n)/.test(text);
}

function decodeText(content: Buffer): string | RecipientProblem {
  if (content.includes(0)) return { row: null, message: 'binary content (NUL bytes): expected a UTF-8 CSV text file' };
  // Plain ASCII, the usual export, is valid UTF-8 as is: latin1 decoding copies it into a one-byte string.
  if (isAscii(content)) return content.toString('latin1');
  try {
    // The decoder also drops a leading byte order mark.
    return new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    return { row: null, message: 'not valid UTF-8 text: save the CSV as UTF-8' };
  }
}

interface ColumnLayout {
  delimiter: Delimiter;
  column: number;
  name: string;
}

function findNumberColumn(headerLine: string): ColumnLayout | RecipientProblem {
  const delimiter = count(headerLine, ',') > count(headerLine, ';') ? ',' : ';';
  const names = headerLine.split(delimiter).map((cell) => cell.trim().replace(/^"(.*)"$/s, '$1').trim());
  for (const wanted of NUMBER_COLUMNS) {
    const column = names.findIndex((name) => name.toLowerCase() === wanted);
    if (column >= 0) return { delimiter, column, name: names[column]! };
  }
  return {
    row: 1,
    message: `no \`number\` or \`phone\` column in the header (found: ${names.map((name) => JSON.stringify(name)).join(', ')})`,
  };
}

function count(text: string, character: string): number {
  return text.split(character).length - 1;
}

/** Quote-free files, the common case, read line by line: same result as csv-parse, several times faster. */
function readSimpleLines(text: string, layout: ColumnLayout, visitor: CsvRowVisitor): void {
  const headerEnd = text.indexOf('\n');
  if (headerEnd < 0) return;
  const delimiter = layout.delimiter;
  let blankRow: RegExp | undefined;
  let row = 2;
  for (let lineStart = headerEnd + 1; lineStart < text.length; row += 1) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const contentEnd = text.charCodeAt(lineEnd - 1) === 0x0d && lineEnd > lineStart ? lineEnd - 1 : lineEnd;
    let cellStart = lineStart;
    for (let column = 0; column < layout.column && cellStart >= 0; column += 1) {
      const next = text.indexOf(delimiter, cellStart);
      cellStart = next < 0 || next >= contentEnd ? -1 : next + 1;
    }
    let cellEnd = cellStart < 0 ? -1 : text.indexOf(delimiter, cellStart);
    if (cellEnd < 0 || cellEnd > contentEnd) cellEnd = contentEnd;
    if (cellStart >= 0) {
      while (cellStart < cellEnd && isAsciiSpace(text.charCodeAt(cellStart))) cellStart += 1;
      while (cellEnd > cellStart && isAsciiSpace(text.charCodeAt(cellEnd - 1))) cellEnd -= 1;
    }
    if (cellStart >= 0 && cellStart < cellEnd && text.charCodeAt(cellStart) < 0x80 && text.charCodeAt(cellEnd - 1) < 0x80) {
      visitor.number(text, cellStart, cellEnd, row);
    } else {
      // Rare: an empty cell, or one that may end in Unicode spaces, which String#trim knows best.
      const raw = cellStart < 0 ? '' : text.slice(cellStart, cellEnd).trim();
      if (raw !== '') {
        visitor.number(raw, 0, raw.length, row);
      } else {
        blankRow ??= new RegExp(`^[\\s${delimiter}]*$`);
        if (!blankRow.test(text.slice(lineStart, lineEnd))) visitor.problem(missingNumber(row, layout));
      }
    }
    lineStart = lineEnd + 1;
  }
}

/** The ASCII characters String#trim removes. */
function isAsciiSpace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d);
}

function readWithCsvParse(text: string, layout: ColumnLayout, visitor: CsvRowVisitor): void {
  const bytes = Buffer.from(text, 'utf8');
  let records: { record: string[]; info: { bytes: number } }[];
  try {
    records = parse(bytes, { delimiter: layout.delimiter, relax_column_count: true, info: true }) as unknown as typeof records;
  } catch (error) {
    if (error instanceof CsvError) {
      const { lines, bytes_records: recordsEnd } = error as CsvError & { lines?: number; bytes_records?: number };
      // csv-parse names the line where it gave up; an unclosed quote opened right after the last whole record.
      if (error.code === 'CSV_QUOTE_NOT_CLOSED' && typeof recordsEnd === 'number') {
        const row = new LineCounter(bytes).lineAt(recordsEnd);
        return visitor.problem({ row, message: `not a readable CSV: the quote opened on row ${row} is never closed` });
      }
      return visitor.problem({ row: typeof lines === 'number' ? lines : null, message: `not a readable CSV: ${error.message}` });
    }
    throw error;
  }
  const lines = new LineCounter(bytes);
  let recordStart = 0;
  for (const [index, { record, info }] of records.entries()) {
    const row = lines.lineAt(recordStart);
    recordStart = info.bytes;
    if (index > 0) visitRow(record, row, layout, visitor);
  }
}

function visitRow(cells: string[], row: number, layout: ColumnLayout, visitor: CsvRowVisitor): void {
  if (cells.every((cell) => cell.trim() === '')) return;
  const raw = (cells[layout.column] ?? '').trim();
  if (raw === '') visitor.problem(missingNumber(row, layout));
  else visitor.number(raw, 0, raw.length, row);
}

function missingNumber(row: number, layout: ColumnLayout): RecipientProblem {
  return { row, field: layout.name, message: `row ${row} has no number in column \`${layout.name}\`` };
}

/** 1-based physical line of a byte offset; offsets must be asked in increasing order. */
class LineCounter {
  private offset = 0;
  private line = 1;

  constructor(private readonly bytes: Buffer) {}

  lineAt(target: number): number {
    const LF = 0x0a;
    const CR = 0x0d;
    for (; this.offset < target; this.offset += 1) {
      const byte = this.bytes[this.offset];
      if (byte === LF || (byte === CR && this.bytes[this.offset + 1] !== LF)) this.line += 1;
    }
    return this.line;
  }
}

/** Recipients from an environment variable: numbers separated by commas or newlines; row = position in the list. */
export function parseRecipientsEnv(name: string, env: Record<string, string | undefined>): RecipientReadResult {
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    return {
      entries: [],
      problems: [{ row: null, message: `environment variable ${name} is ${value === undefined ? 'not set' : 'empty'}` }],
    };
  }
  const entries = value
    .split(/\r\n|[\n\r,]/)
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((raw, index) => ({ raw, row: index + 1 }));
  return { entries, problems: [] };
}
