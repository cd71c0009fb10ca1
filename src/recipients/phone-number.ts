import { Metadata, ParseError, isSupportedCountry, parsePhoneNumber } from 'libphonenumber-js/max';
import type { CountryCode, PhoneNumber } from 'libphonenumber-js/max';
import { DigitPatternSet } from './digit-automaton.js';

export type LineType = 'mobile' | 'fixed-line' | 'other';

export type NumberVerdict =
  | { ok: true; e164: string; lineType: LineType }
  | { ok: false; reason: string };

/** Number types as libphonenumber-js names them, in the order its `getNumberType()` tries them. */
type NumberType =
  | 'FIXED_LINE'
  | 'FIXED_LINE_OR_MOBILE'
  | 'MOBILE'
  | 'PREMIUM_RATE'
  | 'TOLL_FREE'
  | 'SHARED_COST'
  | 'VOIP'
  | 'PERSONAL_NUMBER'
  | 'PAGER'
  | 'UAN'
  | 'VOICEMAIL';

const NON_FIXED_LINE_TYPES: NumberType[] = [
  'MOBILE',
  'PREMIUM_RATE',
  'TOLL_FREE',
  'SHARED_COST',
  'VOIP',
  'PERSONAL_NUMBER',
  'PAGER',
  'UAN',
  'VOICEMAIL',
];

/** libphonenumber-js's own limits on a national (significant) number. */
const MIN_NATIONAL_LENGTH = 2;
const MAX_NATIONAL_LENGTH = 17;
const MAX_CALLING_CODE_LENGTH = 3;

/**
 * E.164 form, validity and line type of a recipient as written by a person.
 * Same verdict as `parsePhoneNumber(raw, country).isValid()` with the full (`max`) metadata; common shapes
 * (`+33 6 12 34 56 78`, `06.12.34.56.78`) take a fast path over the metadata's own patterns.
 */
export function normalizePhoneNumber(raw: string, country: string | null): NumberVerdict {
  const region = resolveRegion(country);
  if (region === undefined) return { ok: false, reason: unknownCountryReason(country) };
  return fastVerdict(raw, region) ?? libraryVerdict(raw, region);
}

/** The metadata's region for a campaign country (`fr` → `FR`), null for none, undefined when unknown. */
export function resolveRegion(country: string | null): string | null | undefined {
  return country === null ? null : supportedRegion(country);
}

export function unknownCountryReason(country: string | null): string {
  return `unknown country "${country}"`;
}

/**
 * The verdict on text[start, end), already trimmed, for a region from resolveRegion: what normalizePhoneNumber
 * answers for that text, without copying it unless the library has to read it.
 */
export function verdictInText(text: string, start: number, end: number, region: string | null): NumberVerdict {
  return fastVerdictInText(text, start, end, region) ?? libraryVerdict(text.slice(start, end), region);
}

const PHONE_CHARACTERS = /^[\d\s\u00a0\u202f+().\-/]*$/;

/** The verdict straight from libphonenumber-js: the reference the fast path must agree with. */
export function libraryVerdict(raw: string, country: string | null): NumberVerdict {
  // The library drops trailing text and reads `ext. 12` as an extension: a recipient is a number and nothing else.
  if (!PHONE_CHARACTERS.test(raw) && /\d/.test(raw)) return { ok: false, reason: 'text beside the number (an extension, a note): write the number alone' };
  let number: PhoneNumber;
  // The library reports "not a number" by throwing: capturing a stack trace costs more than the parse itself.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    number = country === null ? parsePhoneNumber(raw) : parsePhoneNumber(raw, country as CountryCode);
  } catch (error) {
    if (error instanceof ParseError) return { ok: false, reason: parseErrorReason(error.message, raw, country) };
    throw error;
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  if (!number.isValid()) return { ok: false, reason: invalidReason(number.country ?? null, number.countryCallingCode) };
  return { ok: true, e164: number.number, lineType: lineTypeOf(number.getType()) };
}

const supportedRegions = new Map<string, string | undefined>();

