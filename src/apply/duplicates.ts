import type { Campaign } from '../campaign/types.js';
import { FINISHED_STATUSES, lookUpDelays, nextStep, type Batch } from '../account/index.js';
import { compareWithBatch } from '../plan/index.js';
import { errorText } from '../common/index.js';
import type { CampaignRun } from './campaign-run.js';
import { emit, finish, freshListing, localMs, observe, ovhNow, warn, type RunContext } from './context.js';
import { CANCEL_MARGIN_MS, outcomeOf } from './decisions.js';
import { track } from './follow.js';
import {
  classifyOverlap,
  contentMatch,
  hasStarted,
  isBeingCancelled,
  isCancellable,
  isHeldByGuard,
  settleDuplicates,
} from './overlap-guard.js';
import type { CampaignOutcome } from './types.js';

// Duplicates of a campaign (overlapping runs) and conflicts with another version of it: settled, cancelled, reported.

/**
 * The guard's check after a creation, on a listing started after it was answered: retried until it succeeds and
 * every batch under the name is known, while the batch can still be cancelled. A check that cannot be made in
 * time cancels the batch: a run that cannot see an overlapping one must not send. Null: the campaign has ended.
 */
export async function settleAfterCreation(
  ctx: RunContext,
  run: CampaignRun,
  campaign: Campaign,
  batch: Batch,
  createdMark: number,
): Promise<Batch | null> {
  const sendAtMs = run.ownHoldEndMs ?? (batch.sentAt !== null && !hasStarted(batch) ? localMs(ctx, batch.sentAt) : null);
  // Guard off and sent at once: a duplicate could not be cancelled anyway; the poll rounds still report one.
  if (ctx.holdMs === 0 && (sendAtMs === null || sendAtMs <= ctx.now().getTime())) return batch;
  if (sendAtMs === null || sendAtMs <= ctx.now().getTime()) {
    // Ours sends already (its lost answer came back after the hold), but an overlapping run's duplicate may still
    // be held: one look now; a failed one is left to the poll rounds, and logged.
    const listing = await freshListing(ctx, createdMark).catch((error: unknown) => {
      emit(
        ctx,
        run,
        'retrying',
        null,
        `listing the batches to check for an overlapping run failed (${errorText(error)}); the poll rounds look again`,
      );
      return null;
    });
    return listing === null ? batch : resolveDuplicates(ctx, run, campaign, batch, listing);
  }
  const checkUntil = Math.min(sendAtMs - Math.min(CANCEL_MARGIN_MS, ctx.holdMs / 4), ctx.now().getTime() + ctx.outcomeLookupMs);
  let mark = createdMark;
  let problem: string;
  const delays = lookUpDelays(ctx.poll.initial / 2, ctx.poll.max);
  for (;;) {
    try {
      const listing = await freshListing(ctx, mark);
      const seen = listing.some((listed) => listed.id === batch.id) ? listing : [...listing, batch];
      const overlap = classifyOverlap(campaign, seen, batch.id, ovhNow(ctx));
      if (overlap.kind !== 'unsure') return await resolveDuplicates(ctx, run, campaign, batch, listing);
      problem = `OVH did not list the receivers of batch ${overlap.pending.map((pending) => pending.id).join(', ')} in time`;
    } catch (error) {
      problem = `listing the batches failed: ${errorText(error)}`;
      emit(ctx, run, 'retrying', null, `${problem}; looking again while the hold lasts`);
    }
    mark = ctx.listingsStarted;
    const left = checkUntil - ctx.now().getTime();
    if (left <= 0) break;
    await ctx.sleep(Math.min(delays.next().value, left));
  }
  const cancelled = await tryCancel(ctx, run, batch);
  observe(ctx, run, cancelled.batch);
  if (cancelled.ok) {
    finish(
      ctx,
      run,
      'canceled',
      `could not check for an overlapping run before the hold ended (${problem}): cancelled batch ${batch.id} so that nothing is sent twice; run apply again`,
    );
    return null;
  }
  run.sentTwice.set(
    batch.id,
    `could not check for an overlapping run before the hold ended (${problem}) and batch ${batch.id} ${cancelled.why}: an overlapping run's batch may go out too`,
  );
  return batch;
}

