import { describe, expect, it } from 'vitest';
import { ParseError, getCountries, getCountryCallingCode, getExampleNumber, parsePhoneNumber } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';
import { normalizePhoneNumber } from '../../src/recipients/index.js';
import { fastValidator, referenceValidator } from '../../src/recipients/numbers/index.js';
import { fastVerdict } from '../../src/recipients/numbers/fast.js';
import { knownParseError } from '../../src/recipients/numbers/reference.js';

/** The two NumberValidator implementations the differential tests compare. */
const fast = fastValidator(referenceValidator);
const reference = referenceValidator;

describe('normalizePhoneNumber: reference vectors', () => {
  it.each([
    ['+33612345678', null, { ok: true, e164: '+33612345678', lineType: 'mobile' }],
    ['+33142685300', null, { ok: true, e164: '+33142685300', lineType: 'fixed-line' }],
    ['+33912345678', null, { ok: true, e164: '+33912345678', lineType: 'other' }],
    ['+33800123456', null, { ok: true, e164: '+33800123456', lineType: 'other' }],
    ['+262692123456', null, { ok: true, e164: '+262692123456', lineType: 'mobile' }],
    ['+590690123456', 'FR', { ok: true, e164: '+590690123456', lineType: 'mobile' }],
    ['0612345678', 'FR', { ok: true, e164: '+33612345678', lineType: 'mobile' }],
    ['0692123456', 'RE', { ok: true, e164: '+262692123456', lineType: 'mobile' }],
  ] as const)('%s (%s) is valid', (raw, country, verdict) => {
    expect(normalizePhoneNumber(raw, country)).toEqual(verdict);
  });

  it.each([
    ['+33712345678', null, 'not a valid phone number for FR'],
    ['0712345678', 'FR', 'not a valid phone number for FR'],
    ['+33639123456', null, 'not a valid phone number for FR'],
    ['+447700900123', null, 'not a valid phone number'],
  ] as const)('%s (%s) is invalid', (raw, country, reason) => {
    const verdict = normalizePhoneNumber(raw, country);
    expect(verdict.ok).toBe(false);
    expect(verdict.ok ? '' : verdict.reason).toContain(reason);
  });
});

describe('normalizePhoneNumber: human input', () => {
  it.each([
    '06 12 34 56 78',
    '06.12.34.56.78',
    '06-12-34-56-78',
    ' 0612345678 ',
    '+33 6 12 34 56 78',
    '+33 (0)6 12 34 56 78',
    '0033 6 12 34 56 78',
    '+33612345678',
  ])('%j with FR → +33612345678', (raw) => {
    expect(normalizePhoneNumber(raw, 'FR')).toEqual({ ok: true, e164: '+33612345678', lineType: 'mobile' });
  });

  it('accepts the country in lower case', () => {
    expect(normalizePhoneNumber('06 12 34 56 78', 'fr')).toMatchObject({ ok: true, e164: '+33612345678' });
  });

  it('refuses a national number without `country`', () => {
    expect(normalizePhoneNumber('06 12 34 56 78', null)).toEqual({ ok: false, reason: 'national number without `country`' });
  });

  it('refuses an unknown country', () => {
    expect(normalizePhoneNumber('0612345678', 'XX')).toEqual({ ok: false, reason: 'unknown country "XX"' });
  });

  it.each(['', 'abc', '+', '++33612345678'])('refuses %j', (raw) => {
    expect(normalizePhoneNumber(raw, 'FR').ok).toBe(false);
  });
});

