import { costByCountry, totalCredits } from './cost.js';
import { campaignDigest } from './digest.js';
import type { Batch } from '../account/index.js';
import type { Campaign } from '../campaign/types.js';
import type { CountryCost } from './review-types.js';
import type { CampaignPlan, Plan, PlanJson, PlanJsonCampaign } from './types.js';

// Plans are values, never changed once made: each one's JSON is built once and shared by every reader
// (plan.json, the summary, the comment, the outputs).
const planJsonOf = new WeakMap<Plan, Readonly<PlanJson>>();

/** The plan JSON of the product contract, section 4. */
export function toPlanJson(plan: Plan): Readonly<PlanJson> {
  let json = planJsonOf.get(plan);
  if (json === undefined) {
    json = {
      version: 1,
      digest: plan.digest,
      service: plan.service,
      offline: plan.offline,
      campaigns: plan.campaigns.map((entry) => toPlanJsonCampaign(entry, plan)),
      unmanaged: plan.unmanaged,
      totals: plan.totals,
    };
    planJsonOf.set(plan, json);
  }
  return json;
}

/** 1 when a campaign is invalid or in conflict, as `plan` and `apply` exit. */
export function planExitCode(plan: Plan): 0 | 1 {
  return plan.campaigns.some((entry) => entry.action === 'invalid' || entry.action === 'conflict') ? 1 : 0;
}

/** The batch a plan entry refers to, when there is exactly one. */
export function remoteBatchOf(entry: CampaignPlan): Batch | null {
  switch (entry.action) {
    case 'none':
    case 'wait':
    case 'cancel':
    case 'reschedule':
      return entry.batch;
    case 'conflict':
      return entry.batches.length === 1 ? (entry.batches[0] ?? null) : null;
    default:
      return null;
  }
}

/** A campaign's cost by destination: OVH's rates from the review, else one credit per part. */
function countryCosts(plan: Plan, campaign: Campaign): CountryCost[] {
  return plan.review?.campaigns.get(campaign.file)?.byCountry ?? costByCountry(campaign.recipients, campaign.analysis.parts, null);
}

/** A campaign's estimated credits, as the plan JSON shows them. */
export function campaignCredits(plan: Plan, campaign: Campaign): number {
  return totalCredits(countryCosts(plan, campaign));
}

function toPlanJsonCampaign(entry: CampaignPlan, plan: Plan): PlanJsonCampaign {
  const batch = remoteBatchOf(entry);
  const campaign = entry.campaign;
  const review = campaign ? plan.review?.campaigns.get(campaign.file) : undefined;
  const byCountry = campaign ? countryCosts(plan, campaign) : [];
  const warnings = campaign?.warnings ?? (entry.action === 'invalid' ? entry.invalid.warnings : []);
  return {
    name: campaign?.name ?? (entry.action === 'invalid' ? entry.invalid.name : null),
    file: campaign?.file ?? (entry.action === 'invalid' ? entry.invalid.file : ''),
    action: entry.action,
    digest: campaignDigest(entry),
    batchId: batch?.id ?? null,
    remoteStatus: batch?.status ?? null,
    recipients: campaign?.recipients.length ?? null,
    duplicatesRemoved: campaign?.duplicatesRemoved ?? null,
    invalidSkipped: campaign ? (campaign.skipped?.length ?? 0) : null,
    encoding: campaign?.analysis.encoding ?? null,
    characters: campaign?.analysis.characters ?? null,
    parts: campaign?.analysis.parts ?? null,
    nonGsmCharacters: campaign ? [...new Set(campaign.analysis.nonGsmCharacters.map((entry) => entry.char))] : [],
    estimatedCredits: campaign ? totalCredits(byCountry) : null,
    stoplisted: review?.stoplisted ?? null,
    byCountry,
    deferred: campaign?.deferred ?? null,
    warnings,
    errors: entry.errors,
  };
}