/**
 * Other live batches with this campaign's name: with the same content, every run keeps the same winner and
 * cancels every other one, its own or not (a run killed before its check leaves a duplicate someone else must
 * cancel); with another content (another version of the campaign), each run cancels its own. Returns the batch
 * to follow from now on; null when the campaign has ended (a conflict).
 */
export async function resolveDuplicates(
  ctx: RunContext,
  run: CampaignRun,
  campaign: Campaign,
  tracked: Batch,
  listing: Batch[],
): Promise<Batch | null> {
  const others = listing.filter((batch) => !run.replacedBatchIds.has(batch.id));
  const seen = others.some((batch) => batch.id === tracked.id) ? others : [...others, tracked];
  const overlap = classifyOverlap(campaign, seen, run.ownBatchId, ovhNow(ctx));
  // Unsure: the next look decides (the poll rounds, or the check after a creation).
  if (overlap.kind === 'unsure') return tracked;
  if (overlap.kind === 'conflict') {
    await endInConflict(
      ctx,
      run,
      seen.filter((batch) => batch.id === run.ownBatchId && !isBeingCancelled(batch)),
      overlap.others,
      false,
    );
    return null;
  }
  const { settlement } = overlap;
  if (settlement === null) return tracked;
  const { winner, losers } = settlement;
  if (winner.id === tracked.id && losers.length === 0) return tracked;
  for (const loser of losers) {
    // Each round sees the same duplicates again: one already given up on is not tried or reported twice.
    if (!run.sentTwice.has(loser.id)) await cancelDuplicate(ctx, run, loser);
  }
  if (winner.id !== tracked.id) {
    const current = seen.find((batch) => batch.id === tracked.id) ?? tracked;
    // Not a loser of this settlement: an overlapping run already cancelled it.
    if (isBeingCancelled(current)) run.cancelledDuplicates.add(tracked.id);
    run.result.created = winner.id === run.ownBatchId;
  }
  return winner;
}

/** Another version of the campaign is live: this run cancels its own batches while it can, and fails. */
export async function endInConflict(
  ctx: RunContext,
  run: CampaignRun,
  own: Batch[],
  others: Batch[],
  afterUnknownOutcome: boolean,
): Promise<void> {
  run.result.action = 'conflict';
  ctx.running.delete(run.result.batchId ?? '');
  const otherIds = others.map((batch) => batch.id).join(', ');
  const notes: string[] = [];
  let outcome: CampaignOutcome = afterUnknownOutcome ? 'unknown' : 'skipped';
  for (const batch of own) {
    const cancelled = await tryCancel(ctx, run, batch);
    observe(ctx, run, cancelled.batch);
    if (cancelled.ok) {
      outcome = outcome === 'skipped' || outcome === 'unknown' ? 'canceled' : outcome;
      notes.push(`cancelled this run's batch ${batch.id}`);
    } else {
      outcome = outcomeOf(cancelled.batch);
      notes.push(`this run's batch ${batch.id} ${cancelled.why}: both versions may be sent`);
    }
  }
  if (own.length === 0)
    notes.push(afterUnknownOutcome ? 'this run’s creation had an unknown outcome and may still appear' : 'nothing sent by this run');
  finish(
    ctx,
    run,
    outcome,
    `another version of this campaign (batch ${otherIds}) appeared on the account during the hold: ${notes.join('; ')}; settle which version is wanted and run apply again`,
  );
}

/**
 * Cancels a batch under the retry policy (a cancel is repeatable). After any failure the batch is read back before
 * anything else: a refusal may mean an overlapping run cancelled it, a lost answer that ours landed. Gives the
 * batch as last seen; a failed read-back is named in the reason.
 */
