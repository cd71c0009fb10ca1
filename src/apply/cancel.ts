import type { Campaign } from '../campaign/types.js';
import type { Batch } from '../account/index.js';
import type { CampaignRun } from './campaign-run.js';
import { emit, finish, observe, type RunContext } from './context.js';
import { create } from './create.js';
import { outcomeOf } from './decisions.js';
import { tryCancel } from './duplicates.js';
import { track } from './follow.js';
import { isBeingCancelled } from './overlap-guard.js';

/** The old batch is cancelled (and OVH says so) before the new one is created: never two live batches. */
export async function reschedule(ctx: RunContext, run: CampaignRun, batch: Batch, campaign: Campaign): Promise<void> {
  emit(ctx, run, 'canceling', batch);
  const cancelled = await tryCancel(ctx, run, batch);
  if (!cancelled.ok) {
    observe(ctx, run, cancelled.batch);
    finish(
      ctx,
      run,
      'not-created',
      `could not cancel batch ${batch.id} to reschedule it, so nothing was created (it keeps its old time): it ${cancelled.why}`,
    );
    return;
  }
  if (!isBeingCancelled(cancelled.batch)) {
    observe(ctx, run, cancelled.batch);
    finish(ctx, run, 'not-created', `batch ${batch.id} is ${cancelled.batch.status} after its cancel, so nothing was created`);
    return;
  }
  run.replacedBatchIds = new Set([batch.id]);
  return create(ctx, run, campaign);
}

export async function cancel(ctx: RunContext, run: CampaignRun, batch: Batch): Promise<void> {
  emit(ctx, run, 'canceling', batch);
  const cancelled = await tryCancel(ctx, run, batch);
  if (cancelled.ok) {
    track(ctx, run, cancelled.batch);
    return;
  }
  // Not cancelled: the batch goes out, and the run says so and fails (endedWell).
  observe(ctx, run, cancelled.batch);
  finish(ctx, run, outcomeOf(cancelled.batch), `cancel failed: batch ${batch.id} ${cancelled.why}; it will be sent`);
}
