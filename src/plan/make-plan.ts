import type { Campaign, LoadedCampaign, Problem } from '../campaign/types.js';
import { CANCELLING_STATUSES, FINISHED_STATUSES, RUNNING_STATUSES, type Batch } from '../account/index.js';
import { planDigest } from './digest.js';
import { compareWithBatch } from './match.js';
import type { CampaignPlan, Plan, UnmanagedBatch } from './types.js';

export interface RemoteState {
  service: string;
  batches: Batch[];
}

/**
 * The plan: what apply would do for each campaign, given what the account already holds.
 * Pure: the same campaigns, batches and clock always give the same plan. `remote` null means offline.
 */
export function makePlan(loaded: LoadedCampaign[], remote: RemoteState | null, now: Date): Plan {
  const batchesByName = groupByName(remote?.batches ?? []);
  const campaigns = loaded.map((entry): CampaignPlan => {
    if (!entry.valid) {
      return { action: 'invalid', invalid: entry.invalid, campaign: null, errors: entry.invalid.errors };
    }
    return remote === null
      ? planOffline(entry.campaign, now)
      : planOnline(entry.campaign, batchesByName.get(entry.campaign.name) ?? [], now);
  });
  const managedNames = new Set(loaded.map((entry) => (entry.valid ? entry.campaign.name : entry.invalid.name)));
  const unmanaged: UnmanagedBatch[] = (remote?.batches ?? [])
    .filter((batch) => !managedNames.has(batch.name))
    .map((batch) => ({ name: batch.name, id: batch.id, status: batch.status }));
  const creations = campaigns.filter((plan) => plan.action === 'create');
  return {
    service: remote?.service ?? null,
    offline: remote === null,
    createdAt: now.toISOString(),
    campaigns,
    unmanaged,
    digest: planDigest(campaigns),
    totals: {
      create: creations.length,
      recipients: creations.reduce((sum, plan) => sum + plan.campaign.recipients.length, 0),
      estimatedCredits: creations.reduce((sum, plan) => sum + estimatedCredits(plan.campaign), 0),
    },
  };
}

/** One credit per SMS part and recipient (France); OVH's rates per destination are not known offline. */
export function estimatedCredits(campaign: Campaign): number {
  return campaign.analysis.parts * campaign.recipients.length;
}

/** A deferred batch OVH has not started: cancelling it is still possible, and waiting for it is not a timeout. */
export function isScheduledBatch(batch: Batch, now: Date, deferred: string | null = null): boolean {
  if (batch.status !== 'PENDING' || batch.startedAt) return false;
  const sendingTime = batch.sentAt ?? deferred;
  return sendingTime !== null && Date.parse(sendingTime) > now.getTime();
}

function planOffline(campaign: Campaign, now: Date): CampaignPlan {
  if (campaign.cancel) {
    const warning = problem(campaign, 'cancel', 'cancel is decided against the account; offline, nothing is planned');
    return { action: 'none', campaign: withWarnings(campaign, [warning]), batch: null, errors: [] };
  }
  const warnings = deferredInPast(campaign, now) && !hasDeferredWarning(campaign)
    ? [problem(campaign, 'deferred', `deferred time ${campaign.deferred} is past: if this campaign was not sent yet, OVH would send it at once`)]
    : [];
  return { action: 'create', campaign: withWarnings(campaign, warnings), errors: [] };
}

