import { fastValidator } from './fast.js';
import { resolveRegion } from './reference.js';
import { unknownCountryReason, type NumberVerdict } from './validator.js';

/** The validator the pipeline uses: the fast path, with the reference for what it leaves undecided. */
const numbers = fastValidator();

/**
 * E.164 form, validity and line type of a recipient as written by a person.
 * Same verdict as `parsePhoneNumber(raw, country).isValid()` with the full (`max`) metadata; common shapes
 * (`+33 6 12 34 56 78`, `06.12.34.56.78`) take a fast path over the metadata's own patterns.
 */
export function normalizePhoneNumber(raw: string, country: string | null): NumberVerdict {
  const region = resolveRegion(country);
  if (region === undefined) return { ok: false, reason: unknownCountryReason(country) };
  return numbers.verdict(raw, region);
}

/**
 * The verdict on text[start, end), already trimmed, for a region from resolveRegion: what normalizePhoneNumber
 * answers for that text, without copying it unless the library has to read it.
 */
export function verdictInText(text: string, start: number, end: number, region: string | null): NumberVerdict {
  return numbers.verdictInText(text, start, end, region);
}
