import type { CsvBytes } from '../recipients/index.js';
import type { CampaignType, EncodingPolicy, InvalidNumbersPolicy } from './types.js';

/** Campaign data once the JSON Schema accepted it. */
export interface CampaignData {
  name: string;
  type: CampaignType;
  from?: string;
  senderForResponse?: boolean;
  message: string;
  to?: string[];
  recipients?: ({ file: string } | { env: string })[];
  testRecipients?: (string | { file: string } | { env: string })[];
  country?: string;
  deferred?: string;
  noStop?: boolean;
  tag?: string;
  encoding?: EncodingPolicy;
  maxParts?: number;
  invalidNumbers?: InvalidNumbersPolicy;
  cancel?: boolean;
  description?: string;
}

/** What the I/O shell found for one `recipients[i].file` (or `testRecipients[i].file`) source. */
export type CsvSource = { index: number; csvFile: string; content: CsvBytes } | { index: number; error: string };
