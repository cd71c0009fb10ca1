import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxFault } from '../../src/sandbox/index.js';
import { asLoaded, countByName, smallCampaigns, startWorld, type World } from './sandbox-world.js';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

describe('apply against the sandbox (node-ovh over HTTPS)', () => {
  it('creates every campaign, waits, and writes statistics.json and outgoing.csv per campaign', async () => {
    world = await startWorld();
    const campaigns = smallCampaigns(3);
    const result = await world.apply(asLoaded(campaigns));
    expect(result.ok).toBe(true);
    expect(result.created).toBe(3);
    expect(countByName(world.sandbox)).toEqual({ 'camp-1': 1, 'camp-2': 1, 'camp-3': 1 });
    for (const entry of result.campaigns) {
      expect(entry).toMatchObject({ outcome: 'completed', status: 'COMPLETED', created: true, exportFile: `${entry.name}/outgoing.csv` });
      expect(entry.statistics?.sent).toBe(2);
      const statistics = JSON.parse(await readFile(join(world.reportDir, entry.name!, 'statistics.json'), 'utf8'));
      expect(statistics).toMatchObject({ id: entry.batchId, sent: 2 });
      const csv = await readFile(join(world.reportDir, entry.exportFile!), 'utf8');
      expect(csv.split('\n')[0]).toMatch(/receiver/);
      expect(csv).toContain('+33612345');
    }
  });

  it('a second apply creates nothing and completes the report', async () => {
    world = await startWorld();
    const loaded = asLoaded(smallCampaigns(2));
    await world.apply(loaded);
    const before = world.creations();
    const second = await world.apply(loaded);
    expect(world.creations()).toBe(before);
    expect(second.created).toBe(0);
    expect(second.ok).toBe(true);
    expect(second.campaigns.map((entry) => [entry.action, entry.outcome, entry.exportFile !== null])).toEqual([
      ['none', 'completed', true],
      ['none', 'completed', true],
    ]);
  });

  it("editing a sent campaign's message gives conflict and sends nothing", async () => {
    world = await startWorld();
    const [sent] = smallCampaigns(1);
    await world.apply(asLoaded([sent!]));
    const edited = { ...sent!, message: 'A new text' };
    const plan = await world.plan(asLoaded([edited]));
    expect(plan.campaigns[0]?.action).toBe('conflict');
    expect(plan.campaigns[0]?.errors[0]?.message).toMatch(/message differs/);
    const before = world.creations();
    const result = await world.apply(asLoaded([edited]));
    expect(world.creations()).toBe(before);
    expect(result).toMatchObject({ ok: false, created: 0 });
    expect(result.campaigns[0]).toMatchObject({ action: 'conflict', outcome: 'skipped' });
  });

  const creationFaults: [string, SandboxFault][] = [
    ['429 Too Many Requests', { method: 'POST', path: /\/batches$/, kind: 'status', status: 429, times: 2 }],
    ['a lost creation response (created, answer never arrives)', { method: 'POST', path: /\/batches$/, kind: 'lose-response', times: 2 }],
    [
      'a proxy HTML 502 after the creation took effect',
      { method: 'POST', path: /\/batches$/, kind: 'html', status: 502, afterCommit: true, times: 2 },
    ],
  ];

  it.each(creationFaults)('%s on creation ends with exactly one batch per campaign', async (_title, fault) => {
    world = await startWorld({ faults: [fault] });
    const result = await world.apply(asLoaded(smallCampaigns(2)), { concurrency: 1 });
    expect(countByName(world.sandbox)).toEqual({ 'camp-1': 1, 'camp-2': 1 });
    expect(result.ok).toBe(true);
    expect(result.created).toBe(2);
    expect(result.campaigns.every((entry) => entry.outcome === 'completed' && entry.exportFile !== null)).toBe(true);
    // A 429 is sent again (OVH said no); a lost answer is not: the lookup finds the batch it created.
    expect(world.creations()).toBe(fault.kind === 'status' ? 4 : 2);
  });

  const unknownOutcomes: [string, SandboxFault][] = [
    ['500 Internal Server Error', { method: 'POST', path: /\/batches$/, kind: 'status', status: 500, times: 2 }],
    ['a dropped connection', { method: 'POST', path: /\/batches$/, kind: 'drop', times: 2 }],
    ['a proxy HTML 502 before the creation', { method: 'POST', path: /\/batches$/, kind: 'html', status: 502, times: 2 }],
  ];

  it.each(unknownOutcomes)(
    '%s on creation (nothing created) is never re-created blindly: outcome unknown, then a re-run creates once',
    async (_title, fault) => {
      world = await startWorld({ faults: [fault] });
      const first = await world.apply(asLoaded(smallCampaigns(2)), { concurrency: 1, outcomeLookupMs: 300 });
      expect(world.creations()).toBe(2);
      expect(world.sandbox.batches()).toEqual([]);
      expect(first).toMatchObject({ ok: false, created: 0 });
      expect(first.campaigns.map((entry) => entry.outcome)).toEqual(['unknown', 'unknown']);
      expect(first.campaigns[0]?.message).toMatch(/^outcome unknown: .*run plan or apply again/);
      const second = await world.apply(asLoaded(smallCampaigns(2)));
      expect(second.ok).toBe(true);
      expect(countByName(world.sandbox)).toEqual({ 'camp-1': 1, 'camp-2': 1 });
    },
  );

  it.each([
    ['500 on the poll listing', { method: 'GET', path: /\/batches$/, kind: 'status', status: 500, times: 3 } as SandboxFault],
    ['a dropped statistics call', { method: 'GET', path: /\/statistics$/, kind: 'drop', times: 1 } as SandboxFault],
    ['429 on the document poll', { method: 'GET', path: /\/me\/document\//, kind: 'status', status: 429, times: 2 } as SandboxFault],
  ])('%s is absorbed and the report is complete', async (_title, fault) => {
    world = await startWorld();
    world.sandbox.addFault(fault);
    const result = await world.apply(asLoaded(smallCampaigns(2)));
    expect(countByName(world.sandbox)).toEqual({ 'camp-1': 1, 'camp-2': 1 });
    expect(result.ok).toBe(true);
    expect(result.campaigns.every((entry) => entry.statistics !== null && entry.exportFile !== null && entry.message === null)).toBe(true);
  });

  it('a deferred campaign is reported scheduled, and can be cancelled by a later apply', async () => {
    world = await startWorld();
    const [base] = smallCampaigns(1, 'xmas');
    const deferred = { ...base!, deferred: new Date(Date.now() + 3_600_000).toISOString() };
    const first = await world.apply(asLoaded([deferred]), { timeoutMs: 2_000 });
    expect(first.campaigns[0]).toMatchObject({ outcome: 'scheduled', created: true, status: 'PENDING' });
    expect(first.ok).toBe(true);
    const cancel = { ...deferred, cancel: true };
    expect((await world.plan(asLoaded([cancel]))).campaigns[0]?.action).toBe('cancel');
    const second = await world.apply(asLoaded([cancel]));
    expect(second.campaigns[0]).toMatchObject({ action: 'cancel', outcome: 'canceled', status: 'CANCELED' });
    expect(second.ok).toBe(true);
    expect(world.sandbox.batches()).toHaveLength(1);
  });

  it('reports per-receiver errors with masked numbers, and a batch where every number failed as failed', async () => {
    world = await startWorld();
    const [partly, none] = smallCampaigns(2);
    const mixed = { ...partly!, recipients: [...partly!.recipients, '+33000000001'] };
    const allBad = { ...none!, recipients: ['+33000000002'] };
    const result = await world.apply(asLoaded([mixed, allBad]));
    expect(result.campaigns.map((entry) => [entry.outcome, entry.receiverErrors.length])).toEqual([
      ['completed', 1],
      ['failed', 1],
    ]);
    expect(result.campaigns[0]?.receiverErrors[0]?.receiver).toBe('+33 0•• ••• •01');
    expect(JSON.stringify(result)).not.toContain('+33000000001');
    expect(result.ok).toBe(false);
  });

  it('refuses when the account has fewer credits than the plan needs, sending nothing', async () => {
    world = await startWorld({ creditsLeft: 3 });
    await expect(world.apply(asLoaded(smallCampaigns(2)))).rejects.toThrow(/4 credits.*3 left/);
    expect(world.creations()).toBe(0);
  });
});
