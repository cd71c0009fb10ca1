import { describe, expect, it } from 'vitest';
import { applyPlan, ApplyRefused } from '../../src/apply/index.js';
import { OvhApiError } from '../../src/account/index.js';
import type { Batch, BatchParams } from '../../src/account/index.js';
import { makePlan } from '../../src/plan/index.js';
import { campaign, loaded } from '../plan/fixtures.js';
import { FakeSmsApi, VirtualClock } from './fake-api.js';
import { fakeApply } from './fake-apply.js';

/** `count` campaigns c1, c2, … on the fake account. */
const setup = (count = 3) => fakeApply(Array.from({ length: count }, (_, index) => `c${index + 1}`));

describe('applyPlan refuses before sending', () => {
  it('when the estimated credits exceed --max-credits', async () => {
    const { api, plan, options } = setup(3);
    await expect(applyPlan(plan(), api, options({ maxCredits: 2 }))).rejects.toThrow(ApplyRefused);
    expect(api.calls).toEqual([]);
  });

  it("when the account's creditsLeft is short", async () => {
    const { api, plan, options } = setup(3);
    api.creditsLeft = 2;
    await expect(applyPlan(plan(), api, options())).rejects.toThrow(/3 credits.*2 left/);
    expect(api.count('createBatch')).toBe(0);
  });

  it('when the plan is offline', async () => {
    const { api, campaigns, clock, options } = setup(1);
    await expect(applyPlan(makePlan(campaigns.map(loaded), null, clock.now()), api, options())).rejects.toThrow(/offline/);
    expect(api.calls).toEqual([]);
  });
});

describe('applyPlan on a virtual clock', () => {
  it('creates with at most `concurrency` creations at once and waits with shared poll rounds', async () => {
    const { api, plan, options } = setup(10);
    const result = await applyPlan(plan(), api, options({ concurrency: 3 }));
    expect(result.ok).toBe(true);
    expect(result.created).toBe(10);
    expect(result.campaigns.every((entry) => entry.outcome === 'completed' && entry.statistics?.sent === 1)).toBe(true);
    expect(api.maxActiveCreations).toBe(3);
    const polls = api.count('listBatches') - 10;
    expect(polls).toBeLessThanOrEqual(8);
    expect(api.count('getBatch')).toBe(0);
  });

  it('a deferred batch is scheduled, not a timeout', async () => {
    const { api, clock, options } = setup(0);
    const later = campaign({ name: 'later', deferred: new Date(clock.ms + 3_600_000).toISOString() });
    const plan = makePlan([loaded(later)], { service: api.serviceName, batches: [] }, clock.now());
    const result = await applyPlan(plan, api, options({ timeoutMs: 5_000 }));
    expect(result.campaigns[0]).toMatchObject({ outcome: 'scheduled', created: true, status: 'PENDING' });
    expect(result.ok).toBe(true);
  });

  it('a batch still running at the timeout is a timeout and fails the run', async () => {
    const { api, plan, options } = setup(1);
    api.durationMs = 3_600_000;
    const result = await applyPlan(plan(), api, options({ timeoutMs: 60_000 }));
    expect(result.campaigns[0]).toMatchObject({ outcome: 'timeout', status: 'PENDING', created: true });
    expect(result.ok).toBe(false);
    const polls = api.count('listBatches') - 1;
    expect(polls).toBeGreaterThan(5);
    expect(polls).toBeLessThan(40);
  });

  it('--no-wait leaves new batches running and still reports the ok', async () => {
    const { api, plan, options } = setup(2);
    const result = await applyPlan(plan(), api, options({ wait: false }));
    expect(result.campaigns.map((entry) => entry.outcome)).toEqual(['running', 'running']);
    expect(result.ok).toBe(true);
  });

  it('a batch that appeared with other content since the plan is a conflict, never a second creation', async () => {
    const { api, plan, options } = setup(1);
    const stale = plan();
    await api.createBatch({ name: 'c1', message: 'something else', to: ['+33612345670'], from: 'ACME' });
    const result = await applyPlan(stale, api, options());
    expect(result.campaigns[0]).toMatchObject({ action: 'conflict', outcome: 'skipped', created: false });
    expect(api.batches).toHaveLength(1);
    expect(result.ok).toBe(false);
  });

  it('a matching batch that appeared since the plan is adopted, not created again', async () => {
    const { api, plan, options, campaigns } = setup(1);
    const stale = plan();
    await api.createBatch({ name: 'c1', message: campaigns[0]!.message, to: campaigns[0]!.recipients, from: 'ACME', noStop: false });
    const result = await applyPlan(stale, api, options());
    expect(result.campaigns[0]).toMatchObject({ outcome: 'completed', created: false });
    expect(api.batches).toHaveLength(1);
  });

  it('a refused creation (400) is not retried and is reported per campaign', async () => {
    const { api, plan, options } = setup(2);
    api.beforeCreate = (params) => {
      if (params.name === 'c1') throw new OvhApiError('Invalid sender', 'http', 400, 'Client::BadRequest');
    };
    const result = await applyPlan(plan(), api, options());
    expect(result.campaigns.map((entry) => entry.outcome)).toEqual(['not-created', 'completed']);
    expect(result.campaigns[0]?.message).toMatch(/Invalid sender/);
    expect(api.count('createBatch')).toBe(2);
    expect(result.ok).toBe(false);
  });

  it('a 429 on creation is retried after a pause', async () => {
    const { api, plan, options } = setup(1);
    let refusals = 2;
    api.beforeCreate = () => {
      if (refusals-- > 0) throw new OvhApiError('Too many requests', 'http', 429);
    };
    const result = await applyPlan(plan(), api, options());
    expect(result.campaigns[0]).toMatchObject({ outcome: 'completed', created: true });
    expect(api.batches).toHaveLength(1);
  });

  it('cancels a scheduled batch on request', async () => {
    const { api, clock, options } = setup(0);
    const deferred = new Date(clock.ms + 3_600_000).toISOString();
    const source = campaign({ name: 'xmas', deferred });
    await api.createBatch({ name: 'xmas', message: source.message, to: source.recipients, from: 'ACME', deferred });
    const plan = makePlan(
      [loaded({ ...source, cancel: true })],
      { service: api.serviceName, batches: await api.listBatches() },
      clock.now(),
    );
    expect(plan.campaigns[0]?.action).toBe('cancel');
    const result = await applyPlan(plan, api, options());
    expect(result.campaigns[0]).toMatchObject({ outcome: 'canceled', status: 'CANCELED' });
    expect(result.ok).toBe(true);
  });

  it('emits progress for every campaign, ending with done', async () => {
    const { api, plan, options, events } = setup(2);
    await applyPlan(plan(), api, options());
    for (const name of ['c1', 'c2']) {
      const phases = events.filter((event) => event.campaign === name).map((event) => event.phase);
      expect(phases[0]).toBe('creating');
      expect(phases.at(-1)).toBe('done');
    }
  });
});

