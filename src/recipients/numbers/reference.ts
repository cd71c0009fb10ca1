import { Metadata, ParseError, isSupportedCountry, parsePhoneNumber } from 'libphonenumber-js/max';
import type { CountryCode, PhoneNumber } from 'libphonenumber-js/max';
import { invalidReason, lineTypeOf, type NumberValidator, type NumberVerdict } from './validator.js';

const PHONE_CHARACTERS = /^[\d\s\u00a0\u202f+().\-/]*$/;

/** The verdict straight from libphonenumber-js: the reference the fast path must agree with. */
export function libraryVerdict(raw: string, country: string | null): NumberVerdict {
  // The library drops trailing text and reads `ext. 12` as an extension: a recipient is a number and nothing else.
  if (!PHONE_CHARACTERS.test(raw) && /\d/.test(raw))
    return { ok: false, reason: 'text beside the number (an extension, a note): write the number alone' };
  const known = knownParseError(raw, country);
  if (known !== undefined) return { ok: false, reason: parseErrorReason(known, raw, country) };
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

/** The library refuses longer text as TOO_LONG before reading it. */
const MAX_INPUT_LENGTH = 250;
/** What can start a number for the library: a plus sign or a digit of the scripts it reads. */
const NUMBER_START = /[+\uff0b0-9\uff10-\uff19\u0660-\u0669\u06f0-\u06f9]/;
/** Digit groups joined by one space, dot or dash, after an optional `+`. */
const DIGIT_GROUPS = /^\s*(\+?)\d+(?:[ .-]\d+)*\s*$/;
/** The library's longest calling code. */
const MAX_CALLING_CODE_LENGTH = 3;
/** `hasCallingCode` is there at run time but not in the library's typings. */
const metadata = new (Metadata as unknown as new () => { hasCallingCode(callingCode: string): boolean | undefined })();

/**
 * The ParseError code the library would throw for the commonest refusals (no number at all, a national number
 * without a country), found without calling it: it reports them by throwing, and a thrown error captures a stack
 * trace, which costs more than the parse. Undefined: ask the library. Exported for the test that checks it.
 */
export function knownParseError(raw: string, country: string | null): string | undefined {
  if (raw.length > MAX_INPUT_LENGTH) return undefined;
  if (!NUMBER_START.test(raw)) return 'NOT_A_NUMBER';
  const groups = DIGIT_GROUPS.exec(raw);
  if (groups === null) return undefined;
  const digits = raw.replace(/\D/g, '');
  if (digits.length < 3) return undefined;
  if (groups[1] === '') return country === null ? 'INVALID_COUNTRY' : undefined;
  return hasCallingCodePrefix(digits) ? undefined : 'INVALID_COUNTRY';
}

/** Whether the number after `+` starts with a calling code, as the library looks for one (never 0, one to three digits). */
function hasCallingCodePrefix(digits: string): boolean {
  if (digits[0] === '0') return false;
  for (let length = 1; length <= MAX_CALLING_CODE_LENGTH; length += 1) {
    if (metadata.hasCallingCode(digits.slice(0, length))) return true;
  }
  return false;
}

export const referenceValidator: NumberValidator = {
  verdict: libraryVerdict,
  verdictInText: (text, start, end, region) => libraryVerdict(text.slice(start, end), region),
};

/** The metadata's region for a campaign country (`fr` → `FR`), null for none, undefined when unknown. */
export function resolveRegion(country: string | null): string | null | undefined {
  return country === null ? null : supportedRegion(country);
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
