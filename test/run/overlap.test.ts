import { describe, expect, it } from 'vitest';
import { connectSmsService } from '../../src/ovh/index.js';
import { sandboxSettings } from '../../src/sandbox/index.js';
import { useSandboxRun } from '../support/sandbox-run.js';

const CAMPAIGN = `name: parcel-notice
type: transactional
from: SHOP
noStop: true
message: Your parcel ships today.
to:
  - "+33612345678"
  - "+33612345679"
`;

const openRepository = useSandboxRun('sms-run-');

/** A sandbox account, a repository holding CAMPAIGN, and an apply that does not wait, with a 1 s guard. */
async function world() {
  const { sandbox, run } = await openRepository({ 'parcel.yml': CAMPAIGN });
  const apply = () => run('apply', { wait: false, overlapGuardSeconds: 1 });
  return { api: await connectSmsService(sandboxSettings(sandbox)), apply };
}

const HELD = { name: 'parcel-notice', from: 'SHOP', noStop: true, to: ['+33612345678', '+33612345679'] };

describe('apply after an overlapping run died during its hold', () => {
  it('cancels the duplicate left behind instead of refusing the plan, and sends nothing new', async () => {
    const { api, apply } = await world();
    // Two runs created the same held batch at the same time, and both died before settling.
    const params = { ...HELD, message: 'Your parcel ships today.', deferred: new Date(Date.now() + 30_000).toISOString() };
    const first = await api.createBatch(params);
    // Creations within one millisecond tie on createdAt and the settling rule falls back to the (random) id.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await api.createBatch(params);

    const outcome = await apply();

    expect(outcome.planJson?.campaigns[0]?.action).toBe('conflict');
    expect(outcome.exitCode).toBe(0);
    const batches = await api.listBatches();
    expect(batches).toHaveLength(2);
    expect(batches.find((batch) => batch.id === first.id)?.status).toBe('PENDING');
    expect(['TO_CANCEL', 'CANCELING', 'CANCELED']).toContain(batches.find((batch) => batch.id === second.id)?.status);
    expect(outcome.apply?.campaigns[0]).toMatchObject({ batchId: first.id, created: false });
  });

  it('still refuses a conflict whose batches differ from the file', async () => {
    const { api, apply } = await world();
    const deferred = new Date(Date.now() + 30_000).toISOString();
    await api.createBatch({ ...HELD, deferred, message: 'Your parcel ships today.' });
    await api.createBatch({ ...HELD, deferred, message: 'Another text.' });

    const outcome = await apply();

    expect(outcome.exitCode).toBe(1);
    expect(outcome.apply).toBeNull();
    expect((await api.listBatches()).every((batch) => batch.status === 'PENDING')).toBe(true);
  });
});
