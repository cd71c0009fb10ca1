import { Metadata } from 'libphonenumber-js/max';
import { DigitPatternSet } from './digit-automaton.js';
import { NON_FIXED_LINE_TYPES, invalidReason, type NumberType } from './validator.js';

// The fast path's view of libphonenumber-js's metadata: numbering plans compiled once, and the library's
// parse → isValid → getType steps written once over them, whatever tells which patterns a number matches.

/** libphonenumber-js's own limits on a national (significant) number. */
export const MIN_NATIONAL_LENGTH = 2;
export const MAX_NATIONAL_LENGTH = 17;
export const MAX_CALLING_CODE_LENGTH = 3;

export interface CompiledType {
  /** null when the metadata left the pattern empty (same as the fixed-line one). */
  pattern: RegExp | null;
  /** This pattern's bit in the plan's DigitPatternSet mask. */
  bit: number;
  possibleLengths: number[];
}

export interface CompiledPlan {
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
export const NATIONAL_BIT = 1;

/** A pattern matched at the start of the digits; plain digit strings (the usual `0`, `00`) skip the regex engine. */
export class PrefixPattern {
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
      types.set(name, {
        pattern: pattern ? whole(pattern) : null,
        bit: pattern ? 1 << (patterns.length - 1) : 0,
        possibleLengths: type.possibleLengths(),
      });
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

export const numbering = new CompiledNumbering();

/**
 * The library's getNumberType() for a national number of `plan`: `matchesNational` says whether it matches the
 * plan's national pattern, `isOfType(subject, type)` whether it is of a type (by RegExp or by automaton mask).
 */
export function typeOfNumber<S>(
  plan: CompiledPlan,
  matchesNational: boolean,
  subject: S,
  isOfType: (subject: S, type: CompiledType | undefined) => boolean,
): NumberType | undefined {
  if (!matchesNational) return undefined;
  if (isOfType(subject, plan.types.get('FIXED_LINE'))) {
    const mobile = plan.types.get('MOBILE');
    if (mobile === undefined || mobile.pattern === null || isOfType(subject, mobile)) return 'FIXED_LINE_OR_MOBILE';
    return 'FIXED_LINE';
  }
  return NON_FIXED_LINE_TYPES.find((type) => isOfType(subject, plan.types.get(type)));
}

/** The library's isValid(): a known type, or the national pattern alone for plans without types. */
export function isValidNumber(plan: CompiledPlan, type: NumberType | undefined, matchesNational: boolean): boolean {
  return plan.hasTypes ? type !== undefined : matchesNational;
}

/** Like the library's `checkNumberLength()`: anything but "too short" or "invalid length" passes. */
export function hasPossibleLength(length: number, possibleLengths: number[]): boolean {
  if (length < possibleLengths[0]!) return false;
  if (length > possibleLengths[possibleLengths.length - 1]!) return true;
  return possibleLengths.includes(length);
}
