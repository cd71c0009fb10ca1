import { describe, expect, it } from 'vitest';
import { applyPlan, DEFAULT_OVERLAP_GUARD_MS, type ApplyOptions } from '../../src/apply/index.js';
import { classifyOverlap, contentMatch, deferredWithHold, isHeldByGuard, settleDuplicates } from '../../src/apply/overlap-guard.js';
import type { Batch } from '../../src/account/index.js';
import { makePlan } from '../../src/plan/index.js';
import { batchFor, campaign, loaded, NOW } from '../plan/fixtures.js';
import { fakeApply } from './fake-apply.js';

describe('overlap guard rules (pure)', () => {
  const base = campaign();
  const live = (id: string, createdAt: string, overrides: Partial<Batch> = {}) =>
    batchFor(base, { id, createdAt, status: 'PENDING', startedAt: null, finishedAt: null, ...overrides });

  it('sends now + hold, rounded up to the second, unless the campaign is deferred later; hold 0 sends the campaign as is', () => {
    const now = new Date('2026-11-26T10:00:00.400Z');
    expect(deferredWithHold(null, now, 15_000)).toBe('2026-11-26T10:00:16Z');
    expect(deferredWithHold('2026-11-26T10:00:05Z', now, 15_000)).toBe('2026-11-26T10:00:16Z');
    expect(deferredWithHold('2026-12-24T18:00:00+01:00', now, 15_000)).toBe('2026-12-24T18:00:00+01:00');
    expect(deferredWithHold(null, now, 0)).toBeNull();
    expect(deferredWithHold('2026-12-24T18:00:00+01:00', now, 0)).toBe('2026-12-24T18:00:00+01:00');
  });

  it('keeps the earliest created live batch with the same content; ties go to the smallest id', () => {
    const settled = settleDuplicates(
      base,
      [
        live('b', '2026-11-26T10:00:01Z'),
        live('c', '2026-11-26T10:00:00Z'),
        live('a', '2026-11-26T10:00:01Z'),
        live('old', '2026-11-26T09:00:00Z', { status: 'CANCELED' }),
        live('other-text', '2026-11-26T09:00:00Z', { message: 'Something else' }),
        batchFor(campaign({ name: 'other-name' }), { createdAt: '2026-11-26T08:00:00Z' }),
      ],
      NOW,
    );
    expect(settled?.winner.id).toBe('c');
    expect(settled?.losers.map((batch) => batch.id)).toEqual(['a', 'b']);
    expect(settleDuplicates(base, [live('x', '2026-11-26T10:00:00Z', { status: 'TO_CANCEL' })], NOW)).toBeNull();
  });

  it('keeps a batch that can no longer be cancelled over an earlier held one: keeping it is the only way to send once', () => {
    const held = live('held', '2026-11-26T09:59:50Z', { sentAt: '2026-11-26T10:00:05Z' });
    const immediate = live('immediate', '2026-11-26T09:59:55Z', { sentAt: null });
    expect(settleDuplicates(base, [held, immediate], NOW)).toEqual({ winner: immediate, losers: [held] });
    // Both still cancellable: the earliest wins, as before.
    const laterHeld = live('later', '2026-11-26T09:59:55Z', { sentAt: '2026-11-26T10:00:10Z' });
    expect(settleDuplicates(base, [laterHeld, held], NOW)?.winner.id).toBe('held');
  });

  it('a send time within the hold after creation is a hold; the campaign’s own future time or a far one is a schedule', () => {
    const held = live('h', '2026-11-26T09:59:55Z', { sentAt: '2026-11-26T10:00:10Z' });
    expect(isHeldByGuard(held, null, NOW, 15_000)).toBe(true);
    expect(isHeldByGuard(held, '2026-11-26T10:00:10Z', NOW, 15_000)).toBe(false);
    expect(isHeldByGuard({ ...held, sentAt: '2026-11-26T13:00:00Z' }, null, NOW, 15_000)).toBe(false);
    expect(isHeldByGuard({ ...held, status: 'INSERTING' }, null, NOW, 15_000)).toBe(false);
    expect(isHeldByGuard({ ...held, sentAt: '2026-11-26T10:01:30Z' }, null, NOW, 120_000)).toBe(true);
  });
});

