import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyPlan, sendTests } from '../../src/apply/index.js';
import { OvhApiError, type Batch } from '../../src/account/index.js';
import { makePlan } from '../../src/plan/index.js';
import { ReportFolder } from '../../src/report/index.js';
import { campaign, loaded } from '../plan/fixtures.js';
import { FakeSmsApi, VirtualClock } from './fake-api.js';
import { fakeApply } from './fake-apply.js';

// Issue #10: every retry goes through the one policy (account/retry.ts), and no error is dropped: each shows where
// it lands (a progress line, a warning in the result, the campaign's message).

const scratch: string[] = [];
afterEach(async () => {
  await Promise.all(scratch.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function scratchDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'errors-land-'));
  scratch.push(dir);
  return dir;
}

const setup = () => fakeApply([]);

/** A scheduled batch, and the plan that cancels it (`cancel: true`). */
async function scheduledToCancel(clock: VirtualClock, api: FakeSmsApi) {
  const deferred = new Date(clock.ms + 3_600_000).toISOString();
  const source = campaign({ name: 'xmas', deferred, recipients: ['+33612345670'] });
  const batch = await api.createBatch({ name: 'xmas', message: source.message, to: source.recipients, from: 'ACME', deferred });
  const plan = makePlan([loaded({ ...source, cancel: true })], { service: api.serviceName, batches: await api.listBatches() }, clock.now());
  expect(plan.campaigns[0]?.action).toBe('cancel');
  return { plan, batch };
}

describe('cancels under the retry policy', () => {
  it('a cancel refused for now (429) is tried again after a pause, and the pause is logged', async () => {
    const { clock, api, options, messages } = setup();
    const { plan } = await scheduledToCancel(clock, api);
    const cancel = api.cancelBatch.bind(api);
    let refusals = 1;
    api.cancelBatch = async (id) => {
      if (refusals-- > 0) throw new OvhApiError('OVH API POST /cancel failed with HTTP 429: Too many requests', 'http', 429);
      return cancel(id);
    };
    const result = await applyPlan(plan, api, options());
    expect(result.campaigns[0]).toMatchObject({ outcome: 'canceled', status: 'CANCELED' });
    expect(messages('retrying')).toEqual([expect.stringMatching(/cancelling batch batch-1 failed \(.*HTTP 429.*\); trying again/)]);
    expect(api.count('getBatch')).toBe(1);
  });

  it('a cancel whose answer was lost but took effect is read back, never sent again', async () => {
    const { clock, api, options } = setup();
    const { plan } = await scheduledToCancel(clock, api);
    const cancel = api.cancelBatch.bind(api);
    let cancels = 0;
    api.cancelBatch = async (id) => {
      cancels += 1;
      await cancel(id);
      throw new OvhApiError('OVH API POST /cancel timed out after 30000 ms', 'timeout');
    };
    const result = await applyPlan(plan, api, options());
    expect(cancels).toBe(1);
    expect(result.campaigns[0]).toMatchObject({ outcome: 'canceled', status: 'CANCELED' });
    expect(result.ok).toBe(true);
  });

  it('a cancel refused for good (403) is not repeated; a failed read-back is named in the message', async () => {
    const { clock, api, options } = setup();
    const { plan } = await scheduledToCancel(clock, api);
    let cancels = 0;
    api.cancelBatch = async () => {
      cancels += 1;
      throw new OvhApiError('OVH API POST /cancel failed with HTTP 403: This call has not been granted', 'http', 403);
    };
    api.getBatch = async () => {
      throw new OvhApiError('OVH API GET /batches/batch-1 failed: network error ECONNRESET', 'network');
    };
    const result = await applyPlan(plan, api, options({ wait: false }));
    expect(cancels).toBe(1);
    expect(result.ok).toBe(false);
    expect(result.campaigns[0]?.message).toMatch(
      /^cancel failed: batch batch-1 could not be cancelled \(.*HTTP 403.*; reading it back failed: .*ECONNRESET\); it will be sent$/,
    );
  });
});

