import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useSandboxRun } from '../support/sandbox-run.js';

// Issue #8 item 11: `--expect-digest` (CLI) and `expect-digest` (action) go through the engine's apply.
const CAMPAIGN =
  'name: parcel-notice\ntype: transactional\nfrom: SHOP\nnoStop: true\nmessage: Your parcel ships today.\nto:\n  - "+33612345678"\n';

const openRepository = useSandboxRun('sms-run-');

describe('apply with an expected digest', () => {
  it('sends nothing and exits 1 when the plan differs from the reviewed one, and sends when it is the same', async () => {
    const { sandbox, dir, run } = await openRepository(
      { 'parcel.yml': CAMPAIGN },
      { batchDurationMs: 100, documentReadyAfterPolls: 1 },
      { wait: true },
    );
    const planned = await run('plan');
    const reviewed = planned.plan?.digest ?? '';
    expect(reviewed).toMatch(/^sha256:[0-9a-f]{64}$/);

    await writeFile(path.join(dir, 'campaigns', 'parcel.yml'), CAMPAIGN.replace('ships today', 'ships tomorrow'));
    const stale = await run('apply', { expectDigest: reviewed });
    expect(stale.exitCode).toBe(1);
    expect(stale.message).toMatch(/^Nothing was sent: the plan's digest sha256:\w+ is not the expected sha256:/);
    expect(stale.apply).toBeNull();
    expect(sandbox.batches()).toEqual([]);

    await writeFile(path.join(dir, 'campaigns', 'parcel.yml'), CAMPAIGN);
    const applied = await run('apply', { expectDigest: reviewed });
    expect(applied.exitCode, applied.message ?? '').toBe(0);
    expect(sandbox.batches().map((batch) => batch.name)).toEqual(['parcel-notice']);
  });
});
