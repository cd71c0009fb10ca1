import type { Batch, SenderType } from '../account/index.js';
import type { Campaign, LoadedCampaign, Problem } from '../campaign/types.js';
import { costByCountry, totalCredits } from './cost.js';
import { planDigest } from './digest.js';
import { normaliseReceiver } from './match.js';
import { problem, withWarnings } from './problems.js';
import type { AccountChecks, CampaignReview, Checked, CountryCost, PlanReview } from './review-types.js';
import type { CampaignPlan, Plan } from './types.js';

/** The sender type OVH's estimate wants for a campaign's sender. */
export function senderTypeOf(campaign: Pick<Campaign, 'from' | 'senderForResponse'>): SenderType {
  if (campaign.senderForResponse || campaign.from === null) return 'shortcode';
  return /^\+?\d+$/.test(campaign.from) ? 'numeric' : 'alpha';
}

/** One estimate per distinct message as sent: text, STOP clause and sender type. */
export function estimateKey(campaign: Pick<Campaign, 'message' | 'noStop' | 'from' | 'senderForResponse'>): string {
  return JSON.stringify([campaign.message, campaign.noStop, senderTypeOf(campaign)]);
}

/**
 * Takes the STOP list's numbers out of the campaigns OVH has no batch for (they will be created), and counts them.
 * A campaign already sent keeps a listed number only when its batch has it (the number replied STOP to this very
 * campaign), so it still matches its batch whichever side of the STOP reply it was sent.
 */
export function leaveOutStoplisted(
  loaded: readonly LoadedCampaign[],
  batches: readonly Batch[],
  blacklist: Checked<ReadonlySet<string>>,
): { loaded: LoadedCampaign[]; stoplisted: Map<string, number> } {
  const stoplisted = new Map<string, number>();
  if (blacklist.status !== 'checked') return { loaded: [...loaded], stoplisted };
  const listed = blacklist.value;
  const sentTo = new Map<string, Set<string> | null>();
  for (const batch of batches) {
    const previous = sentTo.get(batch.name);
    if (previous === null) continue;
    if (batch.receivers === null) sentTo.set(batch.name, null);
    else sentTo.set(batch.name, new Set([...(previous ?? []), ...batch.receivers.map(normaliseReceiver)]));
  }
  const result = loaded.map((entry): LoadedCampaign => {
    if (!entry.valid || listed.size === 0) return entry;
    const { campaign } = entry;
    if (!sentTo.has(campaign.name)) {
      const kept = campaign.recipients.filter((number) => !listed.has(number));
      stoplisted.set(campaign.file, campaign.recipients.length - kept.length);
      return kept.length === campaign.recipients.length ? entry : { valid: true, campaign: { ...campaign, recipients: kept } };
    }
    const receivers = sentTo.get(campaign.name);
    if (receivers === null || receivers === undefined) return entry;
    const kept = campaign.recipients.filter((number) => !listed.has(number) || receivers.has(number));
    return kept.length === campaign.recipients.length ? entry : { valid: true, campaign: { ...campaign, recipients: kept } };
  });
  return { loaded: result, stoplisted };
}

/**
 * The plan with its review: cost by destination for every campaign, and for each campaign to create the sender
 * check (an error when not enabled), OVH's count of parts (a warning when it differs) and a warning for each check
 * that could not be made. Offline (`checks` null), every part costs one credit.
 */
export function reviewPlan(plan: Plan, checks: AccountChecks | null, stoplisted: ReadonlyMap<string, number> = new Map()): Plan {
  const reviews = new Map<string, CampaignReview>();
  const campaigns = plan.campaigns.map((entry): CampaignPlan => {
    const campaign = entry.campaign;
    if (campaign === null) return entry;
    const byCountry = costByCountry(campaign.recipients, campaign.analysis.parts, checks?.rates ?? null);
    reviews.set(campaign.file, { byCountry, stoplisted: entry.action === 'create' ? (stoplisted.get(campaign.file) ?? null) : null });
    if (entry.action !== 'create' || checks === null) return entry;
    return reviewCreation(campaign, checks, byCountry, stoplisted.get(campaign.file) ?? 0);
  });
  const review: PlanReview = {
    creditsLeft: checks?.creditsLeft.status === 'checked' ? checks.creditsLeft.value : null,
    rates: checks?.rates ?? null,
    campaigns: reviews,
  };
  // A reschedule creates a batch too: it counts in what will be sent and paid.
  const creations = campaigns.flatMap((entry) => (entry.action === 'create' || entry.action === 'reschedule' ? [entry.campaign] : []));
  return {
    ...plan,
    campaigns,
    review,
    digest: planDigest(campaigns),
    totals: {
      create: creations.length,
      recipients: creations.reduce((sum, campaign) => sum + campaign.recipients.length, 0),
      estimatedCredits: totalCredits(creations.flatMap((campaign) => reviews.get(campaign.file)?.byCountry ?? [])),
    },
  };
}

