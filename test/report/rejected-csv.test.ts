import { describe, expect, it } from 'vitest';
import { rejectedCsvLines } from '../../src/report/files.js';

describe('rejected.csv', () => {
  const skipped = [
    { source: 'lists/a.csv', row: 3, reason: 'not a valid phone number for FR', number: '07 12 34 56 78' },
    { source: 'lists/a.csv', row: 5, reason: 'row 5 has no number in column `number`', number: '' },
    { source: 'to[2]', row: null, reason: 'text beside the number (an extension, a note): write the number alone', number: '06 12 "x"' },
  ];

  it('lists source, row, reason and the number as written, quoted where CSV needs it', () => {
    expect([...rejectedCsvLines(skipped, false)].join('')).toBe(
      'source,row,reason,number\r\n' +
        'lists/a.csv,3,not a valid phone number for FR,07 12 34 56 78\r\n' +
        'lists/a.csv,5,row 5 has no number in column `number`,\r\n' +
        'to[2],,"text beside the number (an extension, a note): write the number alone","06 12 ""x"""\r\n',
    );
  });

  it('masks the numbers with --mask-export', () => {
    const text = [...rejectedCsvLines(skipped, true)].join('');
    expect(text).not.toContain('12 34 56');
    expect(text.split('\r\n')[1]).toMatch(/^lists\/a\.csv,3,not a valid phone number for FR,[^,]*•[^,]*78$/);
  });
});
