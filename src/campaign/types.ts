import type { Encoding, MessageAnalysis, NonGsmCharacter } from '../sms/types.js';

export type { Encoding, MessageAnalysis, NonGsmCharacter };

/** Where a problem was found; line and column are 1-based, null when the file as a whole is at fault. */
export interface Problem {
  file: string;
  line: number | null;
  column: number | null;
  /** Path of the YAML field, e.g. `to[2]` or `recipients[0].file`; null for the whole file. */
  field: string | null;
  message: string;
}

export interface SourcePosition {
  line: number;
  column: number;
}

export type CampaignType = 'marketing' | 'transactional';
export type EncodingPolicy = 'auto' | 'gsm7' | 'unicode';
export type InvalidNumbersPolicy = 'error' | 'skip';

/** A recipient dropped under `invalidNumbers: skip`: one row of `<campaign>/rejected.csv`. */
export interface SkippedRecipient {
  /** The CSV file, `to`, or `env NAME`. */
  source: string;
  /** CSV line, position in `to` (0-based, as the field path) or in the variable; null when unknown. */
  row: number | null;
  reason: string;
  /** As written: full number, only for the private CSV. */
  number: string;
}

/** A campaign file that passed every check: everything the plan needs, normalised. */
export interface Campaign {
  name: string;
  /** Path relative to the working directory (the repository root), with forward slashes. */
  file: string;
  type: CampaignType;
  from: string | null;
  senderForResponse: boolean;
  message: string;
  /** E.164 numbers, de-duplicated, in order of first appearance. */
  recipients: string[];
  duplicatesRemoved: number;
  /** E.164 numbers the `test` command sends to; never part of `recipients`. */
  testRecipients: string[];
  /** Rows dropped under `invalidNumbers: skip` (absent: none). */
  skipped?: SkippedRecipient[];
  country: string | null;
  /** `YYYY-MM-DDTHH:MM:SS` + `Z` or `±HH:MM`: as written in the file, in the one form OVH takes. */
  deferred: string | null;
  noStop: boolean;
  tag: string | null;
  encoding: EncodingPolicy;
  maxParts: number;
  cancel: boolean;
  description: string | null;
  analysis: MessageAnalysis;
  warnings: Problem[];
  /** Positions of top-level fields, so later (clock-dependent) checks can point at them. */
  positions: Partial<Record<string, SourcePosition>>;
}

/** A campaign file that could not be turned into a Campaign; nothing from it is ever sent. */
export interface InvalidCampaign {
  /** The name, when the file got far enough to have one. */
  name: string | null;
  file: string;
  errors: Problem[];
  warnings: Problem[];
}

export type LoadedCampaign = { valid: true; campaign: Campaign } | { valid: false; invalid: InvalidCampaign };
