import { describe, expect, it } from 'vitest';
import { RecipientCollector, normalizePhoneNumber, parseRecipientsCsv } from '../../src/recipients/index.js';
import { NumberScanner, ScanOutcome } from '../../src/recipients/numbers/index.js';

const csv = (text: string) => [Buffer.from(text, 'utf8')];

describe('RecipientCollector', () => {
  it('validates, normalises and de-duplicates a CSV, keeping rows for the messages', () => {
    const collector = new RecipientCollector('FR');
    const report = collector.addCsv(
      csv(
        'name;number\nA;06 12 34 56 78\nB;+33612345678\nC;07 12 34 56 78\nD;01 42 68 53 00\nE;0612345679\n\nF;\nG;06.12.34.56.78\nH;09 12 34 56 78\n',
      ),
    );
    expect(collector.numbers).toEqual(['+33612345678', '+33142685300', '+33612345679', '+33912345678']);
    expect(report).toEqual({
      entries: 7,
      added: 4,
      rejectedCount: 1,
      rejected: [{ row: 4, raw: '07 12 34 56 78', reason: 'not a valid phone number for FR' }],
      nonMobileCount: 2,
      nonMobile: [
        { row: 5, e164: '+33142685300', lineType: 'fixed-line' },
        { row: 10, e164: '+33912345678', lineType: 'other' },
      ],
      problems: [{ row: 8, field: 'number', message: 'row 8 has no number in column `number`' }],
    });
  });

  it('de-duplicates across sources and counts only new numbers as added', () => {
    const collector = new RecipientCollector('FR');
    collector.addEntries({ entries: [{ raw: ' +33 6 12 34 56 78 ', row: 0 }], problems: [] });
    const report = collector.addCsv(csv('number\n0612345678\n+33612345679\n'));
    expect(report.added).toBe(1);
    expect(collector.numbers).toEqual(['+33612345678', '+33612345679']);
  });

  it('sees the same number as one whichever path decided it', () => {
    const collector = new RecipientCollector('FR');
    // `+33 (0)6…` and `0033…` go through libphonenumber-js itself, the others through the digit scanner.
    const report = collector.addCsv(csv('number\n+33 (0)6 12 34 56 78\n06 12 34 56 78\n0033612345678\n+33612345678\n'));
    expect(collector.numbers).toEqual(['+33612345678']);
    expect(report).toMatchObject({ entries: 4, added: 1, rejected: [] });
  });

  it('keeps every distinct number while its table grows', () => {
    const collector = new RecipientCollector('FR');
    const entries = Array.from({ length: 5000 }, (_, index) => ({ raw: `060${String(index * 1997).padStart(7, '0')}`, row: index }));
    expect(collector.addEntries({ entries, problems: [] }).added).toBe(5000);
    expect(new Set(collector.numbers).size).toBe(5000);
    expect(collector.numbers[4999]).toBe(`+3360${String(4999 * 1997).padStart(7, '0')}`);
    expect(collector.addEntries({ entries: [...entries].reverse(), problems: [] }).added).toBe(0);
  });

  it('reads quoted CSV files the same way', () => {
    const collector = new RecipientCollector('FR');
    const report = collector.addCsv(csv('"number";"note"\n"06 12 34 56 78";"two\nlines"\n"0712345678";"x"\n'));
    expect(collector.numbers).toEqual(['+33612345678']);
    expect(report.rejected).toEqual([{ row: 4, raw: '0712345678', reason: 'not a valid phone number for FR' }]);
  });

  it('refuses every number for an unknown country, and national numbers without a country', () => {
    expect(new RecipientCollector('XX').addCsv(csv('number\n0612345678\n')).rejected).toEqual([
      { row: 2, raw: '0612345678', reason: 'unknown country "XX"' },
    ]);
    const noCountry = new RecipientCollector(null);
    const report = noCountry.addCsv(csv('number\n0612345678\n+33612345678\n'));
    expect(report.rejected.map((rejected) => rejected.reason)).toEqual(['national number without `country`']);
    expect(noCountry.numbers).toEqual(['+33612345678']);
  });

  it('gives normalizePhoneNumber’s verdict and the baseline’s distinct numbers on a mixed file', () => {
    let seed = 99;
    const random = (below: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor((seed / 2147483648) * below);
    };
    const digits = (count: number) => Array.from({ length: count }, () => String(random(10))).join('');
    const shapes = [
      () => `06${digits(8)}`,
      () => `+33 7 ${digits(2)} ${digits(2)} ${digits(2)} ${digits(2)}`,
      () => `0${random(10)}.${digits(2)}.${digits(2)}.${digits(2)}.${digits(2)}`,
      () => `+${['33', '262', '44', '1', '590', '39'][random(6)]}${digits(6 + random(6))}`,
      () => `0${digits(7 + random(4))}`,
      () => `0033${digits(9)}`,
      () => `06 ${digits(2)} O${digits(1)} ${digits(4)}`,
      () => `06${random(10)}${random(10)}${digits(2)}${digits(4)}`,
    ];
    const pool = Array.from({ length: 400 }, () => shapes[random(shapes.length)]!());
    const rows = Array.from({ length: 3000 }, () => pool[random(pool.length)]!);
    const content = csv(`number;name\n${rows.map((raw, index) => `${raw};N${index}`).join('\n')}\n`);

    for (const country of ['FR', 'GB', null]) {
      const collector = new RecipientCollector(country, { keepRejected: Infinity });
      const report = collector.addCsv(content);
      const expected = new Set<string>();
      const rejected: { row: number | null; raw: string; reason: string }[] = [];
      for (const { raw, row } of parseRecipientsCsv(content[0]!).entries) {
        const verdict = normalizePhoneNumber(raw, country);
        if (verdict.ok) expected.add(verdict.e164);
        else rejected.push({ row, raw, reason: verdict.reason });
      }
      expect(collector.numbers).toEqual([...expected]);
      expect(report.rejected).toEqual(rejected);
      expect(report.entries).toBe(rows.length);
    }
  });
});

