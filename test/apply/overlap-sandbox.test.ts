import { afterEach, describe, expect, it } from 'vitest';
import { applyPlan, type ApplyOptions, type ApplyProgress } from '../../src/apply/index.js';
import type { Campaign } from '../../src/campaign/types.js';
import type { SmsApi } from '../../src/ovh/index.js';
import { asLoaded, batchParams, FAST_POLL, smallCampaigns, startWorld, type World } from './sandbox-world.js';
import { ReportFolder } from '../../src/report/index.js';

/** Short enough for tests, long enough for a listing and a cancel over HTTPS on a busy machine. */
const HOLD_MS = 1_000;

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

/** One run of `apply` as a separate job would do it: its own client, its own plan, its own report folder. */
const applyRun = (sandboxWorld: World, campaigns: Campaign[], overrides: Partial<ApplyOptions> = {}) =>
  sandboxWorld.separateRun(asLoaded(campaigns), { overlapGuardMs: HOLD_MS, ...overrides });

/** The batch another run makes for `source`, sent in `deferredInMs` (null: at once). */
const paramsOf = (source: Campaign, deferredInMs: number | null) =>
  batchParams(source, deferredInMs === null ? null : new Date(Date.now() + deferredInMs).toISOString());

/**
 * Another run's batch created just after ours. Creations in the same millisecond tie on createdAt, and the settling
 * rule then keeps the smaller (random) id: the pause makes ours the earlier one, as these tests assume.
 */
const createAfterOurs = (sandboxWorld: World, params: ReturnType<typeof paramsOf>): Promise<string> =>
  new Promise((resolve) => setTimeout(resolve, 5)).then(() => sandboxWorld.api.createBatch(params)).then((batch) => batch.id);

const byName = (sandboxWorld: World, name: string) => sandboxWorld.sandbox.batches().filter((batch) => batch.name === name);

