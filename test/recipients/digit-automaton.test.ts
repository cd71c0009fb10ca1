import { describe, expect, it } from 'vitest';
import { getCountries } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';
import metadata from 'libphonenumber-js/max/metadata';
import { DigitPatternSet, parsePattern } from '../../src/recipients/numbers/digit-automaton.js';

const digitsOf = (text: string) => Uint8Array.from(text, (character) => Number(character));

/** Every national-number and type pattern of a country in the bundled `max` metadata (compact JSON layout). */
function patternsOf(country: string): string[] {
  const plan = (metadata as unknown as { countries: Record<string, unknown[]> }).countries[country]!;
  const types = (plan[11] ?? []) as unknown[];
  return [plan[2] as string, ...types.map((type) => (Array.isArray(type) ? (type[0] as string) : '')).filter((pattern) => pattern !== '')];
}

describe('DigitPatternSet', () => {
  it('matches whole digit strings like the RegExp it stands for', () => {
    const patterns = [
      '7(?:[1-9]\\d|71)\\d{6}',
      '[1-9]\\d{8}',
      '1?5\\d{3}',
      '(?:2[0-57-9]|3[1-9])\\d{5,7}',
      '(?:6(?:[0-24-8]\\d|3[0-8]|9[589])|7[3-9]\\d)\\d{6}',
    ];
    const set = DigitPatternSet.compile(patterns)!;
    const samples = [
      '712345678',
      '771234567',
      '701234567',
      '123456789',
      '15123',
      '5123',
      '205123',
      '20512345',
      '205123456',
      '612345678',
      '639123456',
      '012345678',
    ];
    for (const sample of samples) {
      const mask = set.matchMask(digitsOf(sample), 0, sample.length);
      patterns.forEach((pattern, index) =>
        expect([sample, pattern, (mask >> index) & 1]).toEqual([sample, pattern, Number(new RegExp(`^(?:${pattern})$`).test(sample))]),
      );
    }
  });

  it('reads only the given range of the buffer', () => {
    const set = DigitPatternSet.compile(['6\\d{8}'])!;
    expect(set.matchMask(digitsOf('0612345678'), 1, 10)).toBe(1);
    expect(set.matchMask(digitsOf('0612345678'), 0, 10)).toBe(0);
  });

  it('refuses patterns outside the digit subset', () => {
    expect(parsePattern('\\d+')).toBeNull();
    expect(parsePattern('[^0]\\d')).toBeNull();
    expect(parsePattern('\\d{2,}')).toBeNull();
    expect(parsePattern('(?:12')).toBeNull();
    expect(DigitPatternSet.compile(['12', 'a'])).toBeNull();
  });

  it('agrees with RegExp on every pattern of every country, on near misses of its example number and random digits', () => {
    let seed = 1234;
    const random = (below: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor((seed / 2147483648) * below);
    };
    let compiled = 0;
    const mismatches: string[] = [];
    for (const country of getCountries()) {
      const patterns = patternsOf(country);
      const set = DigitPatternSet.compile(patterns);
      if (set === null) continue;
      compiled += 1;
      const expressions = patterns.map((pattern) => new RegExp(`^(?:${pattern})$`));
      for (let sample = 0; sample < 60; sample += 1) {
        const example = (examples as Record<string, string | undefined>)[country];
        const randomText = () => Array.from({ length: 4 + random(10) }, () => String(random(10))).join('');
        // Near misses: the country's example mobile number with a digit or two changed, added or dropped.
        const nearMiss = (base: string) => {
          let text = [...base].map((digit) => (random(6) === 0 ? String(random(10)) : digit)).join('');
          if (random(6) === 0) text += String(random(10));
          if (random(6) === 0) text = text.slice(1);
          return text;
        };
        const text = example !== undefined && sample % 3 !== 0 ? nearMiss(example) : randomText();
        const mask = set.matchMask(digitsOf(text), 0, text.length);
        expressions.forEach((expression, index) => {
          if (Boolean((mask >> index) & 1) !== expression.test(text)) mismatches.push(`${country} ${patterns[index]} ${text}`);
        });
      }
    }
    expect(mismatches).toEqual([]);
    expect(compiled).toBeGreaterThan(200);
  });
});
