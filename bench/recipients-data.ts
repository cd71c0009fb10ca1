/** Deterministic test data for the recipient benchmarks: French mobile numbers in the shapes people type and export. */
import { closeSync, openSync, writeSync } from 'node:fs';
import { seededRandom } from '../test/support/seeded-random.js';

/** The file layouts CRMs and spreadsheets export. */
export const SHAPES = ['one-column', 'multi-column', 'semicolon', 'tab', 'crlf', 'bom', 'quoted'] as const;
export type Shape = (typeof SHAPES)[number];

export interface GeneratedList {
  rows: number;
  bytes: number;
  invalid: number;
  duplicates: number;
}

/** Allocated French mobile prefixes (national significant number, after the 0). */
const MOBILE_PREFIXES = [
  ...['60', '61', '62', '64', '65', '66', '67', '68'],
  ...['630', '631', '632', '633', '634', '635', '636', '637', '638', '695', '698', '699'],
  ...['73', '74', '75', '76', '77', '78', '79'],
];
/** Unallocated or malformed: 070-072 and 0639 ranges, wrong lengths, stray letters. */
const INVALID_SHAPES = ['70', '71', '72', '639'];

/** The numbers of a list, as written, about 3 % invalid and 3 % repeated: the same sequence for every shape. */
export function* generateNumbers(rows: number, seed: number, counts = { invalid: 0, duplicates: 0 }): Generator<string> {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const digits = (count: number) => {
    let text = '';
    for (let index = 0; index < count; index += 1) text += Math.floor(random() * 10);
    return text;
  };
  const pairs = (national: string) => `0${national}`.replace(/(\d{2})(?=\d)/g, '$1 ');
  const written = (national: string): string => {
    const shape = random();
    if (shape < 0.3) return `+33${national}`;
    if (shape < 0.6) return pairs(national);
    if (shape < 0.85) return `0${national}`;
    if (shape < 0.95) return pairs(national).replaceAll(' ', '.');
    return `+33 ${national[0]} ${national.slice(1).replace(/(\d{2})(?=\d)/g, '$1 ')}`;
  };
  // Repeats are drawn from a bounded window of recent numbers: memory stays flat however long the list.
  const recent: string[] = [];
  for (let row = 0; row < rows; row += 1) {
    const kind = random();
    if (kind < 0.03 && recent.length > 0) {
      counts.duplicates += 1;
      yield written(pick(recent));
    } else if (kind < 0.06) {
      counts.invalid += 1;
      const shape = random();
      if (shape < 0.6) {
        const prefix = pick(INVALID_SHAPES);
        yield written(prefix + digits(9 - prefix.length));
      } else if (shape < 0.8) yield `06${digits(random() < 0.5 ? 7 : 9)}`;
      else yield `06 12 ${digits(2)} O${digits(1)} ${digits(2)}`;
    } else {
      const prefix = pick(MOBILE_PREFIXES);
      const national = prefix + digits(9 - prefix.length);
      if (recent.length < 65_536) recent.push(national);
      else recent[Math.floor(random() * recent.length)] = national;
      yield written(national);
    }
  }
}

/** One line (without its line end) per row of `shape`; row is 1-based among the data rows. */
function header(shape: Shape): string {
  switch (shape) {
    case 'one-column':
      return 'number';
    case 'multi-column':
      return 'id,first_name,number,email';
    case 'semicolon':
      return 'number;name';
    case 'tab':
      return 'first_name\tlast_name\tphone';
    case 'crlf':
      return 'number,name';
    case 'bom':
      return '\uFEFFnumber;name';
    case 'quoted':
      return '"number","name","note"';
  }
}

function line(shape: Shape, number: string, row: number): string {
  switch (shape) {
    case 'one-column':
      return number;
    case 'multi-column':
      return `${row},Client ${row},${number},client${row}@example.com`;
    case 'semicolon':
    case 'bom':
      return `${number};Client ${row}`;
    case 'tab':
      return `Client\tNumber ${row}\t${number}`;
    case 'crlf':
      return `${number},Client ${row}`;
    case 'quoted': {
      // Delimiters, doubled quotes and line breaks inside cells, on some rows.
      const note = row % 10 === 0 ? 'said ""call me, later""\nsecond line' : row % 3 === 0 ? 'a; b, c' : '';
      return `"${number}","Dupont, Client ${row}","${note}"`;
    }
  }
}

/** Writes a list of `rows` numbers in `shape` to `file`, streaming (bounded memory at any size). */
export function writeRecipientsCsv(file: string, shape: Shape, rows: number, seed: number): GeneratedList {
  const counts = { invalid: 0, duplicates: 0 };
  const end = shape === 'crlf' ? '\r\n' : '\n';
  const descriptor = openSync(file, 'w');
  let bytes = 0;
  try {
    let pending = header(shape) + end;
    let row = 0;
    for (const number of generateNumbers(rows, seed, counts)) {
      row += 1;
      pending += line(shape, number, row) + end;
      if (pending.length > 1 << 20) {
        bytes += writeSync(descriptor, pending);
        pending = '';
      }
    }
    bytes += writeSync(descriptor, pending);
  } finally {
    closeSync(descriptor);
  }
  return { rows, bytes, ...counts };
}
