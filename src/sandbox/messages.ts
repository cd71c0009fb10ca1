import { isValidPhoneNumber } from 'libphonenumber-js/max';
import { STOP_CLAUSE, analyzeMessage } from '../sms/index.js';

export { STOP_CLAUSE };

/** The text the handset receives: OVH appends its STOP clause itself when noStop is false. */
export function deliveredText(message: string, noStop: boolean): string {
  return noStop ? message : message + STOP_CLAUSE;
}

/** SMS parts of a message as OVH bills it, counted like the plan counts them. */
export function countParts(message: string, noStop: boolean): number {
  return Math.max(1, analyzeMessage(message, { stopClause: !noStop }).parts);
}

/** OVH takes E.164 only; the full libphonenumber metadata decides whether the number can exist. */
export function isAcceptedReceiver(receiver: string): boolean {
  return /^\+[1-9]\d{5,14}$/.test(receiver) && isValidPhoneNumber(receiver);
}