describe('overlap classification (pure, issue #8 item 1)', () => {
  const base = campaign();
  const held = (id: string, overrides: Partial<Batch> = {}) =>
    batchFor(base, {
      id,
      createdAt: '2026-11-26T09:59:58Z',
      sentAt: '2026-11-26T10:00:10Z',
      status: 'PENDING',
      startedAt: null,
      finishedAt: null,
      ...overrides,
    });

  it('a batch whose receivers are not listed yet is unknown, unless its message or sender already differ', () => {
    expect(contentMatch(base, held('a'))).toBe('same');
    expect(contentMatch(base, held('a', { receivers: null }))).toBe('unknown');
    expect(contentMatch(base, held('a', { receivers: [] }))).toBe('unknown');
    expect(contentMatch(base, held('a', { receivers: null, message: 'Another text' }))).toBe('other');
    expect(contentMatch(base, held('a', { receivers: ['+33612345670'] }))).toBe('other');
  });

  it('a batch sent from a receivers list is decided by its record count, never left unknown', () => {
    expect(contentMatch(base, held('a', { receivers: null, slotID: 'slot-1', totalRecords: base.recipients.length }))).toBe('same');
    expect(contentMatch(base, held('a', { receivers: null, slotID: 'slot-1', totalRecords: 7 }))).toBe('other');
  });

  it('another live version is a conflict; an unknown one makes the run look again; its own batch is known at once', () => {
    const other = held('other', { message: 'Version 2' });
    expect(classifyOverlap(base, [held('own', { receivers: null }), other], 'own', NOW)).toEqual({ kind: 'conflict', others: [other] });
    expect(classifyOverlap(base, [held('own'), held('x', { receivers: null })], 'own', NOW).kind).toBe('unsure');
    expect(classifyOverlap(base, [held('own', { receivers: null }), { ...other, status: 'TO_CANCEL' }], 'own', NOW)).toMatchObject({
      kind: 'duplicates',
      settlement: { winner: { id: 'own' }, losers: [] },
    });
  });
});

/** The guard at its default hold, and time enough for it. */
const setup = (names: string[]) => fakeApply(names, { timeoutMs: 120_000, overlapGuardMs: DEFAULT_OVERLAP_GUARD_MS });

/** c1 applied while a run with the guard off creates the same batch just after ours: not deferred, so not cancellable. */
async function applyBesideUnguardedRun(overrides: Partial<ApplyOptions> = {}) {
  const { api, plan, options, campaigns } = setup(['c1']);
  const [source] = campaigns;
  let injected = false;
  const result = await applyPlan(
    plan(),
    api,
    options({
      ...overrides,
      progress: (event) => {
        if (event.phase !== 'created' || injected) return;
        injected = true;
        void api.createBatch({ name: 'c1', message: source!.message, to: source!.recipients, from: 'ACME', noStop: false });
      },
    }),
  );
  return { api, result };
}

