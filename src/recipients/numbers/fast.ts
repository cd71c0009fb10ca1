import {
  MAX_CALLING_CODE_LENGTH,
  MAX_NATIONAL_LENGTH,
  MIN_NATIONAL_LENGTH,
  hasPossibleLength,
  isValidNumber,
  numbering,
  typeOfNumber,
  type CompiledPlan,
  type CompiledType,
} from './plans.js';
import { referenceValidator } from './reference.js';
import { MAX_FAST_LENGTH, PLUS, ScanOutcome, sharedScanner } from './scanner.js';
import { invalidReason, lineTypeOf, type NumberType, type NumberValidator, type NumberVerdict } from './validator.js';

// Fast path. It mirrors libphonenumber-js's parse → isValid → getType for digits-only input and
// returns undefined (full parser) whenever the library would do something less simple: national
// prefix inside an international number, IDD prefix, carrier codes, prefix transform rules, etc.

/** The fast path, falling back to `fallback` (the reference) for what it leaves undecided. */
export function fastValidator(fallback: NumberValidator = referenceValidator): NumberValidator {
  return {
    verdict: (raw, region) => fastVerdict(raw, region) ?? fallback.verdict(raw, region),
    verdictInText: (text, start, end, region) =>
      fastVerdictInText(text, start, end, region) ?? fallback.verdictInText(text, start, end, region),
  };
}

const SEPARATORS = /[ .-]/g;

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
  return verdictFor(
    callingCode,
    nationalNumber,
    exactCountry ?? country,
    exactCountry === undefined ? plan : numbering.plan(exactCountry),
    matchesNationalPattern,
  );
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
  const matchesNational = matchesNationalPattern ?? plan.nationalNumber.test(nationalNumber);
  const type = typeOfNumber(plan, matchesNational, nationalNumber, isOfType);
  if (!isValidNumber(plan, type, matchesNational)) return { ok: false, reason: invalidReason(country ?? null, callingCode) };
  return { ok: true, e164: `+${callingCode}${nationalNumber}`, lineType: lineTypeOf(type) };
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

function numberType(nationalNumber: string, plan: CompiledPlan): NumberType | undefined {
  return typeOfNumber(plan, plan.nationalNumber.test(nationalNumber), nationalNumber, isOfType);
}

function isOfType(nationalNumber: string, type: CompiledType | undefined): boolean {
  if (type === undefined || type.pattern === null) return false;
  if (!type.possibleLengths.includes(nationalNumber.length)) return false;
  return type.pattern.test(nationalNumber);
}
