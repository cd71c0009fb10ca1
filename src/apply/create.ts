import type { Campaign } from '../campaign/types.js';
import { failureKind, lookUpDelays, nextStep, type Batch } from '../account/index.js';
import { errorText } from '../common/index.js';
import type { CampaignRun } from './campaign-run.js';
import { emit, finish, freshListing, localMs, observe, ovhNow, warn, type RunContext } from './context.js';
import { batchParams, CANCEL_MARGIN_MS, formatSeconds } from './decisions.js';
import { endInConflict, resolveDuplicates, settleAfterCreation } from './duplicates.js';
import { track } from './follow.js';
import { byCreation, contentMatch, deferredWithHold, isBeingCancelled, settleDuplicates } from './overlap-guard.js';

// Creating a campaign's batch, name checked first; a creation whose outcome is unknown is looked up, never repeated.

/**
 * A big campaign's numbers go up first as a receivers list (nothing is sent by that); its batch is then
 * created from the slot like any other, name checked. A list no batch came to use is deleted at once.
 */
export async function create(ctx: RunContext, run: CampaignRun, campaign: Campaign): Promise<void> {
  if (ctx.listThreshold <= 0 || campaign.recipients.length < ctx.listThreshold) return createBatch(ctx, run, campaign);
  emit(ctx, run, 'uploading', null, `${campaign.recipients.length} recipients: uploading them as an OVH receivers list`);
  try {
    run.slotId = await ctx.lists.prepare(
      campaign,
      () => freshListing(ctx, ctx.listingsStarted),
      (text) => warn(ctx, run, text),
    );
  } catch (error) {
    finish(ctx, run, 'not-created', `could not upload the receivers list, so nothing was sent: ${errorText(error)}`);
    return;
  }
  await createBatch(ctx, run, campaign);
}

async function createBatch(ctx: RunContext, run: CampaignRun, campaign: Campaign): Promise<void> {
  // After a refused attempt, only a listing started after its refusal is fresh enough.
  let listedAfter = 0;
  for (let attempt = 1; ; attempt += 1) {
    let listing: Batch[];
    try {
      listing = await freshListing(ctx, listedAfter);
    } catch (error) {
      finish(
        ctx,
        run,
        'not-created',
        `could not check the account for this name before creating, so nothing was sent: ${errorText(error)}`,
      );
      return;
    }
    const existing = listing.filter((batch) => batch.name === campaign.name && !run.replacedBatchIds.has(batch.id));
    if (existing.length > 0) {
      await adopt(ctx, run, campaign, listing, existing, false);
      return;
    }
    emit(ctx, run, attempt === 1 ? 'creating' : 'retrying', null);
    // Held a few seconds: a cancellable window in which overlapping runs can find each other's duplicate.
    const deferred = deferredWithHold(campaign.deferred, ovhNow(ctx), ctx.holdMs);
    run.ownHoldEndMs = deferred !== null && deferred !== campaign.deferred ? localMs(ctx, deferred) : null;
    const sentMs = ctx.now().getTime();
    let batch: Batch;
    try {
      batch = await ctx.api.createBatch(batchParams(campaign, deferred, run.slotId));
    } catch (error) {
      const step = nextStep(ctx.retry, 'once', error, attempt);
      if (step.kind === 'look-up') {
        await lookUpUnknownOutcome(ctx, run, campaign, errorText(error), deferred, sentMs);
        return;
      }
      if (step.kind === 'give-up') {
        const why =
          failureKind(error) === 'busy'
            ? `OVH refused ${attempt} attempts as too many requests; nothing was sent`
            : `creation refused: ${errorText(error)}`;
        finish(ctx, run, 'not-created', why);
        return;
      }
      // OVH's word that nothing was created (429): tried again after a pause, the name looked up again first.
      emit(ctx, run, 'retrying', null, errorText(error));
      await ctx.sleep(step.delayMs);
      listedAfter = ctx.listingsStarted;
      continue;
    }
    const createdMark = ctx.listingsStarted;
    run.result.created = true;
    run.ownBatchId = batch.id;
    emit(
      ctx,
      run,
      'created',
      batch,
      run.ownHoldEndMs === null ? null : `held ${formatSeconds(ctx.holdMs)} so overlapping runs can be detected`,
    );
    const followed = await settleAfterCreation(ctx, run, campaign, batch, createdMark);
    if (followed !== null) track(ctx, run, followed);
    return;
  }
}

/**
 * A creation whose answer was lost may have landed, now or a little later: it is looked up, never sent again, until
 * a batch with the name shows up or the window ends (the hold it was sent with has passed, and `outcomeLookupMs`).
 * Then the run stops with "outcome unknown" rather than guess; the next run's plan shows what happened.
 */
