import { FINISHED_STATUSES, type Batch } from '../account/index.js';
import { errorText } from '../common/index.js';
import { emit, freshListing, observe, type RunContext } from './context.js';
import { nextRoundDelay } from './decisions.js';
import { resolveDuplicates } from './duplicates.js';
import { heldUntil, isHeldNow, isScheduled, track } from './follow.js';

/** One listing per round covers every running batch. */
export async function waitLoop(ctx: RunContext, actionsDone: () => boolean, actions: Promise<void>): Promise<void> {
  for (;;) {
    const remaining = ctx.deadlineMs - ctx.now().getTime();
    if (remaining <= 0) return;
    if (ctx.running.size === 0) {
      if (actionsDone()) return;
      await Promise.race([actions, ctx.sleep(Math.min(ctx.poll.initial, remaining))]);
      continue;
    }
    await ctx.sleep(Math.min(remaining, nextRoundDelay(ctx.running.values(), ctx.now().getTime(), ctx.poll, ctx.holdMs)));
    let batches: Batch[];
    try {
      batches = await freshListing(ctx);
    } catch (error) {
      // Looked at again next round; every campaign waiting on it shows why its status did not move.
      for (const run of ctx.running.values())
        emit(ctx, run, 'retrying', null, `listing the batches failed (${errorText(error)}); looking again`);
      continue;
    }
    const byId = new Map(batches.map((batch) => [batch.id, batch]));
    for (const [id, run] of [...ctx.running]) {
      const listed = byId.get(id) ?? null;
      if (listed === null) continue;
      // Every round settles duplicates again: one left by a run that died is cancelled while still held.
      const batch = run.campaign ? await resolveDuplicates(ctx, run, run.campaign, listed, batches) : listed;
      if (batch === null) {
        ctx.running.delete(id);
        continue;
      }
      if (batch.id !== id) {
        ctx.running.delete(id);
        track(ctx, run, batch);
        continue;
      }
      run.heldUntilMs = heldUntil(ctx, run, batch) ?? run.heldUntilMs;
      if (FINISHED_STATUSES.has(batch.status) || isScheduled(ctx, run, batch) || (!ctx.options.wait && !isHeldNow(ctx, run))) {
        ctx.running.delete(id);
        track(ctx, run, batch);
      } else {
        observe(ctx, run, batch);
        emit(ctx, run, 'running', batch);
      }
    }
  }
}
