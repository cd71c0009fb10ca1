export type LineType = 'mobile' | 'fixed-line' | 'other';

export type NumberVerdict = { ok: true; e164: string; lineType: LineType } | { ok: false; reason: string };

/**
 * E.164 form, validity and line type of a recipient as written by a person. Two implementations: the reference
 * (libphonenumber-js) and the fast path over the same metadata, which must give the same verdicts.
 */
export interface NumberValidator {
  /** `region` comes from resolveRegion (`FR`, or null when the campaign has no country). */
  verdict(raw: string, region: string | null): NumberVerdict;
  /** The verdict on text[start, end), already trimmed: copies the text only when it has to. */
  verdictInText(text: string, start: number, end: number, region: string | null): NumberVerdict;
}

/** Number types as libphonenumber-js names them, in the order its `getNumberType()` tries them. */
export type NumberType =
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

export const NON_FIXED_LINE_TYPES: NumberType[] = [
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

export function lineTypeOf(type: string | undefined): LineType {
  if (type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE') return 'mobile';
  if (type === 'FIXED_LINE') return 'fixed-line';
  return 'other';
}

export function invalidReason(country: string | null, callingCode: string): string {
  return `not a valid phone number for ${country ?? `+${callingCode}`}`;
}

export function unknownCountryReason(country: string | null): string {
  return `unknown country "${country}"`;
}
