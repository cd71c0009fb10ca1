import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { readCsvRows, type RecipientReadResult } from '../../src/recipients/sources.js';

/** The reader under test, fed `chunks` one after the other. */
function readChunks(chunks: Uint8Array[]): RecipientReadResult {
  const result: RecipientReadResult = { entries: [], problems: [] };
  readCsvRows(chunks, {
    number: (text, start, end, row) => {
      result.entries.push({ raw: text.slice(start, end), row });
    },
    problem: (problem) => result.problems.push(problem),
  });
  return result;
}

/**
 * The oracle: csv-parse reads the whole file, then the reader's rules apply to its records (header names the column,
 * blank records skipped, a record without a number is a problem at the line it starts on).
 */
function csvParseReference(content: Buffer, delimiter: string): RecipientReadResult {
  const records = parse(content, { delimiter, bom: true, relax_column_count: true, info: true }) as unknown as {
    record: string[];
    info: { bytes: number };
  }[];
  const bytes = content[0] === 0xef ? content.subarray(3) : content;
  const names = records[0]!.record.map((name) => name.trim());
  const column = names.findIndex((name) => name.toLowerCase() === 'number');
  const result: RecipientReadResult = { entries: [], problems: [] };
  let line = 1;
  let offset = 0;
  let recordStart = 0;
  for (const [index, { record, info }] of records.entries()) {
    for (; offset < recordStart; offset += 1) {
      if (bytes[offset] === 0x0a || (bytes[offset] === 0x0d && bytes[offset + 1] !== 0x0a)) line += 1;
    }
    // info.bytes counts from the start of the file, BOM included.
    recordStart = info.bytes - (bytes === content ? 0 : 3);
    if (index === 0 || record.every((cell) => cell.trim() === '')) continue;
    const raw = (record[column] ?? '').trim();
    if (raw === '')
      result.problems.push({ row: line, field: names[column]!, message: `row ${line} has no number in column \`${names[column]}\`` });
    else result.entries.push({ raw, row: line });
  }
  return result;
}

let seed = 12345;
const random = (below: number) => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return Math.floor((seed / 2147483648) * below);
};
const pick = <T>(list: readonly T[]): T => list[random(list.length)]!;

const NUMBERS = [
  '0612345678',
  '+33 6 12 34 56 79',
  '06.12.34.56.70',
  ' 0712345678 ',
  '\u00a0+33612345671\u00a0',
  'x',
  '',
  '   ',
  '06 12 "34" 56',
];
const OTHER = ['Alice', 'Dupont, Jean', 'a; b', 'tab\there', 'says "hi"', 'two\nlines', 'crlf\r\ninside', 'Hélène 🎉', '', '  ', 'x'];

interface ShapeSpec {
  delimiter: ',' | ';' | '\t';
  lineEnd: '\n' | '\r\n';
  bom: boolean;
  columns: number;
  quoteAll: boolean;
}

const SHAPES: Record<string, ShapeSpec> = {
  // A header without a delimiter reads as `;` (OVH's own exports), so a trailing delimiter here is `;`.
  'one-column': { delimiter: ';', lineEnd: '\n', bom: false, columns: 1, quoteAll: false },
  'multi-column': { delimiter: ',', lineEnd: '\n', bom: false, columns: 4, quoteAll: false },
  semicolon: { delimiter: ';', lineEnd: '\n', bom: false, columns: 2, quoteAll: false },
  tab: { delimiter: '\t', lineEnd: '\n', bom: false, columns: 3, quoteAll: false },
  crlf: { delimiter: ',', lineEnd: '\r\n', bom: false, columns: 2, quoteAll: false },
  bom: { delimiter: ';', lineEnd: '\n', bom: true, columns: 2, quoteAll: false },
  quoted: { delimiter: ',', lineEnd: '\r\n', bom: false, columns: 3, quoteAll: true },
};

/** A cell as a CSV writer would put it: quoted when it must be (or always), quotes doubled. */
function cell(text: string, spec: ShapeSpec): string {
  const needsQuotes = text.includes('"') || text.includes(spec.delimiter) || /[\r\n]/.test(text);
  return spec.quoteAll || needsQuotes || random(8) === 0 ? `"${text.replaceAll('"', '""')}"` : text;
}

function generate(spec: ShapeSpec): Buffer {
  const numberColumn = random(spec.columns);
  const header = Array.from({ length: spec.columns }, (_, index) => (index === numberColumn ? 'Number' : `col${index}`));
  const lines = [header.map((name) => cell(name, spec)).join(spec.delimiter)];
  for (let row = 0; row < 40; row += 1) {
    const kind = random(20);
    if (kind === 0) lines.push('');
    else if (kind === 1) lines.push(spec.delimiter.repeat(random(3)));
    else {
      // Fewer cells than the header, or one more (a trailing delimiter), now and then.
      const count = kind === 2 ? random(spec.columns) : kind === 3 ? spec.columns + 1 : spec.columns;
      const cells = Array.from({ length: count }, (_, index) =>
        index === numberColumn ? pick(NUMBERS) : index >= spec.columns ? '' : pick(OTHER),
      );
      lines.push(cells.map((text) => cell(text, spec)).join(spec.delimiter));
    }
  }
  const text = lines.join(spec.lineEnd) + (random(2) === 0 ? spec.lineEnd : '');
  return Buffer.concat([Buffer.from(spec.bom ? [0xef, 0xbb, 0xbf] : []), Buffer.from(text, 'utf8')]);
}

/** Cuts the bytes anywhere: inside a character, between CR and LF, between two quotes. */
function randomChunks(content: Buffer): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let start = 0; start < content.length;) {
    const size = 1 + random(random(2) === 0 ? 4 : 64);
    chunks.push(content.subarray(start, start + size));
    start += size;
  }
  return chunks;
}

describe('the recipient reader against csv-parse', () => {
  for (const [shape, spec] of Object.entries(SHAPES)) {
    it(`gives csv-parse's rows on generated ${shape} files, whole or cut into random chunks`, () => {
      for (let file = 0; file < 60; file += 1) {
        const content = generate(spec);
        const expected = csvParseReference(content, spec.delimiter);
        expect(readChunks([content])).toEqual(expected);
        expect(readChunks(randomChunks(content))).toEqual(expected);
      }
    });
  }

  it('reads a UTF-16 file with its byte order mark (Excel "Unicode text") as its UTF-8 twin', () => {
    for (let file = 0; file < 20; file += 1) {
      const utf8 = generate(SHAPES['tab']!);
      const text = utf8.toString('utf8');
      const littleEndian = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
      const bigEndian = Buffer.from(littleEndian).swap16();
      const expected = readChunks([utf8]);
      expect(readChunks(randomChunks(littleEndian))).toEqual(expected);
      expect(readChunks(randomChunks(bigEndian))).toEqual(expected);
    }
  });

  it('fails where csv-parse fails, naming the row', () => {
    const cases: [string, number][] = [
      ['number;name\n0612345678;"Alice\n0612345679;Bob\n', 2],
      ['number;name\n0612345678;Al"ice\n', 2],
      ['number;name\n0612345678;"Alice"x\n', 2],
      ['number;name\n0612345678;A\n0612345679;"B\nob"\n06"12;C\n', 5],
    ];
    for (const [text, row] of cases) {
      const content = Buffer.from(text);
      expect(() => parse(content, { delimiter: ';', relax_column_count: true })).toThrow();
      for (const chunks of [[content], randomChunks(content)]) {
        const problems = readChunks(chunks).problems;
        expect(problems).toEqual([{ row, message: expect.stringContaining('not a readable CSV') }]);
      }
    }
  });
});
