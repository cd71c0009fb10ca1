import { isAscii } from 'node:buffer';
import { TextDecoder } from 'node:util';

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

/** A CSV's bytes in order: one Buffer (`[buffer]`), or the chunks of a file read as a stream. */
export interface CsvBytes extends Iterable<Uint8Array> {
  /** The total size, when known before reading (a file): lets the collector size its table once. */
  readonly byteLength?: number;
}

const NUMBER_COLUMNS = ['number', 'phone'];
/** In order of preference on a tie: `;` as OVH exports, then `,`, then tab. */
const DELIMITERS = [';', ',', '\t'] as const;
/** A header line longer than this is not a CSV header (a binary file, a file with no line ends). */
const MAX_HEADER_CHARS = 64 * 1024;
/** Number cells are kept up to this length: longer ones are no number anyway, and must not hold a whole file. */
const MAX_NUMBER_CELL_CHARS = 1024;

/**
 * Recipients from a CSV with a header row: the number column is `number` or `phone` (case-insensitive),
 * `;`, `,` or tab separated (detected from the header). Rows are 1-based physical lines, the header being 1.
 * Blank rows are skipped; numbers are returned as written (trimmed): validating them is the caller's job.
 */
export function parseRecipientsCsv(content: Buffer): RecipientReadResult {
  const result: RecipientReadResult = { entries: [], problems: [] };
  readCsvRows([content], {
    number: (text, start, end, row) => {
      result.entries.push({ raw: text.slice(start, end), row });
    },
    problem: (problem) => result.problems.push(problem),
  });
  return result;
}

/** Receives what the CSV reader finds, in file order, without an object per row. */
export interface CsvRowVisitor {
  /** text[start, end) is the trimmed, non-empty number cell of `row`. Returning false stops the reading. */
  number(text: string, start: number, end: number, row: number): boolean | void;
  problem(problem: RecipientProblem): void;
}

/**
 * The reader behind parseRecipientsCsv: one pass over the chunks, each decoded once; what it keeps between chunks
 * is the current number cell, so memory does not grow with the file. Same records as csv-parse with the detected
 * delimiter (a test compares them on every shape), except that LF, CRLF and CR all end a row in one file.
 */
export function readCsvRows(chunks: CsvBytes, visitor: CsvRowVisitor): void {
  const decoder = new ChunkDecoder();
  let tokenizer: CsvTokenizer | null = null;
  let head = '';
  for (const chunk of chunks) {
    const text = decoder.decode(chunk, false);
    if (typeof text !== 'string') return visitor.problem(text);
    if (tokenizer === null) {
      head += text;
      const delimiter = headerDelimiter(head);
      if (delimiter === null) {
        if (head.length > MAX_HEADER_CHARS) return visitor.problem({ row: 1, message: `no line end in the first ${MAX_HEADER_CHARS / 1024} KiB: expected a CSV with a header line` });
        continue;
      }
      tokenizer = new CsvTokenizer(delimiter, visitor);
      if (!tokenizer.feed(head)) return;
      head = '';
    } else if (!tokenizer.feed(text)) {
      return;
    }
  }
  const rest = decoder.decode(new Uint8Array(0), true);
  if (typeof rest !== 'string') return visitor.problem(rest);
  if (tokenizer === null) {
    tokenizer = new CsvTokenizer(headerDelimiter(head + '\n') ?? ';', visitor);
    if (!tokenizer.feed(head + rest)) return;
  } else if (!tokenizer.feed(rest)) {
    return;
  }
  tokenizer.end();
}

/** Text decoding by chunk: UTF-8 (BOM dropped) or UTF-16 with its BOM (Excel's "Unicode text"); binary is refused. */
class ChunkDecoder {
  private decoder: TextDecoder | null = null;
  private utf16 = false;
  private started = false;
  /** The first bytes, until there are enough to tell the encoding. */
  private pending: Uint8Array = new Uint8Array(0);

