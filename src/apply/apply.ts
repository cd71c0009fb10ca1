import type { SmsApi } from '../account/index.js';
import { errorText } from '../common/index.js';
import type { Plan } from '../plan/types.js';
import { cancel, reschedule } from './cancel.js';
import { newCampaignRun, type CampaignRun } from './campaign-run.js';
import { createContext, finish, warnRun, type ApplyOptions, type RunContext } from './context.js';
import { create } from './create.js';
import { endedWell } from './decisions.js';
import { resolvePlannedDuplicates } from './duplicates.js';
import { heldText, track } from './follow.js';
import type { ApplyResult } from './types.js';
import { waitLoop } from './waiting.js';

export type { ApplyOptions } from './context.js';
export { pool } from './pool.js';

/** Thrown before anything is sent. */
export class ApplyRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApplyRefused';
  }
}

/**
 * Carries out a plan: creates, cancels, waits, then fetches statistics and the CSV export of every batch.
 * A campaign is created at most once: its name is looked up just before each creation attempt, and a creation
 * whose outcome is unknown is looked up, never sent again (see README "How it never sends twice").
 */
export async function applyPlan(plan: Plan, api: SmsApi, options: ApplyOptions): Promise<ApplyResult> {
  await checkBeforeSending(plan, api, options);
  return carryOut(createContext(plan, api, options));
}

async function checkBeforeSending(plan: Plan, api: SmsApi, options: ApplyOptions): Promise<void> {
  if (plan.offline || plan.service === null)
    throw new ApplyRefused('The plan was made offline: apply needs a plan made against the account.');
  if (plan.service !== api.serviceName) throw new ApplyRefused(`The plan is for ${plan.service}, not for ${api.serviceName}.`);
  const needed = plan.totals.estimatedCredits;
  if (options.maxCredits !== null && needed > options.maxCredits) {
    throw new ApplyRefused(`The plan needs about ${needed} credits, more than --max-credits ${options.maxCredits}: nothing was sent.`);
  }
  if (plan.totals.create === 0) return;
  const account = await api.getAccount();
  if (needed > account.creditsLeft) {
    throw new ApplyRefused(`The plan needs about ${needed} credits and the account has ${account.creditsLeft} left: nothing was sent.`);
  }
}

/** Every campaign takes its first step (at most `concurrency` at once) while one loop follows the batches they start. */
async function carryOut(ctx: RunContext): Promise<ApplyResult> {
  // Unknown (no /auth/time): the local clock is all there is, and the result says so.
  ctx.offsetMs =
    (await ctx.api.clockOffsetMs?.().catch((error: unknown) => {
      warnRun(ctx, `OVH's clock could not be read (${errorText(error)}): batch times are compared on the local clock`);
      return 0;
    })) ?? 0;
  const runs = ctx.plan.campaigns.map((entry) => newCampaignRun(entry, ctx.now().getTime()));
  const actions = Promise.all(runs.map((run) => ctx.limit(() => act(ctx, run))));
  let actionsDone = false;
  const settled = actions.then(() => {
    actionsDone = true;
  });
  // --no-wait still follows held batches to the end of their hold: an overlapping run may cancel one before then.
  await waitLoop(ctx, () => actionsDone, settled);
  await settled;
  for (const run of ctx.running.values()) {
    const held = heldText(ctx, run);
    finish(
      ctx,
      run,
      ctx.options.wait ? 'timeout' : 'running',
      ctx.options.wait ? `still ${run.result.status}${held ? ` (${held})` : ''} when the timeout ran out` : held,
    );
  }
  await Promise.all(ctx.finishing);
  await Promise.all(ctx.releases);
  const campaigns = runs.map((run) => run.result);
  return {
    service: ctx.api.serviceName,
    startedAt: ctx.startedAt.toISOString(),
    finishedAt: ctx.now().toISOString(),
    campaigns,
    created: campaigns.filter((result) => result.created).length,
    ok: runs.every((run) => endedWell(run.result) && run.sentTwice.size === 0),
    warnings: ctx.warnings,
  };
}

/** A campaign's first step, as the plan decided it. */
async function act(ctx: RunContext, run: CampaignRun): Promise<void> {
  const { entry } = run;
  switch (entry.action) {
    case 'conflict':
      if (await resolvePlannedDuplicates(ctx, run, entry.campaign)) return;
      finish(ctx, run, 'skipped', entry.errors[0]?.message ?? 'campaign is in conflict: nothing sent');
      return;
    case 'invalid':
      finish(ctx, run, 'skipped', entry.errors[0]?.message ?? 'campaign is invalid: nothing sent');
      return;
    case 'none':
      if (entry.batch === null) finish(ctx, run, 'skipped', 'nothing to send');
      else track(ctx, run, entry.batch);
      return;
    case 'wait':
      track(ctx, run, entry.batch);
      return;
    case 'cancel':
      return cancel(ctx, run, entry.batch);
    case 'create':
      return create(ctx, run, entry.campaign);
    case 'reschedule':
      return reschedule(ctx, run, entry.batch, entry.campaign);
  }
}
