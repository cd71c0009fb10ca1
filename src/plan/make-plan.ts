import { nextCommercialSendTime } from '../campaign/index.js';
import type { Campaign, LoadedCampaign } from '../campaign/types.js';
import { CANCELLING_STATUSES, FINISHED_STATUSES, RUNNING_STATUSES, type Batch } from '../account/index.js';
import { planDigest } from './digest.js';
import { compareWithBatch } from './match.js';
import { problem, withWarnings } from './problems.js';
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
  // A reschedule creates a batch too: it counts in what will be sent and paid.
  const creations = campaigns.filter((plan) => plan.action === 'create' || plan.action === 'reschedule');
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
  const warnings =
    deferredInPast(campaign, now) && !hasDeferredWarning(campaign)
      ? [
          problem(
            campaign,
            'deferred',
            `deferred time ${campaign.deferred} is past: if this campaign was not sent yet, OVH would send it at once`,
          ),
        ]
      : [];
  return { action: 'create', campaign: withWarnings(campaign, warnings), errors: [] };
}

function planOnline(campaign: Campaign, batches: Batch[], now: Date): CampaignPlan {
  const live = batches.filter((candidate) => !CANCELLING_STATUSES.has(candidate.status));
  if (live.length > 1) {
    const error = problem(
      campaign,
      'name',
      `${live.length} batches on the account share the name "${campaign.name}" and are not cancelled: nothing is sent`,
    );
    return { action: 'conflict', campaign, batches, errors: [error] };
  }
  const batch = batchStanding(batches, live);
  if (batch === undefined) return planAbsent(campaign, now);

  const differences = compareWithBatch(campaign, batch);
  if (differences.length > 0) {
    const errors = differences.map((difference) =>
      problem(campaign, fieldOf(campaign, difference.field), `${difference.description} (batch ${batch.id}): nothing is sent`),
    );
    return { action: 'conflict', campaign, batches: [batch], errors };
  }

  if (campaign.cancel && !CANCELLING_STATUSES.has(batch.status)) {
    if (isScheduledBatch(batch, now, campaign.deferred)) return { action: 'cancel', campaign, batch, errors: [] };
    const warning = problem(
      campaign,
      'cancel',
      `the batch is ${batch.status} and has started or finished sending: it can no longer be cancelled`,
    );
    return statusAction(withWarnings(campaign, [warning]), batch);
  }
  if (CANCELLING_STATUSES.has(batch.status) && !campaign.cancel) {
    const cancelled = planCancelled(campaign, batch, batches, now);
    if (cancelled !== null) return cancelled;
  }
  if (!FINISHED_STATUSES.has(batch.status) && scheduleDiffers(campaign, batch)) return planReschedule(campaign, batch, now);
  return statusAction(campaign, batch);
}

/** How far a send time may be from the file's `deferred` and still be the same schedule (OVH rounds, clocks drift). */
const SCHEDULE_TOLERANCE_MS = 60_000;
/** A send time this close to the batch's creation is an overlap guard's hold on a campaign sent "at once". */
const HOLD_WINDOW_MS = 10 * 60_000;

/**
 * Whether the batch's send time (`sentAt`, "based on deferred time if exists") is not the one the file asks for:
 * the file's `deferred`, the overlap guard's short hold when that came later, or OVH's next commercial hour
 * for a marketing campaign deferred outside them. Unknown (no `sentAt`) counts as the same.
 */
export function scheduleDiffers(campaign: Campaign, batch: Batch): boolean {
  const sending = batch.sentAt === null ? Number.NaN : Date.parse(batch.sentAt);
  if (Number.isNaN(sending)) return false;
  const created = Date.parse(batch.createdAt);
  const heldOnly = sending - created <= HOLD_WINDOW_MS;
  if (campaign.deferred === null) return !heldOnly;
  const wanted = Date.parse(campaign.deferred);
  if (Math.abs(sending - wanted) <= SCHEDULE_TOLERANCE_MS) return false;
  if (heldOnly && wanted <= sending) return false;
  const opening = campaign.type === 'marketing' ? nextCommercialSendTime(new Date(wanted)) : null;
  return opening === null || Math.abs(opening.getTime() - sending) > SCHEDULE_TOLERANCE_MS;
}

function describeSchedule(deferred: string | null): string {
  return deferred === null ? 'at once (no `deferred`)' : deferred;
}

/** The file's schedule changed after the batch was created: OVH cannot move a batch, so cancel it and create again. */
function planReschedule(campaign: Campaign, batch: Batch, now: Date): CampaignPlan {
  const both = `the batch ${batch.id} is scheduled for ${batch.sentAt}, the file says ${describeSchedule(campaign.deferred)}`;
  if (!isScheduledBatch(batch, now, campaign.deferred)) {
    const error = problem(
      campaign,
      campaign.positions.deferred ? 'deferred' : 'name',
      `${both}, but the batch is ${batch.status} and can no longer be cancelled: nothing is changed`,
    );
    return { action: 'conflict', campaign, batches: [batch], errors: [error] };
  }
  if (deferredInPast(campaign, now)) {
    const error = problem(campaign, 'deferred', `${both}, which is past: a new batch would go out at once`);
    return {
      action: 'invalid',
      invalid: { name: campaign.name, file: campaign.file, errors: [error], warnings: campaign.warnings },
      campaign,
      errors: [error],
    };
  }
  const warning = problem(
    campaign,
    campaign.positions.deferred ? 'deferred' : 'name',
    `${both}: apply cancels it, then creates the campaign again`,
  );
  return { action: 'reschedule', campaign: withWarnings(campaign, [warning]), batch, errors: [] };
}

/**
 * Every batch of the name is cancelled or being cancelled. Same schedule: the campaign was cancelled on purpose
 * and stays so (a second batch under its name would make its history ambiguous). Another schedule: the file was
 * changed after the cancel, or a reschedule stopped between its cancel and its creation: create.
 * Null: still being cancelled with the same schedule, which apply waits for.
 */
function planCancelled(campaign: Campaign, batch: Batch, batches: Batch[], now: Date): CampaignPlan | null {
  if (scheduleDiffers(campaign, batch)) {
    const absent = planAbsent(campaign, now);
    const note = problem(
      campaign,
      campaign.positions.deferred ? 'deferred' : 'name',
      `the batch ${batch.id} (scheduled for ${batch.sentAt}) was cancelled; the file now says ${describeSchedule(campaign.deferred)}, so a new batch is created`,
    );
    return absent.action === 'create'
      ? { ...absent, campaign: withWarnings(campaign, [note]), replaces: batches.map((known) => known.id) }
      : absent;
  }
  if (batch.status !== 'CANCELED') return null;
  const warning = problem(
    campaign,
    'name',
    `the batch ${batch.id} was cancelled (${batch.status}): nothing was sent and nothing will be; to send this campaign, give it a new name`,
  );
  return { action: 'none', campaign: withWarnings(campaign, [warning]), batch, errors: [] };
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
    const warnings =
      batch.status === 'FAILED'
        ? [problem(campaign, 'name', `the batch ${batch.id} FAILED at OVH; rename the campaign to send it again`)]
        : [];
    return { action: 'none', campaign: withWarnings(campaign, warnings), batch, errors: [] };
  }
  const warnings = RUNNING_STATUSES.has(batch.status)
    ? []
    : [problem(campaign, 'name', `the batch ${batch.id} has a status unknown to this tool (${batch.status}); apply waits for it`)];
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