/** Deterministic mix of shapes, countries and validity: national, international, separators, junk. */
function generateNumbers(count: number): { raw: string; country: string | null }[] {
  let seed = 987654321;
  const random = (below: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return Math.floor((seed / 2147483648) * below);
  };
  const randomDigits = (length: number) => Array.from({ length }, () => random(10)).join('');
  const separate = (digits: string) => {
    const separator = [' ', '.', '-', ''][random(4)]!;
    return digits.replace(/(\d{2})(?=\d)/g, `$1${separator}`);
  };
  const countries = ['FR', 'RE', 'YT', 'GP', 'GB', 'US', 'CA', 'DE', 'BE', 'CH', 'IT', 'ES', 'RU', 'KZ', 'AR', 'BR', 'IN', 'JP', null];
  const callingCodes = [
    '33',
    '262',
    '590',
    '596',
    '594',
    '44',
    '1',
    '49',
    '32',
    '41',
    '39',
    '34',
    '7',
    '54',
    '55',
    '91',
    '81',
    '800',
    '882',
    '0',
  ];
  const numbers: { raw: string; country: string | null }[] = [];
  for (let index = 0; index < count; index += 1) {
    const country = countries[random(countries.length)]!;
    const shape = random(8);
    let raw: string;
    if (shape === 0) raw = `0${['6', '7', '1', '9', '8'][random(5)]}${randomDigits(8)}`;
    else if (shape === 1) raw = separate(`0${random(10)}${randomDigits(7 + random(4))}`);
    else if (shape === 2) raw = `+33${['6', '7', '1', '9', '0'][random(5)]}${randomDigits(7 + random(3))}`;
    else if (shape === 3) raw = `+${callingCodes[random(callingCodes.length)]} ${separate(randomDigits(6 + random(7)))}`;
    else if (shape === 4) raw = `+262 ${['692', '693', '639', '269', '262'][random(5)]} ${randomDigits(6)}`;
    else if (shape === 5) raw = `00${callingCodes[random(callingCodes.length)]}${randomDigits(9)}`;
    else if (shape === 6) raw = separate(randomDigits(1 + random(14)));
    else
      raw = [
        `(0)${randomDigits(9)}`,
        `+33 6 ${randomDigits(8)} ext. 12`,
        `tel:+33${randomDigits(9)}`,
        ` ${randomDigits(10)}#`,
        `+33 6${randomDigits(8)}x`,
      ][random(5)]!;
    numbers.push({ raw, country });
  }
  return numbers;
}

describe('fast path', () => {
  const numbers = [
    ...generateNumbers(4000),
    { raw: '+33712345678', country: 'FR' },
    { raw: '+33142685300', country: null },
    { raw: '+262692123456', country: null },
    { raw: '+447700900123', country: null },
    { raw: '0612345678', country: 'FR' },
  ];

  it('gives the library’s verdict (validity, E.164, line type, reason) on 4,000 generated numbers', () => {
    const mismatches = numbers.filter(({ raw, country }) => {
      const ours = JSON.stringify(fast.verdict(raw, country));
      return ours !== JSON.stringify(reference.verdict(raw, country));
    });
    expect(mismatches).toEqual([]);
  });

  it('answers most of them itself, valid and invalid alike', () => {
    const answered = numbers.map(({ raw, country }) => fastVerdict(raw, country)).filter((verdict) => verdict !== undefined);
    expect(answered.length).toBeGreaterThan(numbers.length * 0.6);
    expect(answered.filter((verdict) => verdict.ok).length).toBeGreaterThan(200);
    expect(answered.filter((verdict) => !verdict.ok).length).toBeGreaterThan(200);
  });

  it('leaves unusual shapes to the library', () => {
    expect(fastVerdict('+33 0612345678', 'FR')).toBeUndefined();
    expect(fastVerdict('0033612345678', 'FR')).toBeUndefined();
    expect(fastVerdict('tel:+33612345678', 'FR')).toBeUndefined();
    expect(fastVerdict('+33 (0)6 12 34 56 78', 'FR')).toBeUndefined();
    expect(fastVerdict('+33612345678', null)).toEqual({ ok: true, e164: '+33612345678', lineType: 'mobile' });
  });
});