function planOnline(campaign: Campaign, batches: Batch[], now: Date): CampaignPlan {
  const live = batches.filter((candidate) => !CANCELLING_STATUSES.has(candidate.status));
  if (live.length > 1) {
    const error = problem(campaign, 'name', `${live.length} batches on the account share the name "${campaign.name}" and are not cancelled: nothing is sent`);
    return { action: 'conflict', campaign, batches, errors: [error] };
  }
  const batch = batchStanding(batches, live);
  if (batch === undefined) return planAbsent(campaign, now);

  const differences = compareWithBatch(campaign, batch);
  if (differences.length > 0) {
    const errors = differences.map((difference) => problem(campaign, fieldOf(campaign, difference.field), `${difference.description} (batch ${batch.id}): nothing is sent`));
    return { action: 'conflict', campaign, batches: [batch], errors };
  }

  if (campaign.cancel && !CANCELLING_STATUSES.has(batch.status)) {
    if (isScheduledBatch(batch, now, campaign.deferred)) return { action: 'cancel', campaign, batch, errors: [] };
    const warning = problem(campaign, 'cancel', `the batch is ${batch.status} and has started or finished sending: it can no longer be cancelled`);
    return statusAction(withWarnings(campaign, [warning]), batch);
  }
  return statusAction(campaign, batch);
}

/**
 * The one batch that speaks for the name: cancelled batches beside a live one are an overlap guard's leftovers;
 * when all are cancelled, the most recent tells the story.
 */
function batchStanding(batches: Batch[], live: Batch[]): Batch | undefined {
  if (live.length === 1) return live[0];
  return [...batches].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).at(-1);
}

function planAbsent(campaign: Campaign, now: Date): CampaignPlan {
  if (campaign.cancel) {
    const warning = problem(campaign, 'cancel', 'cancel: true and no batch has this name: nothing to send or cancel');
    return { action: 'none', campaign: withWarnings(campaign, [warning]), batch: null, errors: [] };
  }
  if (deferredInPast(campaign, now)) {
    // The contract's action list has no "refused" action: a send that would go out at once is invalid.
    const error = problem(campaign, 'deferred', `deferred time ${campaign.deferred} is past: OVH would send this campaign at once`);
    return {
      action: 'invalid',
      invalid: { name: campaign.name, file: campaign.file, errors: [error], warnings: campaign.warnings },
      campaign,
      errors: [error],
    };
  }
  return { action: 'create', campaign, errors: [] };
}

function statusAction(campaign: Campaign, batch: Batch): CampaignPlan {
  if (FINISHED_STATUSES.has(batch.status)) {
    const warnings = batch.status === 'FAILED' ? [problem(campaign, 'name', `the batch ${batch.id} FAILED at OVH; rename the campaign to send it again`)] : [];
    return { action: 'none', campaign: withWarnings(campaign, warnings), batch, errors: [] };
  }
  const warnings = RUNNING_STATUSES.has(batch.status) ? [] : [problem(campaign, 'name', `the batch ${batch.id} has a status unknown to this tool (${batch.status}); apply waits for it`)];
  return { action: 'wait', campaign: withWarnings(campaign, warnings), batch, errors: [] };
}

function groupByName(batches: Batch[]): Map<string, Batch[]> {
  const byName = new Map<string, Batch[]>();
  for (const batch of batches) byName.set(batch.name, [...(byName.get(batch.name) ?? []), batch]);
  return byName;
}

function deferredInPast(campaign: Campaign, now: Date): boolean {
  return campaign.deferred !== null && Date.parse(campaign.deferred) <= now.getTime();
}

function hasDeferredWarning(campaign: Campaign): boolean {
  return campaign.warnings.some((warning) => warning.field === 'deferred');
}

/** Recipients may come from `to` or from `recipients`: point at whichever the file has. */
function fieldOf(campaign: Campaign, field: 'from' | 'to' | 'message'): string {
  if (field === 'from' && campaign.positions.from === undefined) return 'name';
  if (field === 'to' && campaign.positions.to === undefined) return campaign.positions.recipients ? 'recipients' : 'name';
  return field;
}

function problem(campaign: Campaign, field: string, message: string): Problem {
  const position = campaign.positions[field];
  return { file: campaign.file, line: position?.line ?? null, column: position?.column ?? null, field, message };
}

function withWarnings(campaign: Campaign, warnings: Problem[]): Campaign {
  return warnings.length === 0 ? campaign : { ...campaign, warnings: [...campaign.warnings, ...warnings] };
}