async function lookUpUnknownOutcome(
  ctx: RunContext,
  run: CampaignRun,
  campaign: Campaign,
  why: string,
  deferred: string | null,
  sentMs: number,
): Promise<void> {
  emit(ctx, run, 'retrying', null, `${why}; looking the batch up instead of creating it again`);
  // A batch landing after its hold would send at once; one landing later than a real schedule is still cancellable.
  const holdEnd = run.ownHoldEndMs === null ? 0 : run.ownHoldEndMs + CANCEL_MARGIN_MS;
  const until = Math.min(ctx.deadlineMs, Math.max(sentMs + ctx.outcomeLookupMs, holdEnd));
  const delays = lookUpDelays(ctx.poll.initial, ctx.poll.max);
  let lastProblem: string | null;
  // Ours is the batch with this content sent for the time we asked; until it shows, another run's batch under the
  // name does not settle anything: ours may still land (then it must be settled too), so the look-up goes on.
  const isOurs = (batch: Batch) =>
    contentMatch(campaign, batch) === 'same' &&
    (deferred === null || (batch.sentAt !== null && Date.parse(batch.sentAt) === Date.parse(deferred)));
  let seen: { listing: Batch[]; existing: Batch[] } | null = null;
  for (;;) {
    const startedAfter = ctx.listingsStarted;
    const now = ctx.now().getTime();
    try {
      const listing = await freshListing(ctx, startedAfter);
      const existing = listing.filter((batch) => batch.name === campaign.name && !run.replacedBatchIds.has(batch.id));
      const ours = existing.find((batch) => !isBeingCancelled(batch) && isOurs(batch));
      if (ours !== undefined || (existing.length > 0 && now >= until)) {
        await adopt(ctx, run, campaign, listing, existing, true, ours?.id ?? null);
        return;
      }
      if (existing.length > 0) seen = { listing, existing };
      lastProblem = null;
    } catch (error) {
      lastProblem = errorText(error);
      emit(ctx, run, 'retrying', null, `looking the batch up failed (${lastProblem}); looking again`);
    }
    if (now >= until) break;
    await ctx.sleep(Math.max(1, Math.min(delays.next().value, until - ctx.now().getTime())));
  }
  if (seen !== null) {
    await adopt(ctx, run, campaign, seen.listing, seen.existing, true, null);
    return;
  }
  run.result.created = false;
  finish(
    ctx,
    run,
    'unknown',
    `outcome unknown: the creation failed (${why}) and no batch with this name showed up${lastProblem ? ` (last look-up failed: ${lastProblem})` : ''}; it may still appear: run plan or apply again, which will not create it twice`,
  );
}

/**
 * A batch with the campaign's name appeared since the plan (another run, or a creation whose answer was lost).
 * One whose receivers OVH does not list yet is looked at again until its content is known.
 */
async function adopt(
  ctx: RunContext,
  run: CampaignRun,
  campaign: Campaign,
  listing: Batch[],
  existing: Batch[],
  afterUnknownOutcome: boolean,
  lostOwnId: string | null = null,
): Promise<void> {
  const lookUntil = ctx.now().getTime() + ctx.outcomeLookupMs;
  for (const delay of lookUpDelays(ctx.poll.initial, ctx.poll.max)) {
    const pending = existing.filter((batch) => !isBeingCancelled(batch) && contentMatch(campaign, batch) === 'unknown');
    if (pending.length === 0) break;
    if (ctx.now().getTime() >= lookUntil) {
      run.result.action = 'conflict';
      finish(
        ctx,
        run,
        afterUnknownOutcome ? 'unknown' : 'skipped',
        `batch ${pending.map((batch) => batch.id).join(', ')} appeared with this name and OVH did not list its receivers in time, so this run cannot tell whether it is this campaign: nothing sent${afterUnknownOutcome ? ' by this run unless its lost creation is that batch' : ''}; run apply again`,
      );
      return;
    }
    await ctx.sleep(delay);
    try {
      listing = await freshListing(ctx, ctx.listingsStarted);
      existing = listing.filter((batch) => batch.name === campaign.name && !run.replacedBatchIds.has(batch.id));
    } catch (error) {
      emit(ctx, run, 'retrying', null, `listing the batches failed (${errorText(error)}); looking again`);
    }
  }
  const live = existing.filter((batch) => !isBeingCancelled(batch));
  const [only] = live;
  const others = live.filter((batch) => contentMatch(campaign, batch) === 'other');
  if (others.length > 0) {
    // After a lost answer, a batch with this content may be ours: in a conflict it must not go out either.
    const mine = afterUnknownOutcome ? live.filter((batch) => contentMatch(campaign, batch) === 'same') : [];
    if (mine.length > 0 || afterUnknownOutcome) {
      await endInConflict(ctx, run, mine, others, afterUnknownOutcome);
      return;
    }
    run.result.action = 'conflict';
    if (live.length === 1 && only) observe(ctx, run, only);
    finish(
      ctx,
      run,
      'skipped',
      live.length > 1
        ? `${live.length} batches appeared with this name: nothing sent`
        : 'a different batch with this name appeared since the plan: nothing sent',
    );
    return;
  }
  const settlement = settleDuplicates(campaign, live, ovhNow(ctx));
  if (settlement === null) {
    // Only cancelled batches: the most recent one tells the story, as in the plan.
    const latest = [...existing].sort(byCreation).at(-1)!;
    emit(ctx, run, 'adopted', latest, 'already on the account');
    track(ctx, run, latest);
    return;
  }
  const ours = afterUnknownOutcome ? live.find((batch) => batch.id === lostOwnId) : undefined;
  run.result.created = ours !== undefined;
  run.ownBatchId = ours?.id ?? null;
  if (ours === undefined) run.ownHoldEndMs = null;
  emit(ctx, run, 'adopted', settlement.winner, ours !== undefined ? 'created; its answer was lost' : 'already on the account');
  // A creation whose answer was lost is settled like any other: an overlapping run may have created one too.
  const followed =
    ours !== undefined
      ? await settleAfterCreation(ctx, run, campaign, ours, ctx.listingsStarted)
      : await resolveDuplicates(ctx, run, campaign, settlement.winner, listing);
  if (followed !== null) track(ctx, run, followed);
}
