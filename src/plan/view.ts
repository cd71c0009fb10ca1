import type { Batch } from '../account/index.js';
import type { Campaign, CampaignType } from '../campaign/types.js';
import { maskPhoneNumber, type MaskedText } from '../recipients/index.js';
import { costByCountry, totalCredits } from './cost.js';
import { campaignDigest } from './digest.js';
import type { CountryCost } from './review-types.js';
import type { CampaignPlan, Plan, PlanJsonCampaign, UnmanagedBatch } from './types.js';

/** Recipients a reviewer sees per campaign (masked), before "and N more". */
export const RECIPIENTS_SHOWN = 3;

/** What a reviewer reads of a campaign that sends or clashes: who sends what to whom. */
export interface MessageView {
  type: CampaignType;
  from: string | null;
  senderForResponse: boolean;
  /** The message as written in the file (the reviewed text itself, never masked). */
  text: string;
  noStop: boolean;
  /** The first RECIPIENTS_SHOWN recipients, masked: a full number has no way into a view. */
  samples: readonly MaskedText[];
}

/** One campaign's row: the plan JSON's fields (the contract) and what the text and Markdown renderers add. */
export interface CampaignView extends PlanJsonCampaign {
  /** `sentAt` of the batch the entry refers to (a reschedule shows it); null when none. */
  remoteSentAt: string | null;
  /** How many batches of this name the account holds (a conflict names them). */
  sameNameBatches: number;
  /** byCountry comes from OVH's rates (the plan was reviewed online), not the one-credit default. */
  costReviewed: boolean;
  /** For create, reschedule and conflict: what would be sent, or clashes with what was sent. */
  message: MessageView | null;
}

/** Everything any renderer of a plan shows (terminal, summary, comment, plan.json), computed once from the Plan. */
export interface PlanView {
  service: string | null;
  offline: boolean;
  digest: string;
  totals: Plan['totals'];
  unmanaged: UnmanagedBatch[];
  /** The account's credits when the plan was made; null offline or unreadable. */
  creditsLeft: number | null;
  campaigns: CampaignView[];
}

/** The actions whose message a reviewer must read: what will be sent, and what clashes with what was sent. */
const REVIEWED_ACTIONS: ReadonlySet<CampaignPlan['action']> = new Set(['create', 'reschedule', 'conflict']);

// Plans are values, never changed once made: each one's view is built once and shared by every renderer.
const viewOf = new WeakMap<Plan, Readonly<PlanView>>();

/** The plan's view model (pure; built once per plan). */
export function planView(plan: Plan): Readonly<PlanView> {
  let view = viewOf.get(plan);
  if (view === undefined) {
    view = {
      service: plan.service,
      offline: plan.offline,
      digest: plan.digest,
      totals: plan.totals,
      unmanaged: plan.unmanaged,
      creditsLeft: plan.review?.creditsLeft ?? null,
      campaigns: plan.campaigns.map((entry) => campaignView(entry, plan)),
    };
    viewOf.set(plan, view);
  }
  return view;
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

/** A campaign's estimated credits, as every view shows them. */
export function campaignCredits(plan: Plan, campaign: Campaign): number {
  return totalCredits(countryCosts(plan, campaign));
}

function messageView(campaign: Campaign): MessageView {
  return {
    type: campaign.type,
    from: campaign.from,
    senderForResponse: campaign.senderForResponse,
    text: campaign.message,
    noStop: campaign.noStop,
    samples: campaign.recipients.slice(0, RECIPIENTS_SHOWN).map(maskPhoneNumber),
  };
}

function campaignView(entry: CampaignPlan, plan: Plan): CampaignView {
  const batch = remoteBatchOf(entry);
  const campaign = entry.campaign;
  const review = campaign ? plan.review?.campaigns.get(campaign.file) : undefined;
  const byCountry = campaign ? countryCosts(plan, campaign) : [];
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
    warnings: campaign?.warnings ?? (entry.action === 'invalid' ? entry.invalid.warnings : []),
    errors: entry.errors,
    remoteSentAt: batch?.sentAt ?? null,
    sameNameBatches: entry.action === 'conflict' ? entry.batches.length : batch ? 1 : 0,
    costReviewed: review !== undefined,
    message: campaign && REVIEWED_ACTIONS.has(entry.action) ? messageView(campaign) : null,
  };
}
