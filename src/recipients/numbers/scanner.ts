import {
  MAX_CALLING_CODE_LENGTH,
  MAX_NATIONAL_LENGTH,
  MIN_NATIONAL_LENGTH,
  NATIONAL_BIT,
  hasPossibleLength,
  isValidNumber,
  numbering,
  typeOfNumber,
  type CompiledPlan,
  type CompiledType,
} from './plans.js';
import { invalidReason, lineTypeOf, type LineType } from './validator.js';

// Digit-buffer path: the fast path's steps for the simplest plans (one country per calling code,
// plain-digit prefixes, patterns the DigitPatternSet compiles), reading the text in place.

export const PLUS = 0x2b;
/** Longer text is never a plain number: the library reads it. */
export const MAX_FAST_LENGTH = 64;

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
  /** The national number of the last Valid scan: digits[e164From, e164To). */
  private e164From = 0;
  private e164To = 0;
  /** Character codes of an E.164 text, one array per length: String.fromCharCode takes them in one call. */
  private readonly codes: number[][] = [];

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
    if (this.e164TextStart < 0) return this.e164FromDigits();
    return this.e164Head + this.text.slice(this.e164TextStart, this.e164TextEnd);
  }

  /** The E.164 text from the digit buffer: writing e164Digits (a double) as text would cost several times more. */
  private e164FromDigits(): string {
    const head = this.e164Head;
    const from = this.e164From;
    const length = head.length + this.e164To - from;
    const codes = (this.codes[length] ??= new Array<number>(length).fill(0));
    for (let index = 0; index < head.length; index += 1) codes[index] = head.charCodeAt(index);
    for (let index = head.length; index < length; index += 1) codes[index] = this.digits[from + index - head.length]! + 0x30;
    return String.fromCharCode(...codes);
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
    let mask = -1;
    const prefix = plan.nationalPrefixForParsing;
    if (prefix !== null) {
      if (prefix.literal === null) return ScanOutcome.Undecided;
      if (this.startsWith(prefix.literal, 0, count)) {
        // The library keeps the prefix when stripping it spoils the number or leaves an impossible length.
        const stripped = prefix.literal.length;
        const strippedMask = patterns.matchMask(this.digits, stripped, count);
        const spoils = (strippedMask & NATIONAL_BIT) === 0 && (patterns.matchMask(this.digits, 0, count) & NATIONAL_BIT) !== 0;
        if (!spoils && hasPossibleLength(count - stripped, plan.possibleLengths)) {
          from = stripped;
          mask = strippedMask;
        }
      }
    }
    return this.decide(plan, region, from, count, mask);
  }

  /** The verdict on digits[from, to) as the national number of `plan` (the plan of `country`); knownMask: their matchMask. */
  private decide(plan: CompiledPlan, country: string, from: number, to: number, knownMask = -1): ScanOutcome {
    const length = to - from;
    const patterns = plan.digitPatterns;
    if (patterns === null || length < MIN_NATIONAL_LENGTH || length > MAX_NATIONAL_LENGTH) return ScanOutcome.Undecided;
    if (plan.callingCode.length + length > MAX_E164_DIGITS) return ScanOutcome.Undecided;
    // The mask national() already has for these digits, if any: the automaton is not run twice.
    const mask = knownMask >= 0 ? knownMask : patterns.matchMask(this.digits, from, to);
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
    this.e164From = from;
    this.e164To = to;
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

/** The fast path's verdict (validity and line type) from a DigitPatternSet mask, as a MASK_* code. */
function maskVerdict(mask: number, length: number, plan: CompiledPlan): number {
  const matchesNational = (mask & NATIONAL_BIT) !== 0;
  const type = typeOfNumber(plan, matchesNational, (mask << LENGTH_BITS) | length, isOfTypeInSlot);
  if (!isValidNumber(plan, type, matchesNational)) return MASK_INVALID;
  const lineType = lineTypeOf(type);
  return lineType === 'mobile' ? MASK_MOBILE : lineType === 'fixed-line' ? MASK_FIXED_LINE : MASK_OTHER;
}

/** `slot`: the pattern mask and the national length, as maskVerdicts indexes them. */
function isOfTypeInSlot(slot: number, type: CompiledType | undefined): boolean {
  if (type === undefined || type.pattern === null) return false;
  return type.possibleLengths.includes(slot & ((1 << LENGTH_BITS) - 1)) && ((slot >> LENGTH_BITS) & type.bit) !== 0;
}

/** The scanner of the one-number calls (normalizePhoneNumber): its result is read before the next scan. */
export const sharedScanner = new NumberScanner();
