import { describe, expect, it } from 'vitest';
import { maskPhoneNumber, maskPhoneNumbersInText, parseRecipientsCsv, parseRecipientsEnv } from '../../src/recipients/index.js';
import { readCsvRows, type RecipientReadResult } from '../../src/recipients/sources.js';

const csv = (text: string) => parseRecipientsCsv(Buffer.from(text, 'utf8'));

describe('parseRecipientsCsv', () => {
  it('reads a `;` file with a `number` column', () => {
    expect(csv('name;number\nAlice;06 12 34 56 78\nBob;+33 7 00 00 00 00\n')).toEqual({
      entries: [
        { raw: '06 12 34 56 78', row: 2 },
        { raw: '+33 7 00 00 00 00', row: 3 },
      ],
      problems: [],
    });
  });

  it('reads a `,` file with a `Phone` column (case-insensitive)', () => {
    expect(csv('Phone,Name\n+33612345678,Alice\n0612345679,Bob').entries).toEqual([
      { raw: '+33612345678', row: 2 },
      { raw: '0612345679', row: 3 },
    ]);
  });

  it('reads a tab-separated file (the delimiter seen most in the header wins)', () => {
    expect(csv('first name\tlast; name\tphone\nAnn\tLee; Jr\t0612345678\n').entries).toEqual([{ raw: '0612345678', row: 2 }]);
  });

  it('reads a one-column file with CR line ends', () => {
    expect(csv('number\r0612345678\r\r0612345679').entries).toEqual([
      { raw: '0612345678', row: 2 },
      { raw: '0612345679', row: 4 },
    ]);
  });

  it('refuses UTF-16 without a byte order mark, naming the encoding', () => {
    expect(parseRecipientsCsv(Buffer.from('number\n0612345678\n', 'utf16le'))).toEqual({
      entries: [],
      problems: [{ row: null, message: 'UTF-16 text without a byte order mark: save the list as UTF-8 (Excel: "CSV UTF-8")' }],
    });
  });

  it('prefers `number` over `phone`', () => {
    expect(csv('phone;number\n111;222\n').entries).toEqual([{ raw: '222', row: 2 }]);
  });

  it('reads quoted fields, with delimiters and line breaks inside, keeping physical line numbers', () => {
    const result = csv('"number";"note"\n"06 12 34 56 78";"a; b"\n"0612345679";"two\nlines"\n"+33612345670";"x ""quoted"""\n');
    expect(result).toEqual({
      entries: [
        { raw: '06 12 34 56 78', row: 2 },
        { raw: '0612345679', row: 3 },
        { raw: '+33612345670', row: 5 },
      ],
      problems: [],
    });
  });

  it('reads a quoted number cell the same wherever the chunks are cut, doubled quotes and blank cells included', () => {
    const text =
      'id;"number";note\r\n1;"06 12 34 56 78";x\r\n2;"+33 6 ""12"" 34";"a\nb"\r\n3;"";y\r\n4;" 06 12 ";\r\n;"  ";\r\n5;"0612345679"';
    const whole = csv(text);
    expect(whole.entries).toEqual([
      { raw: '06 12 34 56 78', row: 2 },
      { raw: '+33 6 "12" 34', row: 3 },
      { raw: '06 12', row: 6 },
      { raw: '0612345679', row: 8 },
    ]);
    expect(whole.problems).toEqual([{ row: 5, field: 'number', message: 'row 5 has no number in column `number`' }]);
    const bytes = Buffer.from(text, 'utf8');
    for (let cut = 1; cut < bytes.length; cut += 1) {
      const result: RecipientReadResult = { entries: [], problems: [] };
      readCsvRows([bytes.subarray(0, cut), bytes.subarray(cut)], {
        number: (cell, start, end, row) => {
          result.entries.push({ raw: cell.slice(start, end), row });
        },
        problem: (problem) => result.problems.push(problem),
      });
      expect([cut, result]).toEqual([cut, whole]);
    }
  });

  it('drops a byte order mark and reads CRLF line ends', () => {
    const result = parseRecipientsCsv(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('number;name\r\n0612345678;A\r\n0612345679;B\r\n')]),
    );
    expect(result).toEqual({
      entries: [
        { raw: '0612345678', row: 2 },
        { raw: '0612345679', row: 3 },
      ],
      problems: [],
    });
  });

  it('skips empty rows and still counts them as lines', () => {
    expect(csv('number;name\n\n0612345678;A\n;\n   \n0612345679;B\n').entries).toEqual([
      { raw: '0612345678', row: 3 },
      { raw: '0612345679', row: 6 },
    ]);
  });

  it('reports a row whose number cell is empty, with its line', () => {
    expect(csv('name;number\nAlice;0612345678\nBob;\nCarol\n')).toEqual({
      entries: [{ raw: '0612345678', row: 2 }],
      problems: [
        { row: 3, field: 'number', message: 'row 3 has no number in column `number`' },
        { row: 4, field: 'number', message: 'row 4 has no number in column `number`' },
      ],
    });
  });

  it('returns a bad number as written: validating is the caller’s job', () => {
    expect(csv('number\nnot a number\n+33712345678\n')).toEqual({
      entries: [
        { raw: 'not a number', row: 2 },
        { raw: '+33712345678', row: 3 },
      ],
      problems: [],
    });
  });

  it('reports a missing number column once', () => {
    expect(csv('name;mobile\nAlice;0612345678\n')).toEqual({
      entries: [],
      problems: [{ row: 1, message: 'no `number` or `phone` column in the header (found: "name", "mobile")' }],
    });
  });

  it('reports an empty file', () => {
    const result = csv('');
    expect(result.entries).toEqual([]);
    expect(result.problems).toHaveLength(1);
  });

  it('rejects binary content (NUL bytes) once', () => {
    const result = parseRecipientsCsv(Buffer.from([0x6e, 0x75, 0x6d, 0x00, 0x01, 0x02, 0x0a, 0x30]));
    expect(result.entries).toEqual([]);
    expect(result.problems).toEqual([{ row: null, message: expect.stringContaining('binary') }]);
  });

  it('rejects invalid UTF-8 once', () => {
    const latin1 = Buffer.from('number;nom\n0612345678;Hélène\n', 'latin1');
    expect(parseRecipientsCsv(latin1)).toEqual({ entries: [], problems: [{ row: null, message: expect.stringContaining('UTF-8') }] });
  });

  it('reports an unterminated quote on the row where it opens, not where parsing gave up', () => {
    const result = csv('number;name\n0612345678;"Alice\n0612345679;Bob\n0612345680;Carol\n');
    expect(result.entries).toEqual([]);
    expect(result.problems).toEqual([{ row: 2, message: 'not a readable CSV: the quote opened on row 2 is never closed' }]);
  });
});

