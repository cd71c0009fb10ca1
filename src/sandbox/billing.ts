// The simulator's own SMS part count, written apart from the engine's (src/sms) so that a billing
// difference between the two shows up in tests instead of being copied into both.

// GSM 03.38 basic character set (one septet each) and its extension table (escape + character: two septets).
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM_EXTENSION = new Set('\f^{}\\[~]|€');

/** Per-part capacity in septets (GSM-7) or UTF-16 units (UCS-2): single message, then each concatenated part. */
const CAPACITY = { gsm: { single: 160, multi: 153 }, ucs2: { single: 70, multi: 67 } } as const;

export interface BilledMessage {
  gsm: boolean;
  /** Septets (GSM-7) or UTF-16 units (UCS-2). */
  characters: number;
  parts: number;
  /** Capacity of each part: a single message's, or a concatenated part's. */
  maxCharactersPerPart: number;
}

/** The text as an SMSC splits it: escape pairs and surrogate pairs are never cut, nothing else is kept whole. */
export function billMessage(text: string): BilledMessage {
  const characters = Array.from(text);
  const gsm = characters.every((character) => GSM_BASIC.has(character) || GSM_EXTENSION.has(character));
  const weights = characters.map((character) => (gsm ? (GSM_EXTENSION.has(character) ? 2 : 1) : character.length));
  const capacity = gsm ? CAPACITY.gsm : CAPACITY.ucs2;
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  if (total <= capacity.single) return { gsm, characters: total, parts: 1, maxCharactersPerPart: capacity.single };
  return { gsm, characters: total, parts: splitParts(weights, capacity.multi), maxCharactersPerPart: capacity.multi };
}

export const billedParts = (text: string): number => billMessage(text).parts;

function splitParts(weights: number[], capacity: number): number {
  let parts = 1;
  let used = 0;
  for (const weight of weights) {
    if (used + weight > capacity) {
      parts += 1;
      used = 0;
    }
    used += weight;
  }
  return parts;
}
