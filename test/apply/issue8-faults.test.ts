import { afterEach, describe, expect, it } from 'vitest';
import type { ApplyOptions, ApplyProgress } from '../../src/apply/index.js';
import type { Campaign } from '../../src/campaign/types.js';
import type { OvhSettings } from '../../src/ovh/index.js';
import type { SandboxOptions } from '../../src/sandbox/index.js';
import { asLoaded, batchParams, smallCampaigns, startWorld, type World } from './sandbox-world.js';

// Regression tests for issue #8 items 1–6, each over HTTPS against the sandbox with the real node-ovh client.
const HOLD_MS = 1_500;
/** Room, in a hold, for creations slowed by 600 ms and receivers listed 700 ms late on a busy machine. */
const LONG_HOLD = { overlapGuardMs: 3_000 };

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

async function open(options: SandboxOptions = {}): Promise<World> {
  world = await startWorld(options);
  return world;
}

/** One run as a separate job would do it, the guard holding HOLD_MS and each call tried twice. */
const applyRun = (sandboxWorld: World, campaigns: Campaign[], overrides: Partial<ApplyOptions> = {}, client: Partial<OvhSettings> = {}) =>
  sandboxWorld.separateRun(
    asLoaded(campaigns),
    { overlapGuardMs: HOLD_MS, outcomeLookupMs: 3_000, ...overrides },
    { retry: { attempts: 2, baseDelayMs: 20 }, ...client },
  );

const live = (sandboxWorld: World, name: string) =>
  sandboxWorld.sandbox.batches().filter((batch) => batch.name === name && !['TO_CANCEL', 'CANCELING', 'CANCELED'].includes(batch.status));

describe('issue #8 item 1: two versions of one campaign in overlapping runs', () => {
  it('both runs find the other version during the hold, cancel their own batch and fail: nothing is sent', async () => {
    // Both creations take a moment, so both runs look the name up before either batch exists.
    const sandboxWorld = await open({ faults: [{ method: 'POST', path: /\/batches$/, kind: 'latency', delayMs: 600, times: 2 }] });
    const [v1] = smallCampaigns(1, 'versions');
    const v2 = { ...v1!, message: 'Another text for the same campaign' };
    const runs = await Promise.all([applyRun(sandboxWorld, [v1!], LONG_HOLD), applyRun(sandboxWorld, [v2], LONG_HOLD)]);
    expect(sandboxWorld.sandbox.batches()).toHaveLength(2);
    // Usually both runs see both batches live and both cancel. When one run cancels before the other looks, the other
    // finds no live version but its own and sends it: still one version, once, and only that run exits 0.
    const kept = live(sandboxWorld, v1!.name);
    expect(kept.length).toBeLessThanOrEqual(1);
    expect(runs.filter((run) => run.ok).map((run) => run.campaigns[0]?.batchId)).toEqual(kept.map((batch) => batch.id));
    for (const run of runs.filter((each) => !each.ok)) {
      expect(run.campaigns[0]).toMatchObject({ action: 'conflict', outcome: 'canceled' });
      expect(run.campaigns[0]?.message).toMatch(
        /^another version of this campaign \(batch [^)]+\) appeared on the account during the hold: cancelled this run's batch/,
      );
    }
  });

  it('a batch whose receivers OVH does not list yet is looked at again, not ignored: two runs of one version send once', async () => {
    const sandboxWorld = await open({
      receiversHiddenForMs: 700,
      faults: [{ method: 'POST', path: /\/batches$/, kind: 'latency', delayMs: 600, times: 2 }],
    });
    const [source] = smallCampaigns(1, 'hidden');
    const runs = await Promise.all([applyRun(sandboxWorld, [source!], LONG_HOLD), applyRun(sandboxWorld, [source!], LONG_HOLD)]);
    expect(live(sandboxWorld, source!.name)).toHaveLength(1);
    expect(runs.map((run) => run.ok)).toEqual([true, true]);
  });

  it('a batch of another version whose receivers are not listed yet is a conflict once they are', async () => {
    const sandboxWorld = await open({
      receiversHiddenForMs: 700,
      faults: [{ method: 'POST', path: /\/batches$/, kind: 'latency', delayMs: 600, times: 2 }],
    });
    const [v1] = smallCampaigns(1, 'hidden-other');
    const v2 = { ...v1!, recipients: ['+33612345699'] };
    const runs = await Promise.all([applyRun(sandboxWorld, [v1!], LONG_HOLD), applyRun(sandboxWorld, [v2], LONG_HOLD)]);
    // Usually both create and both cancel; if one run saw the other's batch first, it sent nothing and only one went out.
    const kept = live(sandboxWorld, v1!.name);
    expect(kept.length).toBeLessThanOrEqual(1);
    expect(runs.filter((run) => run.ok).map((run) => run.campaigns[0]?.batchId)).toEqual(kept.map((batch) => batch.id));
    expect(runs.filter((run) => !run.ok).every((run) => run.campaigns[0]?.action === 'conflict')).toBe(true);
  });
});

describe('issue #8 item 2: a failed cancel: true', () => {
  it('a 403 on /cancel is a failure, not "running": the batch still goes out', async () => {
    const sandboxWorld = await open();
    const [source] = smallCampaigns(1, 'cancel-403');
    const deferred = new Date(Date.now() + 3_600_000).toISOString();
    const scheduled = await sandboxWorld.api.createBatch(batchParams(source!, deferred));
    sandboxWorld.sandbox.addFault({ method: 'POST', path: /\/cancel$/, kind: 'status', status: 403, times: 10 });
    const result = await applyRun(sandboxWorld, [{ ...source!, deferred, cancel: true }], { wait: false });
    expect(live(sandboxWorld, source!.name).map((batch) => batch.id)).toEqual([scheduled.id]);
    expect(result.ok).toBe(false);
    expect(result.campaigns[0]).toMatchObject({ action: 'cancel', status: 'PENDING' });
    expect(result.campaigns[0]?.outcome).not.toBe('canceled');
    expect(result.campaigns[0]?.message).toMatch(/^cancel failed: .*HTTP 403.*it will be sent$/);
  });
});

