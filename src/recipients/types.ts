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

/** Receives what the CSV reader finds, in file order, without an object per row. */
export interface CsvRowVisitor {
  /** text[start, end) is the trimmed, non-empty number cell of `row`. Returning false stops the reading. */
  number(text: string, start: number, end: number, row: number): boolean | void;
  problem(problem: RecipientProblem): void;
}
