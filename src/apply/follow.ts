import { FINISHED_STATUSES, type Batch } from '../account/index.js';
import { errorText } from '../common/index.js';
import type { CampaignRun } from './campaign-run.js';
import { emit, finish, observe, ovhNow, warn, type RunContext } from './context.js';
import * as decide from './decisions.js';

// Following a batch once this run knows it: to the end of its hold, to its end, then its statistics and export.

/** Follows a batch until it ends; finished and scheduled batches need no polling. */
export function track(ctx: RunContext, run: CampaignRun, batch: Batch): void {
  observe(ctx, run, batch);
  // A slot batch from an earlier run (or adopted): its list is ours to delete once it is done.
  if (batch.slotID !== null && batch.slotID !== undefined && /^\d+$/.test(batch.slotID)) run.slotId = Number(batch.slotID);
  run.heldUntilMs = heldUntil(ctx, run, batch) ?? run.heldUntilMs;
  if (FINISHED_STATUSES.has(batch.status)) {
    ctx.finishing.push(collect(ctx, run, batch));
  } else if (isScheduled(ctx, run, batch)) {
    finish(ctx, run, 'scheduled', `scheduled for ${batch.sentAt ?? run.deferred}`);
  } else if (!ctx.options.wait && !isHeldNow(ctx, run)) {
    finish(ctx, run, 'running', null);
  } else {
    ctx.running.set(batch.id, run);
    run.trackedMs = ctx.now().getTime();
    emit(ctx, run, 'running', batch);
  }
}

export function isHeldNow(ctx: RunContext, run: CampaignRun): boolean {
  return decide.isHeldAt(run, ctx.now().getTime());
}

export function isScheduled(ctx: RunContext, run: CampaignRun, batch: Batch): boolean {
  return decide.isScheduledFor(run, batch, ovhNow(ctx), ctx.holdMs);
}

export function heldUntil(ctx: RunContext, run: CampaignRun, batch: Batch): number | null {
  return decide.heldUntil(run, batch, ovhNow(ctx), ctx.holdMs, ctx.offsetMs);
}

export function heldText(ctx: RunContext, run: CampaignRun): string | null {
  return decide.heldText(run, ctx.now().getTime(), ctx.offsetMs);
}

/** Statistics, and the CSV export of what was sent, once a batch has ended; the two run side by side. */
export async function collect(ctx: RunContext, run: CampaignRun, batch: Batch): Promise<void> {
  emit(ctx, run, 'exporting', batch);
  const statistics = (async () => {
    run.result.statistics = await ctx.limit(() => ctx.api.getStatistics(batch.id));
    if (ctx.report) await ctx.report.writeStatistics(run.label, run.result.statistics);
  })().then(
    () => null,
    (error: unknown) => `statistics unavailable: ${errorText(error)}`,
  );
  const report = ctx.report;
  const csv =
    report === null || batch.status === 'CANCELED'
      ? Promise.resolve(null)
      : (async () => {
          const target = await report.placeExport(run.label);
          await ctx.exports.fetch(batch.id, target.path, (why) => emit(ctx, run, 'retrying', null, why));
          const note = await report.settleExport(target.path);
          if (note !== null) warn(ctx, run, note);
          run.result.exportFile = target.relative;
          return null;
        })().catch((error: unknown) => {
          run.result.exportWarning = `⚠️ CSV export not fetched (no outgoing.csv): ${errorText(error)}`;
          return run.result.exportWarning;
        });
  const problems = (await Promise.all([statistics, csv])).filter((problem) => problem !== null);
  finish(ctx, run, decide.outcomeOf(batch), problems.length > 0 ? problems.join('; ') : null);
}
