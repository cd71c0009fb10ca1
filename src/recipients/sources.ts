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
  const text = decodeText(content);
  if (typeof text !== 'string') return { entries: [], problems: [text] };
  const firstLineEnd = text.search(/\r|\n/);
  const headerLine = firstLineEnd < 0 ? text : text.slice(0, firstLineEnd);
  if (headerLine.trim() === '') {
    return { entries: [], problems: [{ row: 1, message: 'the first line must be a header naming a `number` or `phone` column' }] };
  }
  const layout = findNumberColumn(headerLine);
  if ('message' in layout) return { entries: [], problems: [layout] };
  const simple = reader === 'auto' && !text.includes('"') && !/\r(?!\n)/.test(text);
  return simple ? readSimpleLines(text, layout) : readWithCsvParse(text, layout);
}

function decodeText(content: Buffer): string | RecipientProblem {
  if (content.includes(0)) return { row: null, message: 'binary content (NUL bytes): expected a UTF-8 CSV text file' };
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
function readSimpleLines(text: string, layout: ColumnLayout): RecipientReadResult {
  const result: RecipientReadResult = { entries: [], problems: [] };
  const blankRow = new RegExp(`^[\\s${layout.delimiter}]*$`);
  const headerEnd = text.indexOf('\n');
  if (headerEnd < 0) return result;
  let row = 2;
  for (let lineStart = headerEnd + 1; lineStart < text.length; row += 1) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const contentEnd = text.charCodeAt(lineEnd - 1) === 0x0d && lineEnd > lineStart ? lineEnd - 1 : lineEnd;
    const raw = cellAt(text, lineStart, contentEnd, layout).trim();
    if (raw !== '') result.entries.push({ raw, row });
    else if (!blankRow.test(text.slice(lineStart, lineEnd))) result.problems.push(missingNumber(row, layout));
    lineStart = lineEnd + 1;
  }
  return result;
}

/** The cell of the number column in text[start, end), without splitting the whole line. */
function cellAt(text: string, start: number, end: number, layout: ColumnLayout): string {
  let cellStart = start;
  for (let column = 0; column < layout.column; column += 1) {
    const next = text.indexOf(layout.delimiter, cellStart);
    if (next < 0 || next >= end) return '';
    cellStart = next + 1;
  }
  const cellEnd = text.indexOf(layout.delimiter, cellStart);
  return text.slice(cellStart, cellEnd < 0 || cellEnd > end ? end : cellEnd);
}

function readWithCsvParse(text: string, layout: ColumnLayout): RecipientReadResult {
  const result: RecipientReadResult = { entries: [], problems: [] };
  const bytes = Buffer.from(text, 'utf8');
  let records: { record: string[]; info: { bytes: number } }[];
  try {
    records = parse(bytes, { delimiter: layout.delimiter, relax_column_count: true, info: true }) as unknown as typeof records;
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      result.problems.push({ row: typeof line === 'number' ? line : null, message: `not a readable CSV: ${error.message}` });
      return result;
    }
    throw error;
  }
  const lines = new LineCounter(bytes);
  let recordStart = 0;
  for (const [index, { record, info }] of records.entries()) {
    const row = lines.lineAt(recordStart);
    recordStart = info.bytes;
    if (index > 0) addRow(result, record, row, layout);
  }
  return result;
}

function addRow(result: RecipientReadResult, cells: string[], row: number, layout: ColumnLayout): void {
  if (cells.every((cell) => cell.trim() === '')) return;
  const raw = (cells[layout.column] ?? '').trim();
  if (raw === '') result.problems.push(missingNumber(row, layout));
  else result.entries.push({ raw, row });
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