describe('retry after a lost creation answer, while a listing started earlier is still in flight', () => {
  const realDelay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /** A slow account: a listing shows the state when OVH read it, and answers 150 ms later. c1's first answer is lost. */
  class SlowApi extends FakeSmsApi {
    private lost = false;
    override async listBatches(): Promise<Batch[]> {
      const snapshot = await super.listBatches();
      await realDelay(150);
      return snapshot;
    }
    override async createBatch(params: BatchParams): Promise<Batch> {
      if (params.name === 'c1') await realDelay(80);
      const batch = await super.createBatch(params);
      if (params.name === 'c1' && !this.lost) {
        this.lost = true;
        throw new OvhApiError('socket hang up', 'network');
      }
      return batch;
    }
  }

  it.each([0, 1000])('creates c1 once and says this run created it (overlap guard %i ms)', async (overlapGuardMs) => {
    const clock = {
      get ms() {
        return Date.now();
      },
      now: () => new Date(),
      sleep: realDelay,
    } as unknown as VirtualClock;
    const api = new SlowApi(clock);
    api.durationMs = 300;
    const campaigns = [campaign({ name: 'c1', recipients: ['+33612345670'] }), campaign({ name: 'c2', recipients: ['+33612345671'] })];
    const plan = makePlan(campaigns.map(loaded), { service: api.serviceName, batches: [] }, clock.now());
    const result = await applyPlan(plan, api, {
      wait: true,
      timeoutMs: 60_000,
      maxCredits: null,
      report: null,
      pollIntervalMs: { initial: 20, max: 100 },
      overlapGuardMs,
    });
    expect(api.batches.filter((batch) => batch.name === 'c1')).toHaveLength(1);
    expect(result.campaigns.map((entry) => [entry.name, entry.created])).toEqual([
      ['c1', true],
      ['c2', true],
    ]);
    expect(result.created).toBe(2);
    expect(result.ok).toBe(true);
  });
});