describe('the overlap guard against the sandbox (node-ovh over HTTPS)', () => {
  it('two applies of the same plan started at the same instant send every campaign once (5 rounds)', async () => {
    world = await startWorld();
    const api: SmsApi = world.api;
    let duplicatesCreated = 0;
    for (let round = 1; round <= 5; round += 1) {
      const campaigns = smallCampaigns(3, `overlap-r${round}`);
      const creditsBefore = (await api.getAccount()).creditsLeft;
      const creationsBefore = world.creations();
      const runs = await Promise.all([applyRun(world, campaigns), applyRun(world, campaigns)]);
      duplicatesCreated += world.creations() - creationsBefore - campaigns.length;

      for (const source of campaigns) {
        const batches = byName(world, source.name);
        const kept = batches.filter((batch) => batch.status !== 'CANCELED');
        expect(kept, `${source.name} keeps one batch`).toHaveLength(1);
        expect(kept[0]).toMatchObject({ status: 'COMPLETED', processedRecords: 2 });
        expect(batches.filter((batch) => batch.status === 'CANCELED')).toHaveLength(batches.length - 1);
        const results = runs.map((run) => run.campaigns.find((entry) => entry.name === source.name)!);
        expect(results.map((entry) => [entry.batchId, entry.outcome, entry.statistics?.sent])).toEqual([
          [kept[0]!.id, 'completed', 2],
          [kept[0]!.id, 'completed', 2],
        ]);
        expect(results.filter((entry) => entry.created)).toHaveLength(1);
        if (batches.length > 1) expect(results.some((entry) => entry.message?.includes(`kept batch ${kept[0]!.id}`))).toBe(true);
      }
      expect(runs.every((run) => run.ok)).toBe(true);
      expect(runs[0]!.created + runs[1]!.created).toBe(campaigns.length);
      // Two recipients, one SMS part each: two credits per campaign, debited once.
      expect(creditsBefore - (await api.getAccount()).creditsLeft).toBe(2 * campaigns.length);
    }
    // The runs really did overlap: without the guard these would all have been sent twice.
    expect(duplicatesCreated).toBeGreaterThan(0);
  });

  it('a duplicate left by a run that died is cancelled by the run still waiting, before its hold ends', async () => {
    world = await startWorld();
    const [source] = smallCampaigns(1, 'survivor');
    const sandboxWorld = world;
    let loser: Promise<string> | null = null;
    const progress = (event: ApplyProgress) => {
      // The dead run's batch lands just after ours, held like ours: only someone else can cancel it now.
      if (event.phase === 'created' && loser === null) loser = createAfterOurs(sandboxWorld, paramsOf(source!, HOLD_MS));
    };
    const result = await applyRun(world, [source!], { progress });
    const loserId = await loser!;
    const batches = byName(world, source!.name);
    expect(batches.find((batch) => batch.id === loserId)?.status).toBe('CANCELED');
    const kept = batches.filter((batch) => batch.status !== 'CANCELED');
    expect(kept).toHaveLength(1);
    expect(result.campaigns[0]).toMatchObject({ batchId: kept[0]!.id, created: true, outcome: 'completed' });
    expect(result.campaigns[0]?.message).toBe(
      `another run created the same batch at the same time; kept batch ${kept[0]!.id}, cancelled ${loserId}`,
    );

    const replan = await world.plan(asLoaded([source!]));
    expect(replan.campaigns[0]).toMatchObject({ action: 'none', batch: { id: kept[0]!.id } });
  });

  it('duplicates found by the plan are settled by apply: the later one cancelled, the earlier one followed', async () => {
    world = await startWorld();
    const [source] = smallCampaigns(1, 'leftover');
    const winner = await world.api.createBatch(paramsOf(source!, 3_000));
    const loserId = await createAfterOurs(world, paramsOf(source!, 3_000));
    const plan = await world.plan(asLoaded([source!]));
    expect(plan.campaigns[0]?.action).toBe('conflict');

    const result = await applyPlan(plan, world.api, {
      wait: true,
      timeoutMs: 20_000,
      maxCredits: null,
      report: new ReportFolder(world.reportDir),
      pollIntervalMs: FAST_POLL,
      overlapGuardMs: HOLD_MS,
    });
    expect(result.ok).toBe(true);
    expect(result.campaigns[0]).toMatchObject({ action: 'wait', batchId: winner.id, created: false, outcome: 'completed' });
    expect(result.campaigns[0]?.message).toMatch(`cancelled ${loserId}`);
    expect(byName(world, source!.name).map((batch) => [batch.id, batch.status])).toEqual([
      [winner.id, 'COMPLETED'],
      [loserId, 'CANCELED'],
    ]);
    expect((await world.plan(asLoaded([source!]))).campaigns[0]).toMatchObject({ action: 'none', batch: { id: winner.id } });
  });

  it('the hold is not reported as scheduled; a campaign with its own future deferred still is', async () => {
    world = await startWorld();
    const [now, later] = smallCampaigns(2, 'timing');
    const deferred = new Date(Date.now() + 3_600_000).toISOString();
    const result = await applyRun(world, [now!, { ...later!, deferred }]);
    expect(result.campaigns.map((entry) => [entry.name, entry.outcome, entry.status])).toEqual([
      [now!.name, 'completed', 'COMPLETED'],
      [later!.name, 'scheduled', 'PENDING'],
    ]);
    expect(result.ok).toBe(true);
  });

  it('a duplicate sent without a hold is kept and our held batch cancelled: sent once', async () => {
    world = await startWorld();
    const [source] = smallCampaigns(1, 'once');
    const sandboxWorld = world;
    let other: Promise<string> | null = null;
    const progress = (event: ApplyProgress) => {
      if (event.phase === 'created' && other === null)
        other = sandboxWorld.api.createBatch(paramsOf(source!, null)).then((batch) => batch.id);
    };
    const result = await applyRun(world, [source!], { progress });
    const otherId = await other!;
    const batches = byName(world, source!.name);
    expect(batches.filter((batch) => batch.status !== 'CANCELED').map((batch) => batch.id)).toEqual([otherId]);
    expect(result.campaigns[0]).toMatchObject({ outcome: 'completed', batchId: otherId, created: false });
    expect(result.ok).toBe(true);
  });

  it('two batches sent without a hold (guard off on both sides) are a failure saying it may have been sent twice', async () => {
    // Batches long enough that apply still polls when the other creation lands, however slow the machine.
    world = await startWorld({ batchDurationMs: 3_000 });
    const [source] = smallCampaigns(1, 'twice');
    const sandboxWorld = world;
    let loser: Promise<string> | null = null;
    const progress = (event: ApplyProgress) => {
      if (event.phase === 'created' && loser === null) loser = createAfterOurs(sandboxWorld, paramsOf(source!, null));
    };
    const result = await applyRun(world, [source!], { progress, overlapGuardMs: 0 });
    const loserId = await loser!;
    expect(byName(world, source!.name).map((batch) => batch.status)).not.toContain('CANCELED');
    expect(result.campaigns[0]).toMatchObject({ outcome: 'failed', created: true });
    expect(result.campaigns[0]?.batchId).not.toBe(loserId);
    expect(result.campaigns[0]?.message).toMatch(
      new RegExp(`^duplicate batch ${loserId} from an overlapping run [^;]*: this campaign may have been sent twice$`),
    );
    expect(result.ok).toBe(false);
  });

  it('a lost creation response under the guard: the batch is adopted, settled, and sent once', async () => {
    world = await startWorld({ faults: [{ method: 'POST', path: /\/batches$/, kind: 'lose-response', times: 1 }] });
    const [source] = smallCampaigns(1, 'lost');
    const result = await applyRun(world, [source!]);
    expect(byName(world, source!.name)).toHaveLength(1);
    expect(result.campaigns[0]).toMatchObject({ outcome: 'completed', created: true, message: null });
    expect(world.creations()).toBe(1);
  });
});