describe('applyPlan with the overlap guard (in-memory OVH, virtual clock)', () => {
  it('holds a new batch 15 s by default, says so once, and waits for it rather than calling it scheduled', async () => {
    const { api, clock, plan, options, events } = setup(['c1']);
    const result = await applyPlan(plan(), api, options());
    const created = Date.parse(api.batches[0]!.createdAt);
    expect(api.createParams[0]?.deferred).toBe(new Date(Math.ceil((created + 15_000) / 1000) * 1000).toISOString().replace('.000Z', 'Z'));
    // The fake reports sentAt = deferred, as OVH does, and the batch is still followed to the end.
    expect(result.campaigns[0]).toMatchObject({ outcome: 'completed', status: 'COMPLETED', created: true, message: null });
    expect(result.ok).toBe(true);
    expect(clock.ms - created).toBeGreaterThanOrEqual(15_000 + api.durationMs);
    const lines = events.filter((event) => event.message?.includes('held 15 s so overlapping runs can be detected'));
    expect(lines.map((event) => event.phase)).toEqual(['created']);
  });

  it('a held batch is looked at before its hold ends, then polled fast once it is sending', async () => {
    const { api, clock, plan, options } = setup(['c1']);
    const listedAt: number[] = [];
    const list = api.listBatches.bind(api);
    api.listBatches = async () => {
      listedAt.push(clock.ms);
      return list();
    };
    await applyPlan(plan(), api, options());
    const created = Date.parse(api.batches[0]!.createdAt);
    const listings = listedAt.map((ms) => ms - created);
    // name check and settle check at creation, one look during the hold, then rounds from the hold's end
    expect(listings[0]).toBeLessThanOrEqual(0);
    expect(listings[1]).toBe(0);
    const during = listings.filter((ms) => ms > 0 && ms < 15_000);
    expect(during.length).toBe(1);
    expect(during[0]).toBeGreaterThan(7_000);
    expect(listings.filter((ms) => ms >= 15_000).length).toBeLessThanOrEqual(8);
  });

  it('guard 0 sends no deferred time; a campaign deferred past the hold is sent as is and is scheduled', async () => {
    const off = setup(['c1']);
    await applyPlan(off.plan(), off.api, off.options({ overlapGuardMs: 0 }));
    expect(off.api.createParams[0]).not.toHaveProperty('deferred');

    const later = setup([]);
    const deferred = new Date(later.clock.ms + 3_600_000).toISOString();
    const planned = makePlan(
      [loaded(campaign({ name: 'later', deferred }))],
      { service: later.api.serviceName, batches: [] },
      later.clock.now(),
    );
    const result = await applyPlan(planned, later.api, later.options({ timeoutMs: 60_000 }));
    expect(later.api.createParams[0]?.deferred).toBe(deferred);
    expect(result.campaigns[0]).toMatchObject({ outcome: 'scheduled', created: true });
  });

  it('a held batch that OVH moves to its commercial hours (sentAt hours later) is scheduled, not waited for', async () => {
    const { api, clock, plan, options } = setup(['c1']);
    const create = api.createBatch.bind(api);
    api.createBatch = async (params) => {
      const batch = await create(params);
      const stored = api.batches.find((candidate) => candidate.id === batch.id)!;
      stored.sentAt = new Date(clock.ms + 11 * 3_600_000).toISOString();
      return { ...stored };
    };
    const result = await applyPlan(plan(), api, options({ timeoutMs: 3_600_000 }));
    expect(result.campaigns[0]).toMatchObject({ outcome: 'scheduled', status: 'PENDING', created: true });
    expect(result.ok).toBe(true);
  });

  it('--no-wait follows a held batch to the end of its hold (an overlapping run may cancel it until then); a timeout inside the hold says it is held', async () => {
    const noWait = setup(['c1']);
    const running = await applyPlan(noWait.plan(), noWait.api, noWait.options({ wait: false }));
    expect(running.campaigns[0]).toMatchObject({ outcome: 'running', message: null });
    expect(noWait.clock.ms).toBeGreaterThanOrEqual(Date.parse(noWait.api.batches[0]!.sentAt!));
    expect(running.ok).toBe(true);

    const short = setup(['c1']);
    const timedOut = await applyPlan(short.plan(), short.api, short.options({ timeoutMs: 5_000 }));
    expect(timedOut.campaigns[0]).toMatchObject({ outcome: 'timeout' });
    expect(timedOut.campaigns[0]?.message).toMatch(/^still PENDING \(held until .*\) when the timeout ran out$/);
  });

  it('two runs started at the same instant: one batch per campaign is kept, the others cancelled, both runs report the winner', async () => {
    const { api, plan, options } = setup(['c1', 'c2', 'c3']);
    const [first, second] = await Promise.all([applyPlan(plan(), api, options()), applyPlan(plan(), api, options())]);
    expect(api.count('createBatch')).toBe(6);
    for (const name of ['c1', 'c2', 'c3']) {
      const batches = api.batches.filter((batch) => batch.name === name);
      const kept = batches.filter((batch) => batch.status !== 'CANCELED');
      expect(kept).toHaveLength(1);
      expect(batches.filter((batch) => batch.status === 'CANCELED')).toHaveLength(1);
      const results = [first, second].map((run) => run.campaigns.find((entry) => entry.name === name)!);
      expect(results.map((entry) => entry.batchId)).toEqual([kept[0]!.id, kept[0]!.id]);
      expect(results.map((entry) => entry.outcome)).toEqual(['completed', 'completed']);
      expect(results.filter((entry) => entry.created)).toHaveLength(1);
      expect(results.some((entry) => entry.message?.includes(`kept batch ${kept[0]!.id}, cancelled `))).toBe(true);
    }
    expect(first.ok && second.ok).toBe(true);
    expect(first.created + second.created).toBe(3);
  });

  it('an uncancellable duplicate created after our held batch is kept, and ours cancelled: sent once', async () => {
    const { api, result } = await applyBesideUnguardedRun();
    expect(api.batches.map((batch) => batch.status)).toEqual(['CANCELED', 'COMPLETED']);
    expect(result.campaigns[0]).toMatchObject({ outcome: 'completed', batchId: api.batches[1]!.id, created: false });
    expect(result.ok).toBe(true);
  });

  it('a duplicate that cannot be cancelled fails the campaign: it may have been sent twice', async () => {
    const { api, result } = await applyBesideUnguardedRun({ overlapGuardMs: 0 });
    expect(api.batches.map((batch) => batch.status)).not.toContain('CANCELED');
    expect(result.campaigns[0]).toMatchObject({ outcome: 'failed', status: 'COMPLETED', batchId: api.batches[0]!.id });
    expect(result.campaigns[0]?.message).toBe(
      'duplicate batch batch-2 from an overlapping run could not be cancelled (Only a deferred batch that has not started sending can be canceled): this campaign may have been sent twice',
    );
    // Tried once, not again at every poll round.
    expect(api.count('cancelBatch')).toBe(1);
    expect(result.ok).toBe(false);
  });

  it('a duplicate found already sending is kept and our held batch cancelled: sent once', async () => {
    const { api, clock, plan, options, campaigns } = setup(['c1']);
    const [source] = campaigns;
    const result = await applyPlan(
      plan(),
      api,
      options({
        progress: (event) => {
          if (event.phase !== 'created' || api.batches.length > 1) return;
          const at = new Date(clock.ms + 1).toISOString();
          api.batches.push({
            accountID: 1,
            createdAt: at,
            errors: [],
            estimatedCredits: 1,
            finishedAt: null,
            from: 'ACME',
            id: 'batch-late',
            message: `${source!.message}\nSTOP 36184`,
            name: 'c1',
            processedRecords: 0,
            receivers: [...source!.recipients],
            sentAt: at,
            slotID: null,
            startedAt: at,
            status: 'INSERTING',
            totalRecords: 1,
            updatedAt: at,
          });
        },
      }),
    );
    expect(api.count('cancelBatch')).toBe(1);
    expect(api.batches.find((batch) => batch.id === 'batch-1')?.status).toBe('CANCELED');
    expect(result.campaigns[0]).toMatchObject({ batchId: 'batch-late', created: false });
    expect(result.campaigns[0]?.message).toContain('kept batch batch-late, cancelled batch-1');
  });
});
