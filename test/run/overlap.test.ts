import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectSmsService } from '../../src/ovh/index.js';
import { runCommand } from '../../src/run/index.js';
import { sandboxSettings, startSandbox, type Sandbox } from '../../src/sandbox/index.js';

const CAMPAIGN = `name: parcel-notice
type: transactional
from: SHOP
noStop: true
message: Your parcel ships today.
to:
  - "+33612345678"
  - "+33612345679"
`;

let sandbox: Sandbox | null = null;
let dir: string | null = null;
afterEach(async () => {
  await sandbox?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
  sandbox = null;
  dir = null;
});

/** A sandbox account and a repository holding CAMPAIGN. */
async function world() {
  sandbox = await startSandbox({ batchDurationMs: 200 });
  const settings = sandboxSettings(sandbox);
  const repository = await mkdtemp(path.join(tmpdir(), 'overlap-run-'));
  dir = repository;
  await mkdir(path.join(repository, 'campaigns'));
  await writeFile(path.join(repository, 'campaigns', 'parcel.yml'), CAMPAIGN);
  const apply = () =>
    runCommand('apply', {
      cwd: repository,
      patterns: [],
      env: {},
      ovh: settings,
      offline: false,
      sandbox: null,
      wait: false,
      timeoutMinutes: 1,
      maxCredits: null,
      overlapGuardSeconds: 1,
      reportDir: path.join(repository, 'report'),
      log: () => undefined,
    });
  return { api: await connectSmsService(settings), apply };
}

const HELD = { name: 'parcel-notice', from: 'SHOP', noStop: true, to: ['+33612345678', '+33612345679'] };

describe('apply after an overlapping run died during its hold', () => {
  it('cancels the duplicate left behind instead of refusing the plan, and sends nothing new', async () => {
    const { api, apply } = await world();
    // Two runs created the same held batch at the same time, and both died before settling.
    const params = { ...HELD, message: 'Your parcel ships today.', deferred: new Date(Date.now() + 30_000).toISOString() };
    const first = await api.createBatch(params);
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
