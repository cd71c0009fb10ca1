import { SegmentedMessage } from 'sms-segments-calculator';
import { isValidPhoneNumber } from 'libphonenumber-js/max';

/** What OVH appends when noStop is false (OVH's notebook shows this exact text). */
export const STOP_CLAUSE = '\nSTOP 36184';

/** The text the handset receives. */
export function deliveredText(message: string, noStop: boolean): string {
  return noStop ? message : message + STOP_CLAUSE;
}

/** SMS parts of the delivered text (GSM-7 160/153, UCS-2 70/67). */
export function countParts(text: string): number {
  return Math.max(1, new SegmentedMessage(text).segmentsCount);
}

/** OVH takes E.164 only; the full libphonenumber metadata decides whether the number can exist. */
export function isAcceptedReceiver(receiver: string): boolean {
  return /^\+[1-9]\d{5,14}$/.test(receiver) && isValidPhoneNumber(receiver);
}
