import { ParseError, isSupportedCountry, parsePhoneNumber } from 'libphonenumber-js/max';
import type { CountryCode, PhoneNumber } from 'libphonenumber-js/max';
import { invalidReason, lineTypeOf, type NumberValidator, type NumberVerdict } from './validator.js';

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
