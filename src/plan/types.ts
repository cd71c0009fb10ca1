import type { Campaign, InvalidCampaign, Problem } from '../campaign/types.js';
import type { Batch } from '../account/index.js';
import type { CountryCost, PlanReview } from './review-types.js';

/** What apply will do for one campaign: one variant per action, each carrying only what it needs. */
export type CampaignPlan =
  /** `replaces`: the cancelled batches of the name the plan saw and created past (a schedule changed after a cancel). */
  | { action: 'create'; campaign: Campaign; errors: Problem[]; replaces?: string[] }
  | { action: 'none'; campaign: Campaign; batch: Batch | null; errors: Problem[] }
  | { action: 'wait'; campaign: Campaign; batch: Batch; errors: Problem[] }
  | { action: 'cancel'; campaign: Campaign; batch: Batch; errors: Problem[] }
  /** The file's schedule changed while the batch can still be cancelled: cancel `batch`, then create again. */
  | { action: 'reschedule'; campaign: Campaign; batch: Batch; errors: Problem[] }
  | { action: 'conflict'; campaign: Campaign; batches: Batch[]; errors: Problem[] }
  | { action: 'invalid'; invalid: InvalidCampaign; campaign: Campaign | null; errors: Problem[] };

export type PlanAction = CampaignPlan['action'];

export interface UnmanagedBatch {
  name: string;
  id: string;
  status: string;
}

export interface Plan {
  service: string | null;
  offline: boolean;
  /** The clock the plan was made with (ISO). */
  createdAt: string;
  campaigns: CampaignPlan[];
  unmanaged: UnmanagedBatch[];
  digest: string;
  totals: { create: number; recipients: number; estimatedCredits: number };
  /** Cost by destination, STOP list and credits left, from the review (src/review); absent: one credit per part. */
  review?: PlanReview;
}

/** The plan JSON of the product contract (section 4). */
export interface PlanJson {
  version: 1;
  digest: string;
  service: string | null;
  offline: boolean;
  campaigns: PlanJsonCampaign[];
  unmanaged: UnmanagedBatch[];
  totals: Plan['totals'];
}

export interface PlanJsonCampaign {
  name: string | null;
  file: string;
  action: PlanAction;
  /** The plan digest of this campaign alone (what apply would send or change for it); null when nothing. */
  digest: string | null;
  batchId: string | null;
  remoteStatus: string | null;
  recipients: number | null;
  duplicatesRemoved: number | null;
  /** Invalid numbers dropped under `invalidNumbers: skip`. */
  invalidSkipped: number | null;
  encoding: 'GSM-7' | 'UCS-2' | null;
  characters: number | null;
  parts: number | null;
  nonGsmCharacters: string[];
  estimatedCredits: number | null;
  /** Numbers left out because they are on the service's STOP list (campaigns to create, online only). */
  stoplisted: number | null;
  byCountry: CountryCost[];
  deferred: string | null;
  warnings: Problem[];
  errors: Problem[];
}