describe('issue #8 item 3: the batch list fails right after creation', () => {
  it('a scheduled --no-wait run still checks for an overlapping run’s duplicate (with retries) before reporting', async () => {
    const sandboxWorld = await open();
    const [source] = smallCampaigns(1, 'scheduled-relist');
    const deferred = new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
    let other: Promise<string> | null = null;
    const progress = (event: ApplyProgress) => {
      // An overlapping run (killed later) creates the same batch just before ours.
      if (event.phase === 'creating' && other === null)
        other = sandboxWorld.api.createBatch(batchParams(source!, deferred)).then((batch) => batch.id);
      if (event.phase === 'created')
        sandboxWorld.sandbox.addFault({ method: 'GET', path: /\/batches$/, kind: 'status', status: 500, times: 4 });
    };
    const result = await applyRun(sandboxWorld, [{ ...source!, deferred }], { wait: false, progress });
    const otherId = await other!;
    const kept = live(sandboxWorld, source!.name);
    expect(kept).toHaveLength(1);
    expect(sandboxWorld.sandbox.batches().map((batch) => batch.id)).toContain(otherId);
    expect(result.campaigns[0]).toMatchObject({ outcome: 'scheduled', batchId: kept[0]!.id });
    expect(result.campaigns[0]?.message).toMatch(/^another run created the same batch at the same time/);
    expect(result.ok).toBe(true);
  });

  it('when no listing answers before the hold ends, the run cancels its own batch and fails', async () => {
    const sandboxWorld = await open();
    const [source] = smallCampaigns(1, 'relist-down');
    const progress = (event: ApplyProgress) => {
      if (event.phase === 'created')
        sandboxWorld.sandbox.addFault({ method: 'GET', path: /\/batches$/, kind: 'status', status: 500, times: 1_000 });
    };
    const result = await applyRun(sandboxWorld, [source!], { progress });
    expect(live(sandboxWorld, source!.name)).toEqual([]);
    expect(result.ok).toBe(false);
    expect(result.campaigns[0]).toMatchObject({ outcome: 'canceled', created: true });
    expect(result.campaigns[0]?.message).toMatch(
      /^could not check for an overlapping run before the hold ended \(listing the batches failed: .*\): cancelled batch/,
    );
  });
});

describe('issue #8 items 4 and 6: creations whose answer is late or unreadable', () => {
  it('a POST slower than the keep-alive hint is not cut short nor created again', async () => {
    const sandboxWorld = await open({ keepAliveTimeoutMs: 2_000 });
    const [source] = smallCampaigns(1, 'keepalive');
    sandboxWorld.sandbox.addFault({ method: 'POST', path: /\/batches$/, kind: 'slow-answer', delayMs: 1_800 });
    const result = await applyRun(sandboxWorld, [source!], { overlapGuardMs: 0 }, { timeoutMs: 6_000 });
    expect(sandboxWorld.creations()).toBe(1);
    expect(result.campaigns[0]).toMatchObject({ outcome: 'completed', created: true });
    expect(result.ok).toBe(true);
  });

  it('a creation that lands after the client gave up is looked up until it shows, never created twice', async () => {
    const sandboxWorld = await open();
    const [source] = smallCampaigns(1, 'late');
    sandboxWorld.sandbox.addFault({ method: 'POST', path: /\/batches$/, kind: 'latency', delayMs: 1_200 });
    const result = await applyRun(sandboxWorld, [source!], { overlapGuardMs: 0 }, { timeoutMs: 400 });
    expect(sandboxWorld.sandbox.batches()).toHaveLength(1);
    expect(sandboxWorld.creations()).toBe(1);
    expect(result.campaigns[0]).toMatchObject({ outcome: 'completed', created: true });
    expect(result.ok).toBe(true);
  });

  it('an HTML 502 from a proxy after the creation took effect: looked up and adopted, not "not created"', async () => {
    const sandboxWorld = await open({ faults: [{ method: 'POST', path: /\/batches$/, kind: 'html', status: 502, afterCommit: true }] });
    const [source] = smallCampaigns(1, 'proxy');
    const result = await applyRun(sandboxWorld, [source!]);
    expect(live(sandboxWorld, source!.name)).toHaveLength(1);
    expect(result.campaigns[0]).toMatchObject({ outcome: 'completed', created: true });
    expect(result.ok).toBe(true);
  });
});

describe('issue #8 item 5: clock skew', () => {
  it.each([30, -30])('with OVH’s clock %i s off, the batch is still held for the hold on OVH’s clock', async (skew) => {
    const sandboxWorld = await open({ clockOffsetSeconds: skew });
    const [source] = smallCampaigns(1, `skew${skew}`);
    const result = await applyRun(sandboxWorld, [source!], { overlapGuardMs: 3_000, wait: false });
    const [batch] = sandboxWorld.sandbox.batches();
    const heldMs = Date.parse(batch!.sentAt!) - Date.parse(batch!.createdAt);
    expect(heldMs).toBeGreaterThanOrEqual(2_000);
    expect(heldMs).toBeLessThanOrEqual(5_000);
    expect(result.campaigns[0]).toMatchObject({ outcome: 'running', batchId: batch!.id });
    expect(result.ok).toBe(true);
  });
});