describe('fast path across every country in the metadata', () => {
  it('agrees with the library on mutated example numbers, national and international', () => {
    let seed = 42;
    const random = (below: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor((seed / 2147483648) * below);
    };
    const mismatches: string[] = [];
    let answeredFast = 0;
    let compared = 0;
    for (const country of getCountries()) {
      const example = getExampleNumber(country, examples);
      if (example === undefined) continue;
      const callingCode = getCountryCallingCode(country);
      for (let variant = 0; variant < 20; variant += 1) {
        let national = [...example.nationalNumber].map((digit) => (random(3) === 0 ? String(random(10)) : digit)).join('');
        if (random(5) === 0) national += String(random(10));
        if (random(5) === 0) national = national.slice(1);
        const forms: [string, string | null][] = [
          [`+${callingCode}${national}`, null],
          [`+${callingCode} ${national}`, country],
          [national, country],
          [`0${national}`, country],
          [`8${national}`, country],
          [`${callingCode}${national}`, country],
        ];
        for (const [raw, region] of forms) {
          compared += 1;
          if (fastVerdict(raw, region) !== undefined) answeredFast += 1;
          const ours = JSON.stringify(fast.verdict(raw, region));
          const library = JSON.stringify(reference.verdict(raw, region));
          if (ours !== library) mismatches.push(`${raw} (${region}): ${ours} vs ${library}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(answeredFast).toBeGreaterThan(compared * 0.6);
  });
});

describe('reference validator: refusals without a throw', () => {
  it('knownParseError gives the code the library throws, on generated text', () => {
    let seed = 7;
    const random = (below: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor((seed / 2147483648) * below);
    };
    const pieces = [
      '0',
      '1',
      '3',
      '6',
      '9',
      ' ',
      '.',
      '-',
      '+',
      '(',
      ')',
      '/',
      'a',
      'x',
      '#',
      '\t',
      '\u00a0',
      '\uff10',
      '\u0661',
      ';',
      'tel:',
      ';phone-context=+33',
      'ext',
      '00',
      '+99',
      '+0',
      '+8',
    ];
    const mismatches: string[] = [];
    let known = 0;
    for (let index = 0; index < 20_000; index += 1) {
      const raw = Array.from({ length: random(16) }, () => pieces[random(pieces.length)]!).join('');
      for (const country of [null, 'FR'] as const) {
        const code = knownParseError(raw, country);
        if (code === undefined) continue;
        known += 1;
        let thrown = 'no error';
        try {
          if (country === null) parsePhoneNumber(raw);
          else parsePhoneNumber(raw, country);
        } catch (error) {
          thrown = error instanceof ParseError ? error.message : String(error);
        }
        if (thrown !== code) mismatches.push(`${JSON.stringify(raw)} (${country}): ${code} vs ${thrown}`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(known).toBeGreaterThan(5000);
    expect(knownParseError('06 12 34 56 78', null)).toBe('INVALID_COUNTRY');
    expect(knownParseError('abc', 'FR')).toBe('NOT_A_NUMBER');
    expect(knownParseError('+999 12 34', 'FR')).toBe('INVALID_COUNTRY');
    expect(knownParseError('+33 (0)6 12 34 56 78', 'FR')).toBeUndefined();
  });

  it('never touches process-wide state (Error.stackTraceLimit) while parsing', () => {
    const descriptor = Object.getOwnPropertyDescriptor(Error, 'stackTraceLimit')!;
    let writes = 0;
    let limit = descriptor.value as number;
    Object.defineProperty(Error, 'stackTraceLimit', {
      configurable: true,
      get: () => limit,
      set: (value: number) => {
        writes += 1;
        limit = value;
      },
    });
    try {
      for (const raw of ['abc', '06 12 34 56 78', '+999 12 34', '+33 (0)6 12 34 56 78', '+', '0612345678']) {
        reference.verdict(raw, null);
        reference.verdict(raw, 'FR');
      }
    } finally {
      Object.defineProperty(Error, 'stackTraceLimit', descriptor);
    }
    expect(writes).toBe(0);
  });
});
