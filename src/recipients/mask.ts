import { Metadata } from 'libphonenumber-js/max';

const MASK = '•';

/** Text that went through the masker: no full phone number left in it. Only this module makes one. */
export type MaskedText = string & { readonly __masked: 'phone numbers masked' };

interface CallingCodeLookup {
  hasCallingCode(callingCode: string): boolean | undefined;
}
const metadata = new (Metadata as unknown as new () => CallingCodeLookup)();

/** Calling code (3) + first national digit + last two: a masked number never keeps more digits than this. */
const MAX_KEPT_DIGITS = 6;

/**
 * A phone number safe for logs, comments and summaries: `+33612345678` → `+33 6•• ••• •78`, `0033 6…` and
 * `(+33) 6…` alike; a national spelling keeps only its last two digits.
 */
export function maskPhoneNumber(number: string): MaskedText {
  const digits = number.replace(/\D/g, '');
  // Already masked (apply masks at the source, reports mask again): masking twice would hide the kept digits.
  if (number.includes(MASK) && digits.length <= MAX_KEPT_DIGITS) return number as MaskedText;
  const international = /^\s*\(?\s*\+/.test(number) || digits.startsWith('00');
  const significant = digits.startsWith('00') ? digits.slice(2) : digits;
  const callingCode = international ? findCallingCode(significant) : undefined;
  if (callingCode === undefined) return group(maskDigits(significant, 0)) as MaskedText;
  const national = significant.slice(callingCode.length);
  return `+${callingCode} ${group(maskDigits(national, national.length >= 6 ? 1 : 0))}` as MaskedText;
}

/**
 * A phone-looking run: digits with at most three separators (space, no-break space, `.`, `-`, `(`, `)`, `/`)
 * between two digits, optionally opened by `+` or `(`, not glued to a letter or digit before it.
 */
const PHONE_RUN = /(?<![\p{L}\p{N}_])(?:\(\s?)?\+?\(?\d(?:[ \u00a0\u202f.\-()/]{0,3}\d)+/gu;
/** Fewer digits than this is a count, a time or a version, not a phone number. */
const MIN_DIGITS = 7;
/** Batch and document ids: their digit groups are not numbers. */
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** `2027-01-04…`, `04/01/2027`, `04.01.2027`: dates, kept readable. */
const LEADING_DATE =
  /^(?:\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])|(?:0[1-9]|[12]\d|3[01])([./-])(?:0[1-9]|1[0-2])\1(?:19|20)\d\d)(?!\d)/;

/** Masks every phone-looking number in free text (OVH messages, parser errors, progress lines, problems). */
export function maskPhoneNumbersInText(text: string): MaskedText {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(UUID)) {
    out += maskRuns(text.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return (out + maskRuns(text.slice(last))) as MaskedText;
}

function maskRuns(text: string): string {
  return text.replace(PHONE_RUN, maskRun);
}

function maskRun(run: string): string {
  const date = LEADING_DATE.exec(run);
  if (date !== null) return date[0] + maskRuns(run.slice(date[0].length));
  const digits = run.replace(/\D/g, '').length;
  return digits < MIN_DIGITS ? run : maskPhoneNumber(run);
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