describe('where a dropped error lands', () => {
  it('a listing that fails while waiting is a progress line with the error; the batch is still followed to its end', async () => {
    const { api, options, messages } = setup();
    const plan = makePlan(
      [loaded(campaign({ name: 'c1', recipients: ['+33612345670'] }))],
      { service: api.serviceName, batches: [] },
      new Date(0),
    );
    const list = api.listBatches.bind(api);
    let failures = 0;
    api.listBatches = async () => {
      // The first listing checks the name before creating; the next one (a poll round) fails once.
      if (api.count('listBatches') === 1 && failures++ === 0)
        throw new OvhApiError('OVH API GET /batches failed with HTTP 503: busy', 'http', 503);
      return list();
    };
    const result = await applyPlan(plan, api, options());
    expect(result.campaigns[0]).toMatchObject({ outcome: 'completed' });
    expect(messages('retrying')).toEqual([expect.stringMatching(/^listing the batches failed \(.*HTTP 503: busy\); looking again$/)]);
  });

  it('planned duplicates that cannot be listed again are left in conflict, nothing sent, and the result says why', async () => {
    const { api, clock, options } = setup();
    const source = campaign({ name: 'dup', recipients: ['+33612345670'] });
    const deferred = new Date(clock.ms + 15_000).toISOString();
    for (const _ of [1, 2]) await api.createBatch({ name: 'dup', message: source.message, to: source.recipients, from: 'ACME', deferred });
    const plan = makePlan([loaded(source)], { service: api.serviceName, batches: await api.listBatches() }, clock.now());
    expect(plan.campaigns[0]?.action).toBe('conflict');
    api.listBatches = async () => {
      throw new OvhApiError('OVH API GET /batches failed with HTTP 503: busy', 'http', 503);
    };
    const result = await applyPlan(plan, api, options({ overlapGuardMs: 15_000 }));
    expect(result.campaigns[0]).toMatchObject({ outcome: 'skipped', action: 'conflict' });
    expect(result.campaigns[0]?.warnings).toEqual([
      expect.stringMatching(/^listing the batches to settle the duplicates failed \(.*HTTP 503: busy\): left as planned; run apply again$/),
    ]);
    expect(api.count('cancelBatch')).toBe(0);
  });

  it("OVH's clock that cannot be read is a warning of the run: the result says times were compared locally", async () => {
    const { api, options } = setup();
    const plan = makePlan([], { service: api.serviceName, batches: [] }, new Date(0));
    Object.assign(api, {
      clockOffsetMs: async () => {
        throw new OvhApiError('OVH API GET /auth/time failed: network error ECONNREFUSED', 'network');
      },
    });
    const result = await applyPlan(plan, api, options());
    expect(result.warnings).toEqual([
      expect.stringMatching(/^OVH's clock could not be read \(.*ECONNREFUSED\): batch times are compared on the local clock$/),
    ]);
  });

  it('a run warning is masked where it is raised: an OVH error quoting a number leaves no full number in the result', async () => {
    const { api, options } = setup();
    const plan = makePlan([], { service: api.serviceName, batches: [] }, new Date(0));
    Object.assign(api, {
      clockOffsetMs: async () => {
        throw new OvhApiError('OVH API GET /auth/time failed: proxy refused +33612345678', 'network');
      },
    });
    const result = await applyPlan(plan, api, options());
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toContain('proxy refused +33 6•• ••• •78');
    expect(result.warnings[0]).not.toContain('612345678');
  });

  it('a progress printer that throws does not stop the send; the result says so once', async () => {
    const { api, options } = setup();
    const plan = makePlan(
      [loaded(campaign({ name: 'c1', recipients: ['+33612345670'] }))],
      { service: api.serviceName, batches: [] },
      new Date(0),
    );
    const result = await applyPlan(
      plan,
      api,
      options({
        progress: () => {
          throw new Error('stdout closed');
        },
      }),
    );
    expect(result.campaigns[0]).toMatchObject({ outcome: 'completed', created: true });
    expect(result.warnings).toEqual(['the progress printer failed (stdout closed): some progress lines are missing']);
  });

  it('creating the receivers list document refused for now (429) is tried again under the policy: sent once', async () => {
    const { api, options } = setup();
    const plan = makePlan(
      [loaded(campaign({ name: 'big', recipients: ['+33612345670', '+33612345671'] }))],
      { service: api.serviceName, batches: [] },
      new Date(0),
    );
    const createDocument = api.createDocument.bind(api);
    let attempts = 0;
    api.createDocument = async (name) => {
      if (attempts++ === 0) throw new OvhApiError('OVH API POST /me/document failed with HTTP 429: slow down', 'http', 429);
      return createDocument(name);
    };
    const result = await applyPlan(plan, api, options({ receiversListThreshold: 2 }));
    expect(result.campaigns[0]).toMatchObject({ outcome: 'completed', created: true });
    expect(attempts).toBe(2);
    expect(api.count('createReceiversList')).toBe(1);
    expect(api.count('createBatch')).toBe(1);
  });

  it('a receivers list or uploaded document left on the account is a warning of its campaign and a progress line', async () => {
    const { api, options, messages } = setup();
    const recipients = ['+33612345670', '+33612345671'];
    const plan = makePlan([loaded(campaign({ name: 'big', recipients }))], { service: api.serviceName, batches: [] }, new Date(0));
    api.deleteDocument = async () => {
      throw new OvhApiError('OVH API DELETE /me/document/upload-big.csv failed with HTTP 500: oops', 'http', 500);
    };
    api.getReceiversList = async (slotId) => ({
      autoUpdate: false,
      canAutoUpdate: false,
      datetime: '2026-11-26T10:00:00Z',
      description: 'sms-campaigns: big',
      records: 2,
      slotId,
    });
    api.deleteReceiversList = async () => {
      throw new OvhApiError('OVH API DELETE /receivers/1 failed with HTTP 503: later', 'http', 503);
    };
    const result = await applyPlan(plan, api, options({ receiversListThreshold: 2 }));
    expect(result.campaigns[0]).toMatchObject({ outcome: 'completed', created: true });
    expect(result.campaigns[0]?.warnings).toEqual([
      expect.stringMatching(/^the uploaded recipients document upload-big.csv could not be deleted \(.*HTTP 500: oops\)/),
      expect.stringMatching(/^receivers list 1 could not be deleted \(.*HTTP 503: later\): the next run that needs a slot deletes it$/),
    ]);
    expect(messages('warning')).toEqual(result.campaigns[0]?.warnings);
  });
});

describe('the CSV export under the retry policy', () => {
  const oneCampaign = (api: FakeSmsApi) =>
    makePlan([loaded(campaign({ name: 'c1', recipients: ['+33612345670'] }))], { service: api.serviceName, batches: [] }, new Date(0));

  it('a document poll refused for now (429) is a progress line, then the export is fetched', async () => {
    const { api, options, messages } = setup();
    const getDocument = api.getDocument.bind(api);
    let refusals = 1;
    api.getDocument = async (id) => {
      if (refusals-- > 0) throw new OvhApiError('OVH API GET /me/document failed with HTTP 429: slow down', 'http', 429);
      return getDocument(id);
    };
    const report = new ReportFolder(await scratchDir());
    const result = await applyPlan(oneCampaign(api), api, options({ report }));
    expect(result.campaigns[0]).toMatchObject({ outcome: 'completed', exportFile: 'c1/outgoing.csv', exportWarning: null });
    expect(messages('retrying')).toEqual([
      expect.stringMatching(/^fetching the CSV export failed \(.*HTTP 429: slow down\); trying again$/),
    ]);
  });

  it('an export refused for good (403) is given up at once, not polled until the timeout', async () => {
    const { api, clock, options } = setup();
    let looks = 0;
    api.getDocument = async () => {
      looks += 1;
      throw new OvhApiError('OVH API GET /me/document failed with HTTP 403: This call has not been granted', 'http', 403);
    };
    const report = new ReportFolder(await scratchDir());
    const started = clock.ms;
    const result = await applyPlan(oneCampaign(api), api, options({ report, timeoutMs: 3_600_000 }));
    expect(result.campaigns[0]?.exportWarning).toMatch(/^⚠️ CSV export not fetched \(no outgoing.csv\): .*HTTP 403/);
    expect(looks).toBe(1);
    expect(clock.ms - started).toBeLessThan(60_000);
  });
});

describe('test sends under the retry policy', () => {
  const tested = campaign({ name: 'promo', testRecipients: ['+33612345670'] });

  it('a creation refused for now (429) is tried again after a pause: sent once', async () => {
    const clock = new VirtualClock();
    const api = new FakeSmsApi(clock);
    let refusals = 2;
    api.beforeCreate = () => {
      if (refusals-- > 0) throw new OvhApiError('Too many requests', 'http', 429);
    };
    const slept: number[] = [];
    const outcomes = await sendTests([tested], api, { sleep: async (ms) => void slept.push(ms) });
    expect(outcomes).toMatchObject([{ kind: 'sent', batchId: 'batch-1' }]);
    expect(api.batches).toHaveLength(1);
    expect(slept).toHaveLength(2);
  });

  it('a lost answer whose look-up fails too is a failed test naming both errors, never a second creation', async () => {
    const clock = new VirtualClock();
    const api = new FakeSmsApi(clock);
    api.beforeCreate = () => {
      throw new OvhApiError('OVH API POST /batches timed out after 30000 ms', 'timeout');
    };
    const list = api.listBatches.bind(api);
    let listings = 0;
    api.listBatches = async (): Promise<Batch[]> => {
      if (listings++ > 0) throw new OvhApiError('OVH API GET /batches failed: network error ECONNRESET', 'network');
      return list();
    };
    const outcomes = await sendTests([tested], api, { sleep: async () => {} });
    expect(api.count('createBatch')).toBe(1);
    expect(outcomes).toMatchObject([
      {
        kind: 'failed',
        message: expect.stringMatching(/timed out after 30000 ms: looking the test batch up failed too \(.*ECONNRESET\); run `test` again/),
      },
    ]);
  });
});
