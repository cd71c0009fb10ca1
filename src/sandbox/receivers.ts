import { Metadata, isValidPhoneNumber } from 'libphonenumber-js/max';

const TYPES = [
  'FIXED_LINE',
  'MOBILE',
  'FIXED_LINE_OR_MOBILE',
  'PREMIUM_RATE',
  'TOLL_FREE',
  'SHARED_COST',
  'VOIP',
  'PERSONAL_NUMBER',
  'PAGER',
  'UAN',
  'VOICEMAIL',
] as const;

interface Plan {
  national: RegExp;
  types: { pattern: RegExp; lengths: number[] | null }[];
}

const metadata = new Metadata();
/** By calling code: a plan, null for a code shared by several regions, undefined for no such code. */
const plans = new Map<string, Plan | null | undefined>();

/** The numbering plan of a calling code served by one region; null when several regions share it (+1, +7, +44…). */
function planFor(callingCode: string): Plan | null | undefined {
  if (plans.has(callingCode)) return plans.get(callingCode);
  const regions = (
    metadata as unknown as { getCountryCodesForCallingCode(code: string): string[] | undefined }
  ).getCountryCodesForCallingCode(callingCode);
  let plan: Plan | null | undefined = undefined;
  if (regions && regions.length === 1) {
    metadata.selectNumberingPlan(regions[0] as Parameters<Metadata['selectNumberingPlan']>[0]);
    const numbering = (metadata as unknown as { numberingPlan: NumberingPlan }).numberingPlan;
    plan = {
      national: new RegExp(`^(?:${numbering.nationalNumberPattern()})$`),
      types: TYPES.flatMap((type) => {
        const entry = numbering.type(type);
        const pattern = entry?.pattern();
        return pattern ? [{ pattern: new RegExp(`^(?:${pattern})$`), lengths: entry!.possibleLengths() ?? null }] : [];
      }),
    };
  } else if (regions) {
    plan = null;
  }
  plans.set(callingCode, plan);
  return plan;
}

interface NumberingPlan {
  nationalNumberPattern(): string;
  type(type: string): { pattern(): string | undefined; possibleLengths(): number[] | undefined } | undefined;
}

/**
 * OVH takes E.164 only; the full libphonenumber metadata decides whether the number can exist. Calling codes of
 * one region are checked against that region's compiled patterns (a 1M-number list in about a second, where
 * `isValidPhoneNumber` takes 26 µs a number); what they refuse, and shared calling codes, go to `isValidPhoneNumber`.
 */
export function isAcceptedNumber(receiver: string): boolean {
  if (!/^\+[1-9]\d{5,14}$/.test(receiver)) return false;
  for (let length = 1; length <= 3; length += 1) {
    const callingCode = receiver.slice(1, 1 + length);
    const plan = planFor(callingCode);
    if (plan === undefined) continue;
    if (plan === null) return isValidPhoneNumber(receiver);
    const national = receiver.slice(1 + length);
    const fits =
      plan.national.test(national) &&
      plan.types.some((type) => type.pattern.test(national) && (type.lengths === null || type.lengths.includes(national.length)));
    // Only the yes is taken from the patterns: libphonenumber also reads numbers written with a national prefix.
    return fits || isValidPhoneNumber(receiver);
  }
  return false;
}
