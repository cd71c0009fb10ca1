import { billedParts } from './billing.js';
import { isAcceptedNumber } from './receivers.js';

/** OVH's STOP clause, as OVH documents it (written here again on purpose: the simulator shares no code with the engine). */
export const STOP_CLAUSE = '\nSTOP 36184';

/** The text the handset receives: OVH appends its STOP clause itself when noStop is false. */
export function deliveredText(message: string, noStop: boolean): string {
  return noStop ? message : message + STOP_CLAUSE;
}

/** SMS parts of a message as OVH bills it, STOP clause included. */
export function countParts(message: string, noStop: boolean): number {
  return billedParts(deliveredText(message, noStop));
}

/** OVH takes E.164 only; the full libphonenumber metadata decides whether the number can exist. */
export const isAcceptedReceiver = isAcceptedNumber;
