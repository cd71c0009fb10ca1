import { CsvTokenizer } from './csv-tokenizer.js';
import { ChunkDecoder } from './text-decoding.js';
import type { CsvBytes, CsvRowVisitor } from './types.js';

/** In order of preference on a tie: `;` as OVH exports, then `,`, then tab. */
const DELIMITERS = [';', ',', '\t'] as const;
/** A header line longer than this is not a CSV header (a binary file, a file with no line ends). */
const MAX_HEADER_CHARS = 64 * 1024;

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
        if (head.length > MAX_HEADER_CHARS)
          return visitor.problem({
            row: 1,
            message: `no line end in the first ${MAX_HEADER_CHARS / 1024} KiB: expected a CSV with a header line`,
          });
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