describe('parseRecipientsEnv', () => {
  it('splits on commas and newlines, numbering positions', () => {
    expect(parseRecipientsEnv('TEST_TO', { TEST_TO: '+33612345678, 06 12 34 56 79\n0612345670\r\n,\n' })).toEqual({
      entries: [
        { raw: '+33612345678', row: 1 },
        { raw: '06 12 34 56 79', row: 2 },
        { raw: '0612345670', row: 3 },
      ],
      problems: [],
    });
  });

  it('reports an unset variable', () => {
    expect(parseRecipientsEnv('TEST_TO', {})).toEqual({
      entries: [],
      problems: [{ row: null, message: 'environment variable TEST_TO is not set' }],
    });
  });

  it('reports an empty variable', () => {
    expect(parseRecipientsEnv('TEST_TO', { TEST_TO: ' \n' }).problems).toEqual([
      { row: null, message: 'environment variable TEST_TO is empty' },
    ]);
  });
});

describe('maskPhoneNumber', () => {
  it.each([
    ['+33612345678', '+33 6•• ••• •78'],
    ['+262692123456', '+262 6•• ••• •56'],
    ['+12025550123', '+1 2 ••• ••• •23'],
  ])('%s → %s', (e164, masked) => {
    expect(maskPhoneNumber(e164)).toBe(masked);
  });

  it('never shows more than the calling code, one leading and two trailing digits', () => {
    const masked = maskPhoneNumber('+447700900123');
    expect(masked.replace(/\D/g, '')).toBe('44' + '7' + '23');
  });

  it('masks input that is not E.164 too', () => {
    expect(maskPhoneNumber('0612345678')).toBe('• ••• ••• •78');
  });

  it('leaves a masked number as it is, so the kept digits survive a second pass', () => {
    const once = maskPhoneNumber('+33612345691');
    expect(maskPhoneNumber(once)).toBe(once);
    expect(maskPhoneNumbersInText(`receiver ${once} refused`)).toBe(`receiver ${once} refused`);
  });
});
