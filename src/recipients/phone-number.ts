import { Metadata, ParseError, isSupportedCountry, parsePhoneNumber } from 'libphonenumber-js/max';
import type { CountryCode, PhoneNumber } from 'libphonenumber-js/max';

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
  const region = country === null ? null : supportedRegion(country);
  if (region === undefined) return { ok: false, reason: `unknown country "${country}"` };
  return fastVerdict(raw, region) ?? libraryVerdict(raw, region);
}

/** The verdict straight from libphonenumber-js: the reference the fast path must agree with. */
export function libraryVerdict(raw: string, country: string | null): NumberVerdict {
  let number: PhoneNumber;
  try {
    number = country === null ? parsePhoneNumber(raw) : parsePhoneNumber(raw, country as CountryCode);
  } catch (error) {
    if (error instanceof ParseError) return { ok: false, reason: parseErrorReason(error.message, raw, country) };
    throw error;
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

/** The fast path alone: undefined when it leaves the number to the library. Exported for tests. */
export function fastVerdict(raw: string, country: string | null): NumberVerdict | undefined {
  if (raw.length > 64) return undefined;
  const text = raw.trim();
  const international = text.charCodeAt(0) === PLUS;
  const written = international ? text.slice(1) : text;
  const shape = digitGroups(written);
  if (shape === 'other') return undefined;
  const digits = shape === 'digits' ? written : written.replace(SEPARATORS, '');
  // The library treats two-digit input specially; not worth a fast path.
  if (digits.length < 3) return undefined;
  if (international) return fastInternational(digits);
  return country === null ? undefined : fastNational(digits, country);
}

/** `digits` (only digits), `separated` (digit groups joined by one space, dot or dash) or `other`. */
function digitGroups(text: string): 'digits' | 'separated' | 'other' {
  let afterDigit = false;
  let separated = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code >= 0x30 && code <= 0x39) {
      afterDigit = true;
    } else if (afterDigit && (code === 0x20 || code === 0x2e || code === 0x2d)) {
      afterDigit = false;
      separated = true;
    } else {
      return 'other';
    }
  }
  if (!afterDigit) return 'other';
  return separated ? 'separated' : 'digits';
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
    nationalNumber = digits.slice(prefix[0]!.length);
    matchesNationalPattern = plan.nationalNumber.test(nationalNumber);
    // The library keeps the prefix when stripping it would spoil the number; leave those cases to it.
    if (!matchesNationalPattern && plan.nationalNumber.test(digits)) return undefined;
    const lengthCountry = countryForNationalNumber(plan.countriesSharingCallingCode, nationalNumber);
    const lengthPlan = lengthCountry === undefined ? plan : numbering.plan(lengthCountry);
    if (!hasPossibleLength(nationalNumber, lengthPlan.possibleLengths)) return undefined;
  }
  if (nationalNumber.length < MIN_NATIONAL_LENGTH || nationalNumber.length > MAX_NATIONAL_LENGTH) return undefined;
  const exactCountry = countryForNationalNumber(plan.countriesSharingCallingCode, nationalNumber);
  if (exactCountry !== undefined && exactCountry !== country) matchesNationalPattern = undefined;
  return verdictFor(callingCode, nationalNumber, exactCountry ?? country, exactCountry === undefined ? plan : numbering.plan(exactCountry), matchesNationalPattern);
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
function hasPossibleLength(nationalNumber: string, possibleLengths: number[]): boolean {
  const length = nationalNumber.length;
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
  possibleLengths: number[];
}

interface CompiledPlan {
  callingCode: string;
  countriesSharingCallingCode: string[];
  nationalNumber: RegExp;
  possibleLengths: number[];
  hasTypes: boolean;
  types: Map<NumberType, CompiledType>;
  leadingDigits: RegExp | null;
  nationalPrefixForParsing: PrefixPattern | null;
  iddPrefix: PrefixPattern;
}

/** A pattern matched at the start of the digits; plain digit strings (the usual `0`, `00`) skip the regex engine. */
class PrefixPattern {
  private readonly literal: string | null;
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

  constructor() {
    for (const callingCode of Object.keys(this.metadata.countryCallingCodes())) {
      const countries = this.metadata.getCountryCodesForCallingCode(callingCode);
      if (countries !== undefined) this.callingCodes.set(callingCode, countries);
    }
  }

  /** The countries sharing a geographic calling code, main country first. */
  countriesForCallingCode(callingCode: string): string[] | undefined {
    return this.callingCodes.get(callingCode);
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
    for (const name of ['FIXED_LINE', ...NON_FIXED_LINE_TYPES] as NumberType[]) {
      const type = source.type(name);
      if (type === undefined) continue;
      const pattern = type.pattern();
      types.set(name, { pattern: pattern ? whole(pattern) : null, possibleLengths: type.possibleLengths() });
    }
    const leadingDigits = source.leadingDigits();
    const nationalPrefixForParsing = source.nationalPrefixForParsing();
    const callingCode = source.callingCode();
    return {
      callingCode,
      countriesSharingCallingCode: this.countriesForCallingCode(callingCode) ?? [country],
      nationalNumber: whole(source.nationalNumberPattern()),
      possibleLengths: source.possibleLengths(),
      hasTypes: source.hasTypes(),
      types,
      leadingDigits: leadingDigits ? start(leadingDigits) : null,
      nationalPrefixForParsing: nationalPrefixForParsing ? new PrefixPattern(nationalPrefixForParsing) : null,
      iddPrefix: new PrefixPattern(source.IDDPrefix()),
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
