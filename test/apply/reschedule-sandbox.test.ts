import { afterEach, describe, expect, it } from 'vitest';
import { asLoaded, smallCampaigns, startWorld, type World } from './sandbox-world.js';

// Issue #8 item 7: a changed `deferred` is carried out as cancel-then-create, never two live batches.
let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

const inHours = (hours: number) => new Date(Math.ceil(Date.now() / 1000) * 1000 + hours * 3_600_000).toISOString().replace('.000Z', 'Z');
const live = (w: World) => w.sandbox.batches().filter((batch) => !['CANCELED', 'TO_CANCEL', 'CANCELING'].includes(batch.status));

describe('reschedule against the sandbox', () => {
  it('cancels the scheduled batch, then creates one at the new time; the next plan waits for it', async () => {
    world = await startWorld();
    const [base] = smallCampaigns(1, 'moved');
    const first = { ...base!, type: 'transactional' as const, deferred: inHours(1) };
    expect((await world.apply(asLoaded([first]), { timeoutMs: 2_000 })).campaigns[0]).toMatchObject({ outcome: 'scheduled' });
    const [old] = world.sandbox.batches();

    const moved = { ...first, deferred: inHours(2) };
    const plan = await world.plan(asLoaded([moved]));
    expect(plan.campaigns[0]).toMatchObject({ action: 'reschedule', batch: { id: old!.id } });
    const result = await world.apply(asLoaded([moved]), { timeoutMs: 2_000 });
    expect(result.ok).toBe(true);
    expect(result.campaigns[0]).toMatchObject({ action: 'reschedule', outcome: 'scheduled', created: true, status: 'PENDING' });
    expect(result.campaigns[0]!.batchId).not.toBe(old!.id);

    const batches = world.sandbox.batches();
    expect(['TO_CANCEL', 'CANCELING', 'CANCELED']).toContain(batches.find((batch) => batch.id === old!.id)?.status);
    expect(live(world)).toHaveLength(1);
    expect(Date.parse(live(world)[0]!.sentAt!)).toBe(Date.parse(moved.deferred));
    expect((await world.plan(asLoaded([moved]))).campaigns[0]!.action).toBe('wait');
  });

  it('creates nothing when the cancel is refused: the old batch keeps its time and the run fails', async () => {
    world = await startWorld();
    const [base] = smallCampaigns(1, 'stuck');
    const first = { ...base!, type: 'transactional' as const, deferred: inHours(1) };
    await world.apply(asLoaded([first]), { timeoutMs: 2_000 });
    world.sandbox.addFault({ method: 'POST', path: /\/cancel$/, kind: 'status', status: 403 });
    const before = world.creations();
    const result = await world.apply(asLoaded([{ ...first, deferred: inHours(3) }]), { timeoutMs: 2_000 });
    expect(result.ok).toBe(false);
    expect(result.campaigns[0]).toMatchObject({ action: 'reschedule', outcome: 'not-created', created: false });
    expect(result.campaigns[0]!.message).toMatch(/could not cancel batch .* to reschedule it, so nothing was created/);
    expect(world.creations()).toBe(before);
    expect(live(world)).toHaveLength(1);
  });

  it('a re-run after a reschedule stopped between its cancel and its creation creates the campaign', async () => {
    world = await startWorld();
    const [base] = smallCampaigns(1, 'halfway');
    const first = { ...base!, type: 'transactional' as const, deferred: inHours(1) };
    await world.apply(asLoaded([first]), { timeoutMs: 2_000 });
    await world.api.cancelBatch(world.sandbox.batches()[0]!.id);
    const moved = { ...first, deferred: inHours(2) };
    expect((await world.plan(asLoaded([moved]))).campaigns[0]).toMatchObject({ action: 'create' });
    const result = await world.apply(asLoaded([moved]), { timeoutMs: 2_000 });
    expect(result.campaigns[0]).toMatchObject({ outcome: 'scheduled', created: true });
    expect(live(world)).toHaveLength(1);
  });
});
