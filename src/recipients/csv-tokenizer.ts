import { ChunkSearch, isAsciiSpace, isBlank, isUnicodeSpace } from './chunk-search.js';
import type { CsvRowVisitor, RecipientProblem } from './types.js';

const NUMBER_COLUMNS = ['number', 'phone'];
/** Number cells are kept up to this length: longer ones are no number anyway, and must not hold a whole file. */
const MAX_NUMBER_CELL_CHARS = 1024;

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
export class CsvTokenizer {
  private readonly delimiter: number;
  private readonly search: ChunkSearch;
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
  /** …and where it starts in the current chunk (-1: nothing to take from this chunk)… */
  private captureStart = -1;
  /** …and ends, once its closing quote is read (-1: not yet), so that a quoted number is not copied either. */
  private captureEnd = -1;
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
    this.search = new ChunkSearch(delimiter);
  }

  /** Reads one chunk of text; false once reading must stop (an unreadable CSV, or the visitor said so). */
  feed(text: string): boolean {
    const delimiter = this.delimiter;
    const length = text.length;
    let index = 0;
    this.search.reset(text);
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
          // The rest of an unquoted cell, whose blankness matters only until the record has a non-blank character.
          const end = this.search.unquotedCellEnd(index);
          if (this.recordBlank) this.recordBlank = isBlank(text, index, end);
          index = end;
          if (index === length) break;
          code = text.charCodeAt(index);
          if (code === QUOTE) {
            return this.unreadable(
              `a quote inside an unquoted cell on row ${this.line}: quote the whole cell and double the quotes inside it`,
              this.line,
            );
          }
          this.endCell(text, index, code);
          index += 1;
          break;
        }
        case State.Quoted: {
          const close = text.indexOf('"', index);
          const end = close < 0 ? length : close;
          let afterCr = false;
          // Most cells hold no line end: only their first non-blank character needs a look.
          if (!this.search.hasLineEnd(index, end)) {
            for (; this.recordBlank && index < end; index += 1) {
              code = text.charCodeAt(index);
              if (code > 0x20 && !isUnicodeSpace(code)) this.recordBlank = false;
            }
            index = end;
          }
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
            if (this.captureStart >= 0) this.captureEnd = index;
            index += 1;
          }
          break;
        }
        case State.QuoteInQuoted: {
          if (code === QUOTE) {
            // A doubled quote: one quote in the cell, which goes on.
            this.recordBlank = false;
            this.state = State.Quoted;
            this.keepCaptured(text, index);
            if (this.capturing()) this.captureStart = index;
            index += 1;
          } else {
            this.state = State.Closed;
          }
          break;
        }
        case State.Closed: {
          if (code !== delimiter && code !== LF && code !== CR) {
            return this.unreadable(
              `a character after the closing quote of a cell on row ${this.line}: expected a delimiter or a line end`,
              this.line,
            );
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

  /** Moves the captured part of `text` before `end` (or the closing quote) into `captured` (capped for number cells). */
  private keepCaptured(text: string, end: number): void {
    if (this.captureStart < 0) return;
    const captureEnd = this.captureEnd >= 0 ? this.captureEnd : end;
    if (this.layout === null || this.captured.length < MAX_NUMBER_CELL_CHARS) this.captured += text.slice(this.captureStart, captureEnd);
    this.captureStart = -1;
    this.captureEnd = -1;
  }

  /** A cell ends at text[end], on `code`: a delimiter or a line end. */
  private endCell(text: string, end: number, code: number): void {
    if (this.capturing()) {
      if (this.captured === '' && this.captureStart >= 0) {
        // The usual case: the whole cell lies in this chunk, and is not copied.
        this.numberText = text;
        this.numberStart = this.captureStart;
        this.numberEnd = this.captureEnd >= 0 ? this.captureEnd : end;
      } else {
        this.keepCaptured(text, end);
        this.numberText = this.captured;
        this.numberStart = 0;
        this.numberEnd = this.captured.length;
      }
      this.captured = '';
      this.captureStart = -1;
      this.captureEnd = -1;
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
    this.fail({
      row: 1,
      message: `no \`number\` or \`phone\` column in the header (found: ${names.map((name) => JSON.stringify(name)).join(', ')})`,
    });
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