function reviewCreation(campaign: Campaign, checks: AccountChecks, byCountry: CountryCost[], stoplisted: number): CampaignPlan {
  const audienceField = campaign.positions.to ? 'to' : 'recipients';
  const warnings: Problem[] = [];
  if (campaign.recipients.length === 0) {
    const warning = problem(campaign, audienceField, `all ${stoplisted} recipient(s) are on the service's STOP list: nothing is sent`);
    return { action: 'none', campaign: withWarnings(campaign, [warning]), batch: null, errors: [] };
  }
  if (checks.blacklist.status === 'unchecked') {
    warnings.push(
      problem(
        campaign,
        audienceField,
        `the STOP list could not be read (${checks.blacklist.reason}): numbers that replied STOP are not left out (OVH skips them when sending)`,
      ),
    );
  }
  warnings.push(...rateWarnings(campaign, checks, byCountry, audienceField));
  const estimate = checks.estimates.get(estimateKey(campaign));
  if (estimate?.status === 'unchecked') {
    warnings.push(problem(campaign, 'message', `the SMS parts could not be cross-checked with OVH (${estimate.reason})`));
  } else if (estimate?.status === 'checked' && estimate.value.parts !== campaign.analysis.parts) {
    warnings.push(
      problem(
        campaign,
        'message',
        `OVH counts ${estimate.value.parts} SMS part(s) for this message (${estimate.value.encoding}), this tool counts ${campaign.analysis.parts} (${campaign.analysis.encoding}): credits are estimated with ${campaign.analysis.parts}`,
      ),
    );
  }
  const error = senderError(campaign, checks, warnings);
  const reviewed = withWarnings(campaign, warnings);
  if (error === null) return { action: 'create', campaign: reviewed, errors: [] };
  return {
    action: 'invalid',
    invalid: { name: campaign.name, file: campaign.file, errors: [error], warnings: reviewed.warnings },
    campaign: reviewed,
    errors: [error],
  };
}

function senderError(campaign: Campaign, checks: AccountChecks, warnings: Problem[]): Problem | null {
  if (campaign.senderForResponse || campaign.from === null) return null;
  const check = checks.senders.get(campaign.from);
  if (check === undefined) return null;
  if (check.status === 'unchecked') {
    warnings.push(problem(campaign, 'from', `the sender ${campaign.from} could not be checked (${check.reason})`));
    return null;
  }
  const sender = check.value;
  if (sender.kind === 'missing') {
    return problem(
      campaign,
      'from',
      `${campaign.from} is not a sender of this SMS service: add it in OVH's control panel (or POST /sms/{serviceName}/senders) and wait for its validation`,
    );
  }
  if (sender.status === 'enable') return null;
  const comment = sender.comment ? `; OVH's comment: "${sender.comment}"` : '';
  return problem(
    campaign,
    'from',
    `the sender ${campaign.from} is not enabled on this SMS service: its status is ${sender.status}${comment}`,
  );
}

function rateWarnings(campaign: Campaign, checks: AccountChecks, byCountry: CountryCost[], field: string): Problem[] {
  const warnings: Problem[] = [];
  for (const row of byCountry) {
    if (row.rate === 'ovh') continue;
    if (row.country === null) {
      warnings.push(
        problem(campaign, field, `${row.recipients} number(s) have no known destination country: counted at 1 credit per SMS part`),
      );
      continue;
    }
    const rate = checks.rates.get(row.country);
    const why =
      rate?.status === 'unchecked'
        ? `OVH's rate for ${row.country} could not be read (${rate.reason})`
        : `OVH has no rate for ${row.country}`;
    warnings.push(problem(campaign, field, `${why}: ${row.recipients} recipient(s) counted at 1 credit per SMS part`));
  }
  return warnings;
}
