import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskPhoneNumber, maskPhoneNumbersInText } from '../../src/recipients/index.js';

// Issue #8 item 14: the masker against a generated corpus of the ways people write numbers.
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

/** Calling code and a national significant number of a plausible length for it. */
const COUNTRIES = [
  { code: '33', lengths: [9], trunk: '0' },
  { code: '44', lengths: [10], trunk: '0' },
  { code: '1', lengths: [10], trunk: '' },
  { code: '49', lengths: [10, 11], trunk: '0' },
  { code: '32', lengths: [9], trunk: '0' },
  { code: '212', lengths: [9], trunk: '0' },
  { code: '86', lengths: [11], trunk: '0' },
] as const;

const separator = fc.constantFrom(' ', '.', '-', '', '\u00a0');

/** Digit groups of 2 to 4 joined by one separator, like `6 12 34 56 78` or `415.555.2671`. */
function spell(digits: string, sizes: number[], sep: string): string {
  const groups: string[] = [];
  let index = 0;
  for (const size of sizes) {
    if (index >= digits.length) break;
    groups.push(digits.slice(index, index + size));
    index += size;
  }
  if (index < digits.length) groups.push(digits.slice(index));
  return groups.join(sep);
}

const spelledNumber = fc
  .record({
    country: fc.constantFrom(...COUNTRIES),
    firstDigit: fc.integer({ min: 1, max: 9 }),
    rest: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 11, maxLength: 11 }),
    sizes: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 6 }),
    sep: separator,
    form: fc.constantFrom('e164', 'spaced-plus', '00', '(+cc)', 'national', 'national-parens', '+cc (0)'),
  })
  .map(({ country, firstDigit, rest, sizes, sep, form }) => {
    const national = (String(firstDigit) + rest.join('')).slice(0, country.lengths[0]);
    const body = spell(national, sizes, sep);
    const head = national.slice(0, 3);
    const text = {
      e164: `+${country.code}${national}`,
      'spaced-plus': `+${country.code} ${body}`,
      '00': `00${country.code} ${body}`,
      '(+cc)': `(+${country.code}) ${body}`,
      national: `${country.trunk}${body}`,
      'national-parens': `(${country.trunk}${head}) ${spell(national.slice(3), sizes, sep)}`,
      '+cc (0)': `+${country.code} (${country.trunk || '0'})${body}`,
    }[form];
    return { text, national, code: country.code };
  });

const surrounding = fc.constantFrom('', 'call ', 'value is "', 'Invalid number: ', 'receiver ', '(', '<', 'ok; ');
const after = fc.constantFrom('', ' now', '"', ', thanks', ')', '.', ' at 2027-01-04T10:00:00+01:00', ' STOP');

const digitCount = (text: string) => text.replace(/\D/g, '').length;

describe('maskPhoneNumbersInText on a generated corpus of spellings', () => {
  it('never leaves more than a few digits of a number in the text, whatever the spelling', () => {
    fc.assert(
      fc.property(surrounding, spelledNumber, after, (before, { text, national, code }, tail) => {
        const masked = maskPhoneNumbersInText(`${before}${text}${tail}`);
        expect(masked).toContain('•');
        expect(masked).not.toContain(national.slice(1, -2));
        // Kept at most: the calling code, the first national digit and the last two.
        expect(digitCount(masked) - digitCount(before + tail)).toBeLessThanOrEqual(code.length + 3);
      }),
      { numRuns: RUNS },
    );
  });

  it('is idempotent: masking masked text changes nothing', () => {
    fc.assert(
      fc.property(spelledNumber, ({ text }) => {
        const once = maskPhoneNumbersInText(text);
        expect(maskPhoneNumbersInText(once)).toBe(once);
      }),
      { numRuns: RUNS },
    );
  });

  it('keeps dates, times, counts, versions and batch ids readable', () => {
    const text =
      'batch 3f2a1b4c-1234-5678-9abc-012345678901 at 2027-01-04T10:00:00+01:00, on 04.01.2027, 1,000,000 credits, v1.13.16, 10:00:00';
    expect(maskPhoneNumbersInText(text)).toBe(text);
  });

  it('masks the spellings the audit found unmasked', () => {
    for (const text of ['07700 900123', '0033 6 12 34 56 78', '(+33) 6 12 34 56 78', '+1 (415) 555-2671']) {
      const masked = maskPhoneNumbersInText(`number ${text} here`);
      expect(masked.replace(/\D/g, '').length, masked).toBeLessThanOrEqual(6);
      expect(masked).toMatch(/^number .*• .* here$/);
    }
  });
});

describe('maskPhoneNumber', () => {
  it('masks input containing “•” when it still holds a full number', () => {
    expect(maskPhoneNumber('+33612345678•')).toBe('+33 6•• ••• •78');
    expect(maskPhoneNumber('•+33612345678').replace(/\D/g, '')).toBe('78');
  });

  it('leaves an already masked number as it is', () => {
    expect(maskPhoneNumber('+33 6•• ••• •78')).toBe('+33 6•• ••• •78');
  });
});
