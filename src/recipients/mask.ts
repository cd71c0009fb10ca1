import { Metadata } from 'libphonenumber-js/max';

const MASK = '•';

interface CallingCodeLookup {
  hasCallingCode(callingCode: string): boolean | undefined;
}
const metadata = new (Metadata as unknown as new () => CallingCodeLookup)();

/**
 * A phone number safe for logs, comments and summaries: `+33612345678` → `+33 6•• ••• •78`.
 * Keeps the calling code, the first national digit and the last two digits.
 */
export function maskPhoneNumber(e164: string): string {
  // Already masked (apply masks at the source, reports mask again): masking twice would hide the kept digits.
  if (e164.includes(MASK)) return e164;
  const digits = e164.replace(/\D/g, '');
  const callingCode = e164.trim().startsWith('+') ? findCallingCode(digits) : undefined;
  if (callingCode === undefined) return group(maskDigits(digits, 0));
  const national = digits.slice(callingCode.length);
  return `+${callingCode} ${group(maskDigits(national, national.length >= 6 ? 1 : 0))}`;
}

// `+33 6…`, `0033…`, `06 12 34 56 78` and long digit runs; dates and times (`2027-01-04T10:00:00+01:00`) do not match.
const PHONE_IN_TEXT = /\+\d[\d .-]{6,}\d|\b0\d(?:[ .-]?\d\d){4}\b|\b\d{9,}\b/g;

/** Masks every phone-looking number in free text (OVH messages, progress lines, problems). */
export function maskPhoneNumbersInText(text: string): string {
  return text.replace(PHONE_IN_TEXT, (number) => maskPhoneNumber(number));
}

function findCallingCode(digits: string): string | undefined {
  for (let length = 1; length <= 3 && length < digits.length; length += 1) {
    const candidate = digits.slice(0, length);
    if (metadata.hasCallingCode(candidate)) return candidate;
  }
  return undefined;
}

function maskDigits(digits: string, keepStart: number): string {
  const keepEnd = digits.length >= 4 ? 2 : 0;
  return digits
    .split('')
    .map((digit, index) => (index < keepStart || index >= digits.length - keepEnd ? digit : MASK))
    .join('');
}

/** Groups of three from the right, so the kept last digits stay together. */
function group(text: string): string {
  const characters = [...text];
  const groups: string[] = [];
  for (let end = characters.length; end > 0; end -= 3) groups.unshift(characters.slice(Math.max(0, end - 3), end).join(''));
  return groups.join(' ');
}