/** `fr` → `FR`; undefined for a country the metadata does not know. Cached: called once per number. */
function supportedRegion(country: string): string | undefined {
  if (!supportedRegions.has(country)) {
    const region = country.trim().toUpperCase();
    supportedRegions.set(country, isSupportedCountry(region) ? region : undefined);
  }
  return supportedRegions.get(country);
}

function parseErrorReason(code: string, raw: string, country: string | null): string {
  switch (code) {
    case 'INVALID_COUNTRY':
      if (country === null && !raw.trim().startsWith('+')) return 'national number without `country`';
      return 'unknown country calling code';
    case 'TOO_SHORT':
      return 'too short to be a phone number';
    case 'TOO_LONG':
      return 'too long to be a phone number';
    default:
      return 'not a phone number';
  }
}

function invalidReason(country: string | null, callingCode: string): string {
  return `not a valid phone number for ${country ?? `+${callingCode}`}`;
}

function lineTypeOf(type: string | undefined): LineType {
  if (type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE') return 'mobile';
  if (type === 'FIXED_LINE') return 'fixed-line';
  return 'other';
}

// ---------------------------------------------------------------------------------------------
// Fast path. It mirrors libphonenumber-js's parse → isValid → getType for digits-only input and
// returns undefined (full parser) whenever the library would do something less simple: national
// prefix inside an international number, IDD prefix, carrier codes, prefix transform rules, etc.

const SEPARATORS = /[ .-]/g;
const PLUS = 0x2b;
/** Longer text is never a plain number: the library reads it. */
const MAX_FAST_LENGTH = 64;

/** The fast path alone: undefined when it leaves the number to the library. Exported for tests. */
export function fastVerdict(raw: string, country: string | null): NumberVerdict | undefined {
  if (raw.length > MAX_FAST_LENGTH) return undefined;
  const text = raw.trim();
  return fastVerdictInText(text, 0, text.length, country);
}

/** fastVerdict on text[start, end), already trimmed: reads the digits in place, copying only them. */
function fastVerdictInText(text: string, start: number, end: number, country: string | null): NumberVerdict | undefined {
  const scanned = sharedScanner.scan(text, start, end, country);
  if (scanned === ScanOutcome.Valid) return { ok: true, e164: sharedScanner.e164(), lineType: sharedScanner.lineType };
  if (scanned === ScanOutcome.Invalid) return { ok: false, reason: sharedScanner.reason };
  if (end - start > MAX_FAST_LENGTH) return undefined;
  const international = text.charCodeAt(start) === PLUS;
  const digitsStart = international ? start + 1 : start;
  const shape = digitGroups(text, digitsStart, end);
  if (shape === OTHER) return undefined;
  const digits = shape === DIGITS ? text.slice(digitsStart, end) : text.slice(digitsStart, end).replace(SEPARATORS, '');
  // The library treats two-digit input specially; not worth a fast path.
  if (digits.length < 3) return undefined;
  if (international) return fastInternational(digits);
  return country === null ? undefined : fastNational(digits, country);
}

const OTHER = 0;
const DIGITS = 1;
const SEPARATED = 2;

/** DIGITS (only digits), SEPARATED (digit groups joined by one space, dot or dash) or OTHER, for text[start, end). */
function digitGroups(text: string, start: number, end: number): number {
  let afterDigit = false;
  let separated = false;
  for (let index = start; index < end; index += 1) {
    const code = text.charCodeAt(index);
    if (code >= 0x30 && code <= 0x39) {
      afterDigit = true;
    } else if (afterDigit && (code === 0x20 || code === 0x2e || code === 0x2d)) {
      afterDigit = false;
      separated = true;
    } else {
      return OTHER;
    }
  }
  if (!afterDigit) return OTHER;
  return separated ? SEPARATED : DIGITS;
}

function fastInternational(digits: string): NumberVerdict | undefined {
  if (digits[0] === '0') return undefined;
  for (let length = 1; length <= MAX_CALLING_CODE_LENGTH && length < digits.length; length += 1) {
    const callingCode = digits.slice(0, length);
    const countries = numbering.countriesForCallingCode(callingCode);
    if (countries === undefined) {
      if (numbering.isNonGeographic(callingCode)) return undefined;
      continue;
    }
    const nationalNumber = digits.slice(length);
    if (nationalNumber.length < MIN_NATIONAL_LENGTH || nationalNumber.length > MAX_NATIONAL_LENGTH) return undefined;
    const mainPlan = numbering.plan(countries[0]!);
    if (mainPlan.nationalPrefixForParsing?.test(nationalNumber)) return undefined;
    const exactCountry = countryForNationalNumber(countries, nationalNumber);
    return verdictFor(callingCode, nationalNumber, exactCountry, exactCountry === undefined ? mainPlan : numbering.plan(exactCountry));
  }
  return undefined;
}

function fastNational(digits: string, country: string): NumberVerdict | undefined {
  const plan = numbering.plan(country);
  const callingCode = plan.callingCode;
  if (plan.iddPrefix.test(digits) || digits.startsWith(callingCode)) return undefined;
  let nationalNumber = digits;
  let matchesNationalPattern: boolean | undefined;
  const prefix = plan.nationalPrefixForParsing?.exec(digits);
  if (prefix) {
    if (prefix.length > 1 || prefix[0]!.length === 0) return undefined;
    const stripped = digits.slice(prefix[0]!.length);
    const strippedMatches = plan.nationalNumber.test(stripped);
    if (keepsNationalPrefix(digits, stripped, strippedMatches, plan)) {
      nationalNumber = digits;
    } else {
      nationalNumber = stripped;
      matchesNationalPattern = strippedMatches;
    }
  }
  if (nationalNumber.length < MIN_NATIONAL_LENGTH || nationalNumber.length > MAX_NATIONAL_LENGTH) return undefined;
  const exactCountry = countryForNationalNumber(plan.countriesSharingCallingCode, nationalNumber);
  if (exactCountry !== undefined && exactCountry !== country) matchesNationalPattern = undefined;
  return verdictFor(callingCode, nationalNumber, exactCountry ?? country, exactCountry === undefined ? plan : numbering.plan(exactCountry), matchesNationalPattern);
}

/** Like the library's extractNationalNumber(): the prefix stays when stripping it spoils the number or leaves an impossible length. */
function keepsNationalPrefix(digits: string, stripped: string, strippedMatches: boolean, plan: CompiledPlan): boolean {
  if (!strippedMatches && plan.nationalNumber.test(digits)) return true;
  const lengthCountry = countryForNationalNumber(plan.countriesSharingCallingCode, stripped);
  const lengthPlan = lengthCountry === undefined ? plan : numbering.plan(lengthCountry);
  return !hasPossibleLength(stripped.length, lengthPlan.possibleLengths);
}

/** `plan` is the country's, or the calling code's main country's when the country is unknown (as the library does). */
function verdictFor(
  callingCode: string,
  nationalNumber: string,
  country: string | undefined,
  plan: CompiledPlan,
  matchesNationalPattern?: boolean,
): NumberVerdict {
  const type = numberType(nationalNumber, plan, matchesNationalPattern);
  const valid = plan.hasTypes ? type !== undefined : plan.nationalNumber.test(nationalNumber);
  if (!valid) return { ok: false, reason: invalidReason(country ?? null, callingCode) };
  return { ok: true, e164: `+${callingCode}${nationalNumber}`, lineType: lineTypeOf(type) };
}

/** Like the library's `checkNumberLength()`: anything but "too short" or "invalid length" passes. */
function hasPossibleLength(length: number, possibleLengths: number[]): boolean {
  if (length < possibleLengths[0]!) return false;
  if (length > possibleLengths[possibleLengths.length - 1]!) return true;
  return possibleLengths.includes(length);
}

/** Which of the countries sharing a calling code a number belongs to (library order: the main country wins ties). */
function countryForNationalNumber(countries: string[], nationalNumber: string): string | undefined {
  if (countries.length === 1) return countries[0];
  for (const country of countries) {
    const plan = numbering.plan(country);
    if (plan.leadingDigits !== null) {
      if (plan.leadingDigits.test(nationalNumber)) return country;
    } else if (numberType(nationalNumber, plan) !== undefined) {
      return country;
    }
  }
  return undefined;
}

/** `matchesNationalPattern`: already tested against this plan's national pattern, when known. */
function numberType(nationalNumber: string, plan: CompiledPlan, matchesNationalPattern?: boolean): NumberType | undefined {
  if (!(matchesNationalPattern ?? plan.nationalNumber.test(nationalNumber))) return undefined;
  if (isOfType(nationalNumber, plan.types.get('FIXED_LINE'))) {
    const mobile = plan.types.get('MOBILE');
    if (mobile === undefined || mobile.pattern === null || isOfType(nationalNumber, mobile)) return 'FIXED_LINE_OR_MOBILE';
    return 'FIXED_LINE';
  }
  return NON_FIXED_LINE_TYPES.find((type) => isOfType(nationalNumber, plan.types.get(type)));
}

function isOfType(nationalNumber: string, type: CompiledType | undefined): boolean {
  if (type === undefined || type.pattern === null) return false;
  if (!type.possibleLengths.includes(nationalNumber.length)) return false;
  return type.pattern.test(nationalNumber);
}

interface CompiledType {
  /** null when the metadata left the pattern empty (same as the fixed-line one). */
  pattern: RegExp | null;
  /** This pattern's bit in the plan's DigitPatternSet mask. */
  bit: number;
  possibleLengths: number[];
}

interface CompiledPlan {
  country: string;
  /** The reason given for an invalid number of this country. */
  invalidReason: string;
  callingCode: string;
  callingCodeValue: number;
  /** `+33`: what comes before the national number in E.164. */
  e164Prefix: string;
  countriesSharingCallingCode: string[];
  nationalNumber: RegExp;
  possibleLengths: number[];
  hasTypes: boolean;
  types: Map<NumberType, CompiledType>;
  leadingDigits: RegExp | null;
  nationalPrefixForParsing: PrefixPattern | null;
  iddPrefix: PrefixPattern;
  /** The national pattern (bit 0) and the type patterns as one automaton; null outside its pattern subset. */
  digitPatterns: DigitPatternSet | null;
  /** Filled as numbers come: MASK_* code per (pattern mask, national length). */
  maskVerdicts: Int8Array | null;
}

/** Bit of the national-number pattern in a plan's DigitPatternSet mask. */
const NATIONAL_BIT = 1;

/** A pattern matched at the start of the digits; plain digit strings (the usual `0`, `00`) skip the regex engine. */
class PrefixPattern {
  /** The digits when the pattern is a plain digit string, else null. */
  readonly literal: string | null;
  private readonly regex: RegExp;

  constructor(pattern: string) {
    this.literal = /^\d+$/.test(pattern) ? pattern : null;
    this.regex = start(pattern);
  }

  test(text: string): boolean {
    return this.literal === null ? this.regex.test(text) : text.startsWith(this.literal);
  }

  /** Like RegExp#exec: the whole match first, then the capture groups. */
  exec(text: string): readonly string[] | null {
    if (this.literal === null) return this.regex.exec(text);
    return text.startsWith(this.literal) ? [this.literal] : null;
  }
}

/** The accessors libphonenumber-js's `Metadata` has at run time but leaves out of its typings. */
interface MetadataAccess {
  selectNumberingPlan(country: string): void;
  getCountryCodesForCallingCode(callingCode: string): string[] | undefined;
  isNonGeographicCallingCode(callingCode: string): boolean;
  hasCallingCode(callingCode: string): boolean | undefined;
  countryCallingCodes(): Record<string, string[]>;
  numberingPlan: {
    callingCode(): string;
    IDDPrefix(): string;
    nationalNumberPattern(): string;
    possibleLengths(): number[];
    nationalPrefixForParsing(): string | undefined;
    leadingDigits(): string | undefined;
    hasTypes(): boolean;
    type(name: NumberType): { pattern(): string; possibleLengths(): number[] } | undefined;
  };
}

/** Numbering plans compiled on first use from the `max` metadata bundled with libphonenumber-js. */
class CompiledNumbering {
  private readonly metadata = new (Metadata as unknown as new () => MetadataAccess)();
  private readonly plans = new Map<string, CompiledPlan>();
  private readonly callingCodes = new Map<string, string[]>();
  private readonly callingCodesByValue: (string[] | undefined)[] = [];
  private readonly nonGeographicByValue: (boolean | undefined)[] = [];

  constructor() {
    for (const callingCode of Object.keys(this.metadata.countryCallingCodes())) {
      const countries = this.metadata.getCountryCodesForCallingCode(callingCode);
      if (countries === undefined) continue;
      this.callingCodes.set(callingCode, countries);
      this.callingCodesByValue[Number(callingCode)] = countries;
    }
  }

  /** countriesForCallingCode by the code's value (codes never start with 0): no string to build. */
  countriesForCallingCodeValue(value: number): string[] | undefined {
    return this.callingCodesByValue[value];
  }

  /** The countries sharing a geographic calling code, main country first. */
  countriesForCallingCode(callingCode: string): string[] | undefined {
    return this.callingCodes.get(callingCode);
  }

  /** isNonGeographic by the code's value, remembered. */
  isNonGeographicValue(value: number): boolean {
    return (this.nonGeographicByValue[value] ??= this.isNonGeographic(String(value)));
  }

  isNonGeographic(callingCode: string): boolean {
    return Boolean(this.metadata.hasCallingCode(callingCode)) && this.metadata.isNonGeographicCallingCode(callingCode);
  }

  plan(country: string): CompiledPlan {
    let plan = this.plans.get(country);
    if (plan === undefined) {
      plan = this.compile(country);
      this.plans.set(country, plan);
    }
    return plan;
  }

  private compile(country: string): CompiledPlan {
    this.metadata.selectNumberingPlan(country);
    const source = this.metadata.numberingPlan;
    const types = new Map<NumberType, CompiledType>();
    const patterns = [source.nationalNumberPattern()];
    for (const name of ['FIXED_LINE', ...NON_FIXED_LINE_TYPES] as NumberType[]) {
      const type = source.type(name);
      if (type === undefined) continue;
      const pattern = type.pattern();
      if (pattern) patterns.push(pattern);
      types.set(name, { pattern: pattern ? whole(pattern) : null, bit: pattern ? 1 << (patterns.length - 1) : 0, possibleLengths: type.possibleLengths() });
    }
    const leadingDigits = source.leadingDigits();
    const nationalPrefixForParsing = source.nationalPrefixForParsing();
    const callingCode = source.callingCode();
    return {
      country,
      invalidReason: invalidReason(country, callingCode),
      callingCode,
      callingCodeValue: Number(callingCode),
      e164Prefix: `+${callingCode}`,
      countriesSharingCallingCode: this.countriesForCallingCode(callingCode) ?? [country],
      nationalNumber: whole(source.nationalNumberPattern()),
      possibleLengths: source.possibleLengths(),
      hasTypes: source.hasTypes(),
      types,
      leadingDigits: leadingDigits ? start(leadingDigits) : null,
      nationalPrefixForParsing: nationalPrefixForParsing ? new PrefixPattern(nationalPrefixForParsing) : null,
      iddPrefix: new PrefixPattern(source.IDDPrefix()),
      digitPatterns: DigitPatternSet.compile(patterns),
      maskVerdicts: null,
    };
  }
}

function whole(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}

function start(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})`);
}

const numbering = new CompiledNumbering();

// ---------------------------------------------------------------------------------------------
// Digit-buffer path: the fast path's steps for the simplest plans (one country per calling code,
// plain-digit prefixes, patterns the DigitPatternSet compiles), reading the text in place.

/** What NumberScanner.scan decided; Undecided means: ask verdictInText. */
export const ScanOutcome = { Undecided: 0, Valid: 1, Invalid: 2 } as const;
export type ScanOutcome = (typeof ScanOutcome)[keyof typeof ScanOutcome];

/** Powers of ten a double holds exactly, for E.164 digits read as one integer. */
const MAX_E164_DIGITS = 15;

/**
 * Decides the commonest numbers without allocating: digits go to a reused buffer, patterns run on the
 * buffer, and the result stays in the scanner's fields until the next scan.
 */
export class NumberScanner {
  /** After Valid: the E.164 digits as one integer (unique per number: E.164 never starts with 0). */
  e164Digits = 0;
  lineType: LineType = 'mobile';
  /** After Invalid: why. */
  reason = '';
  private readonly digits = new Uint8Array(MAX_FAST_LENGTH);
  /** Where the digits of the last scan sit in its text, when written without separators (else -1), and what goes before them in E.164. */
  private text = '';
  private textDigitsStart = -1;
  private e164TextStart = -1;
  private e164TextEnd = -1;
  private e164Head = '';

  /** text[start, end) is trimmed; `region` comes from resolveRegion. Same verdict as verdictInText when decided. */
  scan(text: string, start: number, end: number, region: string | null): ScanOutcome {
    if (end - start > MAX_FAST_LENGTH) return ScanOutcome.Undecided;
    const international = text.charCodeAt(start) === PLUS;
    const digits = this.digits;
    const digitsStart = international ? start + 1 : start;
    let count = 0;
    let afterDigit = false;
    for (let index = digitsStart; index < end; index += 1) {
      const code = text.charCodeAt(index);
      if (code >= 0x30 && code <= 0x39) {
        digits[count] = code - 0x30;
        count += 1;
        afterDigit = true;
      } else if (afterDigit && (code === 0x20 || code === 0x2e || code === 0x2d)) {
        afterDigit = false;
      } else {
        return ScanOutcome.Undecided;
      }
    }
    if (!afterDigit || count < 3) return ScanOutcome.Undecided;
    this.text = text;
    this.textDigitsStart = count === end - digitsStart ? digitsStart : -1;
    if (international) return this.international(count);
    return region === null ? ScanOutcome.Undecided : this.national(count, region);
  }

  /** After Valid: the E.164 text, cut from the input when it was written without separators. */
  e164(): string {
    if (this.e164TextStart < 0) return `+${this.e164Digits}`;
    return this.e164Head + this.text.slice(this.e164TextStart, this.e164TextEnd);
  }

  private international(count: number): ScanOutcome {
    const digits = this.digits;
    if (digits[0] === 0) return ScanOutcome.Undecided;
    let callingCode = 0;
    for (let length = 1; length <= MAX_CALLING_CODE_LENGTH && length < count; length += 1) {
      callingCode = callingCode * 10 + digits[length - 1]!;
      const countries = numbering.countriesForCallingCodeValue(callingCode);
      if (countries === undefined) {
        if (numbering.isNonGeographicValue(callingCode)) return ScanOutcome.Undecided;
        continue;
      }
      if (countries.length !== 1) return ScanOutcome.Undecided;
      const plan = numbering.plan(countries[0]!);
      const prefix = plan.nationalPrefixForParsing;
      if (prefix !== null && (prefix.literal === null || this.startsWith(prefix.literal, length, count))) return ScanOutcome.Undecided;
      return this.decide(plan, countries[0]!, length, count);
    }
    return ScanOutcome.Undecided;
  }

  private national(count: number, region: string): ScanOutcome {
    const plan = numbering.plan(region);
    const patterns = plan.digitPatterns;
    if (patterns === null || plan.countriesSharingCallingCode.length !== 1 || plan.iddPrefix.literal === null) return ScanOutcome.Undecided;
    if (this.startsWith(plan.iddPrefix.literal, 0, count) || this.startsWith(plan.callingCode, 0, count)) return ScanOutcome.Undecided;
    let from = 0;
    const prefix = plan.nationalPrefixForParsing;
    if (prefix !== null) {
      if (prefix.literal === null) return ScanOutcome.Undecided;
      if (this.startsWith(prefix.literal, 0, count)) {
        // The library keeps the prefix when stripping it spoils the number or leaves an impossible length.
        const stripped = prefix.literal.length;
        const strippedMatches = (patterns.matchMask(this.digits, stripped, count) & NATIONAL_BIT) !== 0;
        const spoils = !strippedMatches && (patterns.matchMask(this.digits, 0, count) & NATIONAL_BIT) !== 0;
        if (!spoils && hasPossibleLength(count - stripped, plan.possibleLengths)) from = stripped;
      }
    }
    return this.decide(plan, region, from, count);
  }

  /** The verdict on digits[from, to) as the national number of `plan` (the plan of `country`). */
  private decide(plan: CompiledPlan, country: string, from: number, to: number): ScanOutcome {
    const length = to - from;
    const patterns = plan.digitPatterns;
    if (patterns === null || length < MIN_NATIONAL_LENGTH || length > MAX_NATIONAL_LENGTH) return ScanOutcome.Undecided;
    if (plan.callingCode.length + length > MAX_E164_DIGITS) return ScanOutcome.Undecided;
    const mask = patterns.matchMask(this.digits, from, to);
    // The verdict depends only on which patterns matched and the length: worked out once per pair.
    const verdicts = (plan.maskVerdicts ??= new Int8Array(patterns.size << LENGTH_BITS));
    const slot = (mask << LENGTH_BITS) | length;
    let verdict = verdicts[slot]!;
    if (verdict === MASK_UNKNOWN) verdict = verdicts[slot] = maskVerdict(mask, length, plan);
    if (verdict === MASK_INVALID) {
      this.reason = plan.country === country ? plan.invalidReason : invalidReason(country, plan.callingCode);
      return ScanOutcome.Invalid;
    }
    let value = plan.callingCodeValue;
    for (let index = from; index < to; index += 1) value = value * 10 + this.digits[index]!;
    this.e164Digits = value;
    this.lineType = verdict === MASK_MOBILE ? 'mobile' : verdict === MASK_FIXED_LINE ? 'fixed-line' : 'other';
    this.e164TextStart = this.textDigitsStart < 0 ? -1 : this.textDigitsStart + from;
    this.e164TextEnd = this.textDigitsStart + to;
    this.e164Head = plan.e164Prefix;
    return ScanOutcome.Valid;
  }

  private startsWith(literal: string, from: number, count: number): boolean {
    if (count - from < literal.length) return false;
    for (let index = 0; index < literal.length; index += 1) {
      if (this.digits[from + index] !== literal.charCodeAt(index) - 0x30) return false;
    }
    return true;
  }
}

/** National lengths stay below 2^5 (the library stops at 17). */
const LENGTH_BITS = 5;
const MASK_UNKNOWN = 0;
const MASK_INVALID = 1;
const MASK_MOBILE = 2;
const MASK_FIXED_LINE = 3;
const MASK_OTHER = 4;

/** verdictFor()'s validity and line type from a DigitPatternSet mask, as a MASK_* code. */
function maskVerdict(mask: number, length: number, plan: CompiledPlan): number {
  const type = typeFromMask(mask, length, plan);
  const valid = plan.hasTypes ? type !== undefined : (mask & NATIONAL_BIT) !== 0;
  if (!valid) return MASK_INVALID;
  const lineType = lineTypeOf(type);
  return lineType === 'mobile' ? MASK_MOBILE : lineType === 'fixed-line' ? MASK_FIXED_LINE : MASK_OTHER;
}

/** numberType() from a DigitPatternSet mask. */
function typeFromMask(mask: number, length: number, plan: CompiledPlan): NumberType | undefined {
  if ((mask & NATIONAL_BIT) === 0) return undefined;
  if (isOfTypeMask(mask, length, plan.types.get('FIXED_LINE'))) {
    const mobile = plan.types.get('MOBILE');
    if (mobile === undefined || mobile.pattern === null || isOfTypeMask(mask, length, mobile)) return 'FIXED_LINE_OR_MOBILE';
    return 'FIXED_LINE';
  }
  for (const type of NON_FIXED_LINE_TYPES) if (isOfTypeMask(mask, length, plan.types.get(type))) return type;
  return undefined;
}

function isOfTypeMask(mask: number, length: number, type: CompiledType | undefined): boolean {
  if (type === undefined || type.pattern === null) return false;
  return type.possibleLengths.includes(length) && (mask & type.bit) !== 0;
}

const sharedScanner = new NumberScanner();