describe('RecipientCollector limits', () => {
  it('keeps the first rejected and non-mobile rows it is asked to, and counts them all', () => {
    const collector = new RecipientCollector('FR', { keepRejected: 2, keepNonMobile: 1 });
    const report = collector.addCsv(csv('number\n0712345670\n0142685300\n0712345671\n0142685301\n0712345672\n0612345678\n'));
    expect(report.rejectedCount).toBe(3);
    expect(report.rejected.map((rejected) => rejected.row)).toEqual([2, 4]);
    expect(report.nonMobileCount).toBe(2);
    expect(report.nonMobile.map((nonMobile) => nonMobile.row)).toEqual([3]);
    expect(collector.numbers).toEqual(['+33142685300', '+33142685301', '+33612345678']);
  });

  it('decides numbers in file order across its lookup batches, as one set taking them one by one would', () => {
    // Repeats of the row two above (inside one lookup batch) and of rows far above; the limit falls mid-file.
    const values: number[] = [];
    for (let index = 0; index < 600; index += 1) values.push(index % 5 === 4 ? values[index - 2]! : (index * 13) % 700);
    const raws = values.map((value) => `061${String(value).padStart(7, '0')}`);
    for (const maxDistinct of [1000, 321]) {
      const reference: string[] = [];
      let entries = 0;
      let stopRow: number | null = null;
      for (const [index, raw] of raws.entries()) {
        entries += 1;
        const e164 = `+33${raw.slice(1)}`;
        if (reference.includes(e164)) continue;
        if (reference.length === maxDistinct) {
          stopRow = index + 2;
          break;
        }
        reference.push(e164);
      }
      const collector = new RecipientCollector('FR', { maxDistinct });
      const report = collector.addCsv(csv(`number\n${raws.join('\n')}\n`));
      expect(collector.numbers).toEqual(reference);
      expect(report.entries).toBe(entries);
      expect(report.added).toBe(reference.length);
      expect(report.problems.map((problem) => problem.row)).toEqual(stopRow === null ? [] : [stopRow]);
    }
  });

  it('stops reading past its distinct-number limit, with a problem naming the limit and the row', () => {
    const collector = new RecipientCollector('FR', { maxDistinct: 3 });
    const report = collector.addCsv(csv('number\n0612345670\n0612345670\n0612345671\n0612345672\n0612345673\n0612345674\n'));
    expect(collector.numbers).toHaveLength(3);
    expect(report.problems).toEqual([
      { row: 6, message: 'more than 3 distinct numbers: 3 is the limit for one campaign, split the list into several campaigns' },
    ]);
    expect(report.entries).toBe(5);
  });
});

describe('NumberScanner', () => {
  it('decides the common French shapes without the string path', () => {
    const scanner = new NumberScanner();
    for (const raw of ['0612345678', '06 12 34 56 78', '+33612345678', '+33 6 12 34 56 78', '06-12-34-56-78']) {
      expect([raw, scanner.scan(raw, 0, raw.length, 'FR')]).toEqual([raw, ScanOutcome.Valid]);
      expect(scanner.e164()).toBe('+33612345678');
    }
    expect(scanner.scan('0712345678', 0, 10, 'FR')).toBe(ScanOutcome.Invalid);
    expect(scanner.reason).toBe('not a valid phone number for FR');
  });

  it('leaves the rest to the string path', () => {
    const scanner = new NumberScanner();
    for (const raw of ['0033612345678', '+33 (0)6 12 34 56 78', '+590690123456', '06 12 34 56 O8', '12']) {
      expect([raw, scanner.scan(raw, 0, raw.length, 'FR')]).toEqual([raw, ScanOutcome.Undecided]);
    }
  });
});
