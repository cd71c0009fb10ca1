import { Metadata, parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** libphonenumber-js's calling-code table (present at run time, absent from its typings); the main country first. */
const countriesByCallingCode = new (
  Metadata as unknown as new () => { countryCallingCodes(): Record<string, string[]> }
)().countryCallingCodes();

/** National digits that tell countries sharing a calling code apart (NANP area codes, +7 6/7, +44 7781…). */
const SHARED_CODE_PREFIX_DIGITS = 4;
const sharedCodeCache = new Map<string, string>();

/**
 * The destination country (ISO 3166 alpha-2) of an E.164 number, or null when its calling code is no country's.
 * Calling codes are prefix-free, so most numbers are settled by their code alone; a code shared by several
 * countries (+1, +7, +44…) is settled by the full metadata once per leading digits, and falls back to the code's
 * main country (+44 → GB) for numbers the metadata does not place.
 */
export function countryOfNumber(e164: string): string | null {
  for (let length = 1; length <= 3; length++) {
    const code = e164.slice(1, 1 + length);
    const countries = countriesByCallingCode[code];
    if (!countries || countries.length === 0) continue;
    if (countries.length === 1) return countries[0]!;
    const key = e164.slice(0, 1 + length + SHARED_CODE_PREFIX_DIGITS);
    const cached = sharedCodeCache.get(key);
    if (cached) return cached;
    const country = parsePhoneNumberFromString(e164)?.country ?? countries[0]!;
    sharedCodeCache.set(key, country);
    return country;
  }
  return null;
}

/** Recipients counted by destination country (null: no country could be told), in order of first appearance. */
export function countByCountry(recipients: readonly string[]): Map<string | null, number> {
  const counts = new Map<string | null, number>();
  for (const number of recipients) {
    const country = countryOfNumber(number);
    counts.set(country, (counts.get(country) ?? 0) + 1);
  }
  return counts;
}
