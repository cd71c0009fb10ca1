import { SegmentedMessage } from 'sms-segments-calculator';
import type { MessageAnalysis, NonGsmCharacter } from './types.js';

/** What OVH appends to a message when `noStop` is false: 11 GSM-7 characters. */
export const STOP_CLAUSE = '\nSTOP 36184';

export interface AnalyzeOptions {
  /** Count OVH's STOP clause, appended after the message. */
  stopClause: boolean;
}

/** 140 octets of user data per SMS. */
const SINGLE_PART_BITS = 1120;
/** A concatenated part loses 6 octets to the user data header. */
const CONCATENATED_PART_BITS = 1120 - 6 * 8;
const UCS2_BITS_PER_UNIT = 16;

const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const gsmCharacterCache = new Map<string, boolean>();

/**
 * Encoding, length and parts of a message as the handset receives it, following Twilio's model
 * (sms-segments-calculator): a part never splits an escape pair, a surrogate pair or a grapheme.
 */
export function analyzeMessage(message: string, options: AnalyzeOptions): MessageAnalysis {
  const text = options.stopClause ? message + STOP_CLAUSE : message;
  const twilio = new SegmentedMessage(text);
  if (twilio.encodingName === 'GSM-7') {
    // Every GSM-7 grapheme is a single character, so Twilio's count is exact here.
    return { encoding: 'GSM-7', characters: twilio.numberOfCharacters, parts: twilio.segmentsCount, nonGsmCharacters: [] };
  }
  // Twilio's grapheme splitter predates recent emoji ZWJ sequences (❤️‍🔥, 🧑‍🤝‍🧑) and counts graphemes,
  // not UTF-16 units: count UCS-2 ourselves with the runtime's Unicode segmentation.
  const graphemes = splitGraphemes(text);
  return {
    encoding: 'UCS-2',
    characters: text.length,
    parts: countParts(graphemes.map((grapheme) => grapheme.text.length * UCS2_BITS_PER_UNIT)),
    nonGsmCharacters: findNonGsmCharacters(graphemes, message.length),
  };
}

interface Grapheme {
  text: string;
  index: number;
}

function splitGraphemes(text: string): Grapheme[] {
  const graphemes: Grapheme[] = [];
  for (const { segment, index } of graphemeSegmenter.segment(text)) {
    if (segment === '\r\n') {
      // CR and LF are two characters on the air (Twilio counts them apart too).
      graphemes.push({ text: '\r', index }, { text: '\n', index: index + 1 });
    } else {
      graphemes.push({ text: segment, index });
    }
  }
  return graphemes;
}

/** Twilio's packing: one part if everything fits in 1120 bits, else greedy 1072-bit parts of whole graphemes. */
function countParts(graphemeBits: number[]): number {
  const totalBits = graphemeBits.reduce((sum, bits) => sum + bits, 0);
  if (totalBits <= SINGLE_PART_BITS) return 1;
  let parts = 1;
  let usedBits = 0;
  for (const bits of graphemeBits) {
    if (usedBits > 0 && usedBits + bits > CONCATENATED_PART_BITS) {
      parts += 1;
      usedBits = 0;
    }
    usedBits += bits;
  }
  return parts;
}

function findNonGsmCharacters(graphemes: Grapheme[], messageLength: number): NonGsmCharacter[] {
  return graphemes
    .filter((grapheme) => grapheme.index < messageLength && !isGsmCharacter(grapheme.text))
    .map((grapheme) => ({ char: grapheme.text, index: grapheme.index }));
}

function isGsmCharacter(grapheme: string): boolean {
  if (grapheme.length !== 1) return false;
  let gsm = gsmCharacterCache.get(grapheme);
  if (gsm === undefined) {
    gsm = new SegmentedMessage(grapheme).encodingName === 'GSM-7';
    gsmCharacterCache.set(grapheme, gsm);
  }
  return gsm;
}