  decode(chunk: Uint8Array, last: boolean): string | RecipientProblem {
    let bytes = chunk;
    if (!this.started) {
      bytes = concat(this.pending, chunk);
      if (bytes.length < 4 && !last) {
        // A copy: a chunk's buffer may be reused for the next one.
        this.pending = Uint8Array.from(bytes);
        return '';
      }
      this.started = true;
      const skipped = this.open(bytes);
      if (typeof skipped !== 'number') return skipped;
      bytes = bytes.subarray(skipped);
    }
    if (!this.utf16 && bytes.includes(0)) return { row: null, message: 'binary content (NUL bytes): expected a UTF-8 CSV text file' };
    // ASCII, the usual export, is valid UTF-8 as is: Latin-1 decoding makes a one-byte string, the fastest path.
    if (this.decoder === null && isAscii(bytes)) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    try {
      const decoder = (this.decoder ??= new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }));
      const text = decoder.decode(bytes, { stream: !last });
      return this.utf16 && text.includes('\0') ? { row: null, message: 'binary content (NUL characters) in a UTF-16 file' } : text;
    } catch {
      return { row: null, message: `not valid ${this.utf16 ? 'UTF-16' : 'UTF-8'} text: save the CSV as UTF-8` };
    }
  }

  /** Reads the byte order mark: how many bytes to skip, or why the file cannot be read. */
  private open(bytes: Uint8Array): number | RecipientProblem {
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 3;
    const littleEndian = bytes[0] === 0xff && bytes[1] === 0xfe;
    if (littleEndian || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
      this.utf16 = true;
      this.decoder = new TextDecoder(littleEndian ? 'utf-16le' : 'utf-16be', { fatal: true, ignoreBOM: true });
      return 2;
    }
    // Characters with a NUL byte beside each one and no byte order mark: UTF-16 whose byte order is a guess.
    const nulEveryOther = (first: number) => bytes[first] === 0 && bytes[first + 2] === 0 && bytes[first ^ 1] !== 0;
    if (bytes.length >= 4 && (nulEveryOther(0) || nulEveryOther(1))) {
      return { row: null, message: 'UTF-16 text without a byte order mark: save the list as UTF-8 (Excel: "CSV UTF-8")' };
    }
    return 0;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

/**
 * The delimiter of the header line at the start of `text`: the candidate seen most often outside quotes,
 * `;` on a tie or when there is none; null while the header line has not ended yet.
 */
function headerDelimiter(text: string): string | null {
  const counts = new Map<string, number>(DELIMITERS.map((delimiter) => [delimiter, 0]));
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    if (char === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (char === '\n' || char === '\r') {
      let best: string = DELIMITERS[0];
      for (const delimiter of DELIMITERS) if (counts.get(delimiter)! > counts.get(best)!) best = delimiter;
      return best;
    } else if (counts.has(char)) counts.set(char, counts.get(char)! + 1);
  }
  return null;
}

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

enum State {
  /** At the start of a cell, or inside an unquoted one. */
  Unquoted,
  Quoted,
  /** Just after a quote inside a quoted cell: a second quote, a delimiter or a line end must follow. */
  QuoteInQuoted,
  /** After a quoted cell's closing quote. */
  Closed,
}

interface ColumnLayout {
  column: number;
  name: string;
}

/**
 * A CSV state machine fed with text chunks. Between chunks it keeps only its state and the number cell being read
 * (no line is carried over), so a chunk costs its length whatever the shape.
 */
class CsvTokenizer {
  private readonly delimiter: number;
  private state = State.Unquoted;
  /** Physical line (1-based) of the current position, of the current record's start, of the last opening quote. */
  private line = 1;
  private recordLine = 1;
  private quoteLine = 1;
  /** The last character was a CR: an LF right after it ends the same line. */
  private afterCr = false;
  private column = 0;
  /** Whether the current cell has begun (a quote opens a quoted cell only at its start). */
  private cellStarted = false;
  private recordBlank = true;
  /** null while reading the header, whose cells are all kept. */
  private layout: ColumnLayout | null = null;
  private readonly headerCells: string[] = [];
  /** The cell being captured (the number column, or any header cell): its text from earlier chunks… */
  private captured = '';
  /** …and where it starts in the current chunk (-1: nothing to take from this chunk). */
  private captureStart = -1;
  /** The record's number cell once complete: numberText[numberStart, numberEnd). */
  private numberText = '';
  private numberStart = 0;
  private numberEnd = 0;
  private stopped = false;

  constructor(
    delimiter: string,
    private readonly visitor: CsvRowVisitor,
  ) {
    this.delimiter = delimiter.charCodeAt(0);
  }

  /** Reads one chunk of text; false once reading must stop (an unreadable CSV, or the visitor said so). */
  feed(text: string): boolean {
    const delimiter = this.delimiter;
    const length = text.length;
    let index = 0;
    if (this.cellStarted && (this.state === State.Unquoted || this.state === State.Quoted) && this.capturing()) this.captureStart = 0;
    while (index < length && !this.stopped) {
      let code = text.charCodeAt(index);
      if (this.afterCr) {
        this.afterCr = false;
        if (code === LF) {
          index += 1;
          continue;
        }
      }
      switch (this.state) {
        case State.Unquoted: {
          if (!this.cellStarted) {
            this.cellStarted = true;
            if (code === QUOTE) {
              this.state = State.Quoted;
              this.quoteLine = this.line;
              if (this.capturing()) this.captureStart = index + 1;
              index += 1;
              break;
            }
            if (this.capturing()) this.captureStart = index;
          }
          // The hot loop: the rest of an unquoted cell.
          while (code !== delimiter && code !== LF && code !== CR && code !== QUOTE) {
            if (this.recordBlank && code > 0x20 && !isUnicodeSpace(code)) this.recordBlank = false;
            index += 1;
            if (index === length) break;
            code = text.charCodeAt(index);
          }
          if (index === length) break;
          if (code === QUOTE) {
            return this.unreadable(`a quote inside an unquoted cell on row ${this.line}: quote the whole cell and double the quotes inside it`, this.line);
          }
          this.endCell(text, index, code);
          index += 1;
          break;
        }
        case State.Quoted: {
          const close = text.indexOf('"', index);
          const end = close < 0 ? length : close;
          let afterCr = false;
          for (; index < end; index += 1) {
            code = text.charCodeAt(index);
            if (code === LF) {
              if (!afterCr) this.line += 1;
              afterCr = false;
            } else if (code === CR) {
              this.line += 1;
              afterCr = true;
            } else {
              afterCr = false;
              if (this.recordBlank && code > 0x20 && !isUnicodeSpace(code)) this.recordBlank = false;
            }
          }
          if (close < 0) {
            this.afterCr = afterCr;
          } else {
            this.state = State.QuoteInQuoted;
            this.keepCaptured(text, index);
            index += 1;
          }
          break;
        }
        case State.QuoteInQuoted: {
          if (code === QUOTE) {
            // A doubled quote: one quote in the cell, which goes on.
            this.recordBlank = false;
            this.state = State.Quoted;
            if (this.capturing()) this.captureStart = index;
            index += 1;
          } else {
            this.state = State.Closed;
          }
          break;
        }
        case State.Closed: {
          if (code !== delimiter && code !== LF && code !== CR) {
            return this.unreadable(`a character after the closing quote of a cell on row ${this.line}: expected a delimiter or a line end`, this.line);
          }
          this.state = State.Unquoted;
          this.endCell(text, index, code);
          index += 1;
          break;
        }
      }
    }
    if (!this.stopped) this.keepCaptured(text, length);
    return !this.stopped;
  }

  /** The end of the text: the last record may have no line end. */
  end(): void {
    if (this.stopped) return;
    if (this.state === State.Quoted) {
      this.unreadable(`the quote opened on row ${this.quoteLine} is never closed`, this.quoteLine);
      return;
    }
    this.state = State.Unquoted;
    if (this.cellStarted || this.column > 0) this.endCell('', 0, LF);
    else if (this.layout === null) this.fail({ row: 1, message: 'the first line must be a header naming a `number` or `phone` column' });
  }

  private capturing(): boolean {
    return this.layout === null || this.column === this.layout.column;
  }

  /** Moves the captured part of `text` before `end` into `captured` (capped for number cells). */
  private keepCaptured(text: string, end: number): void {
    if (this.captureStart < 0) return;
    if (this.layout === null || this.captured.length < MAX_NUMBER_CELL_CHARS) this.captured += text.slice(this.captureStart, end);
    this.captureStart = -1;
  }

  /** A cell ends at text[end], on `code`: a delimiter or a line end. */
  private endCell(text: string, end: number, code: number): void {
    if (this.capturing()) {
      if (this.captured === '' && this.captureStart >= 0) {
        // The usual case: the whole cell lies in this chunk, and is not copied.
        this.numberText = text;
        this.numberStart = this.captureStart;
        this.numberEnd = end;
      } else {
        this.keepCaptured(text, end);
        this.numberText = this.captured;
        this.numberStart = 0;
        this.numberEnd = this.captured.length;
      }
      this.captured = '';
      this.captureStart = -1;
      if (this.layout === null) this.headerCells.push(this.numberText.slice(this.numberStart, this.numberEnd));
    }
    this.cellStarted = false;
    if (code === this.delimiter) {
      this.column += 1;
      return;
    }
    this.endRecord();
    this.line += 1;
    this.afterCr = code === CR;
    this.recordLine = this.line;
  }

  private endRecord(): void {
    if (this.layout === null) {
      this.readHeader();
    } else {
      const row = this.recordLine;
      const text = this.numberText;
      let start = this.numberStart;
      let end = this.numberEnd;
      while (start < end && isAsciiSpace(text.charCodeAt(start))) start += 1;
      while (end > start && isAsciiSpace(text.charCodeAt(end - 1))) end -= 1;
      if (start < end && text.charCodeAt(start) < 0x80 && text.charCodeAt(end - 1) < 0x80) {
        if (this.visitor.number(text, start, end, row) === false) this.stopped = true;
      } else {
        // Rare: an empty cell, or one that may begin or end with Unicode spaces, which String#trim knows best.
        const raw = text.slice(start, end).trim();
        if (raw !== '') {
          if (this.visitor.number(raw, 0, raw.length, row) === false) this.stopped = true;
        } else if (!this.recordBlank) {
          const name = this.layout.name;
          this.visitor.problem({ row, field: name, message: `row ${row} has no number in column \`${name}\`` });
        }
      }
    }
    this.column = 0;
    this.recordBlank = true;
    this.numberText = '';
    this.numberStart = 0;
    this.numberEnd = 0;
  }

  private readHeader(): void {
    const names = this.headerCells.map((cell) => cell.trim());
    if (names.every((name) => name === '')) {
      this.fail({ row: 1, message: 'the first line must be a header naming a `number` or `phone` column' });
      return;
    }
    for (const wanted of NUMBER_COLUMNS) {
      const column = names.findIndex((name) => name.toLowerCase() === wanted);
      if (column >= 0) {
        this.layout = { column, name: names[column]! };
        return;
      }
    }
    this.fail({ row: 1, message: `no \`number\` or \`phone\` column in the header (found: ${names.map((name) => JSON.stringify(name)).join(', ')})` });
  }

  private unreadable(message: string, row: number): false {
    return this.fail({ row, message: `not a readable CSV: ${message}` });
  }

  private fail(problem: RecipientProblem): false {
    this.visitor.problem(problem);
    this.stopped = true;
    return false;
  }
}

/** The ASCII characters String#trim removes. */
function isAsciiSpace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d);
}

/** Non-ASCII characters String#trim removes (checked only on the rare non-ASCII character). */
function isUnicodeSpace(code: number): boolean {
  return code >= 0x80 && /\s/.test(String.fromCharCode(code));
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