export async function tryCancel(
  ctx: RunContext,
  run: CampaignRun,
  batch: Batch,
): Promise<{ ok: true; batch: Batch } | { ok: false; batch: Batch; why: string }> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return { ok: true, batch: await ctx.api.cancelBatch(batch.id) };
    } catch (error) {
      const readBack = await ctx.api.getBatch(batch.id).then(
        (current) => ({ current, problem: '' }),
        (readError: unknown) => ({ current: null, problem: `; reading it back failed: ${errorText(readError)}` }),
      );
      const { current } = readBack;
      if (current !== null && isBeingCancelled(current)) return { ok: true, batch: current };
      if (current !== null && hasStarted(current))
        return { ok: false, batch: current, why: `had already started sending (${current.status})` };
      const step = nextStep(ctx.retry, 'repeatable', error, attempt);
      if (step.kind !== 'retry' || (current !== null && !isCancellable(current, ovhNow(ctx)))) {
        return { ok: false, batch: current ?? batch, why: `could not be cancelled (${errorText(error)}${readBack.problem})` };
      }
      emit(ctx, run, 'retrying', null, `cancelling batch ${batch.id} failed (${errorText(error)}${readBack.problem}); trying again`);
      await ctx.sleep(step.delayMs);
    }
  }
}

async function cancelDuplicate(ctx: RunContext, run: CampaignRun, loser: Batch): Promise<void> {
  if (hasStarted(loser)) {
    run.sentTwice.set(
      loser.id,
      `duplicate batch ${loser.id} from an overlapping run had already started sending (${loser.status}): this campaign may have been sent twice`,
    );
    return;
  }
  emit(ctx, run, 'canceling', null, `cancelling duplicate batch ${loser.id} from an overlapping run`);
  const cancelled = await tryCancel(ctx, run, loser);
  if (cancelled.ok) run.cancelledDuplicates.add(loser.id);
  else
    run.sentTwice.set(
      loser.id,
      `duplicate batch ${loser.id} from an overlapping run ${cancelled.why}: this campaign may have been sent twice`,
    );
}

/**
 * The plan found several live batches under the name. When they all carry this campaign's content and one
 * can still be cancelled, they are duplicates of overlapping runs: settle them as the runs themselves would.
 */
export async function resolvePlannedDuplicates(ctx: RunContext, run: CampaignRun, campaign: Campaign): Promise<boolean> {
  let listing: Batch[];
  try {
    listing = await freshListing(ctx);
  } catch (error) {
    // Left in conflict, as planned: nothing is sent, and the result says why the duplicates were not settled.
    warn(ctx, run, `listing the batches to settle the duplicates failed (${errorText(error)}): left as planned; run apply again`);
    return false;
  }
  const live = listing.filter((batch) => batch.name === campaign.name && !isBeingCancelled(batch));
  if (live.length === 0) return false;
  const others = live.filter((batch) => contentMatch(campaign, batch) === 'other');
  if (others.length > 0) {
    // Another version beside held batches of this one: a run of these files was killed before its check; this run
    // does what it would have done, cancelling this version's held batches so that at most the other one is sent.
    const mine = live.filter(
      (batch) => contentMatch(campaign, batch) === 'same' && isHeldByGuard(batch, run.deferred, ovhNow(ctx), ctx.holdMs),
    );
    if (mine.length === 0) return false;
    await endInConflict(ctx, run, mine, others, false);
    return true;
  }
  if (live.some((batch) => compareWithBatch(campaign, batch).length > 0)) return false;
  const settlement = settleDuplicates(campaign, live, ovhNow(ctx))!;
  if (settlement.losers.length > 0 && settlement.losers.every(hasStarted)) return false;
  run.result.action = FINISHED_STATUSES.has(settlement.winner.status) ? 'none' : 'wait';
  const followed = await resolveDuplicates(ctx, run, campaign, settlement.winner, listing);
  if (followed !== null) track(ctx, run, followed);
  return true;
}
