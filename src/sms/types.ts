// What the SMS domain computes about a message, independent of any campaign file.

/** The character set a message is sent in, as the plan JSON names it. */
export type Encoding = 'GSM-7' | 'UCS-2';

export interface NonGsmCharacter {
  char: string;
  /** 0-based index in the message (UTF-16 units). */
  index: number;
}

export interface MessageAnalysis {
  encoding: Encoding;
  /** Septets (GSM-7) or UTF-16 units (UCS-2), STOP clause included when appended. */
  characters: number;
  parts: number;
  nonGsmCharacters: NonGsmCharacter[];
}
