/**
 * The next LF, CR, delimiter and quote in one chunk of text, each found by a native search and searched again only
 * once it has been passed: the end of a cell costs a few native searches per row instead of a look at each character.
 */
export class ChunkSearch {
  private text = '';
  /** Positions at or after the last one asked about (the chunk's length: none left; -1: not searched yet). */
  private nextLf = -1;
  private nextCr = -1;
  private nextDelimiter = -1;
  private nextQuote = -1;

  constructor(private readonly delimiter: string) {}

  /** Starts on a new chunk: positions asked about from now on only grow. */
  reset(text: string): void {
    this.text = text;
    this.nextLf = -1;
    this.nextCr = -1;
    this.nextDelimiter = -1;
    this.nextQuote = -1;
  }

  /** Whether text[from, to) holds a line end. */
  hasLineEnd(from: number, to: number): boolean {
    if (this.nextLf < from) this.nextLf = this.search('\n', from);
    if (this.nextCr < from) this.nextCr = this.search('\r', from);
    return this.nextLf < to || this.nextCr < to;
  }

  /** Where the unquoted cell at `from` ends: its delimiter, line end or (misplaced) quote, or the chunk's end. */
  unquotedCellEnd(from: number): number {
    if (this.nextDelimiter < from) this.nextDelimiter = this.search(this.delimiter, from);
    if (this.nextQuote < from) this.nextQuote = this.search('"', from);
    if (this.nextLf < from) this.nextLf = this.search('\n', from);
    if (this.nextCr < from) this.nextCr = this.search('\r', from);
    return Math.min(this.nextDelimiter, this.nextQuote, this.nextLf, this.nextCr);
  }

  private search(searched: string, from: number): number {
    const index = this.text.indexOf(searched, from);
    return index < 0 ? this.text.length : index;
  }
}

/** Whether text[from, to) has only characters String#trim removes (stops at the first other one). */
export function isBlank(text: string, from: number, to: number): boolean {
  for (let index = from; index < to; index += 1) {
    const code = text.charCodeAt(index);
    if (code > 0x20 && !isUnicodeSpace(code)) return false;
  }
  return true;
}

/** The ASCII characters String#trim removes. */
export function isAsciiSpace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d);
}

/** Non-ASCII characters String#trim removes (checked only on the rare non-ASCII character). */
export function isUnicodeSpace(code: number): boolean {
  return code >= 0x80 && /\s/.test(String.fromCharCode(code));
}
