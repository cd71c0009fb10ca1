import { describe, expect, it } from 'vitest';
import { makePlan, planDigest, scheduleDiffers, toPlanJson } from '../../src/plan/index.js';
import { batchFor, campaign, loaded, NOW } from './fixtures.js';

// Issue #8 items 7 (a changed schedule is a reschedule or a conflict, never a silent `wait`) and 8 (a cancelled
// batch is not "already sent").
const IN_A_DAY = '2026-11-27T10:00:00Z';
const IN_TWO_DAYS = '2026-11-28T10:00:00Z';

/** A batch created an hour ago, deferred to `sentAt`, not started. */
function scheduled(source: ReturnType<typeof campaign>, sentAt: string, status = 'PENDING') {
  return batchFor(source, {
    createdAt: '2026-11-26T09:00:00Z',
    sentAt,
    startedAt: status === 'PENDING' ? null : sentAt,
    finishedAt: null,
    status,
    processedRecords: 0,
  });
}

const planOf = (source: ReturnType<typeof campaign>, batches: ReturnType<typeof batchFor>[]) =>
  makePlan([loaded(source)], { service: 'sms-test-1', batches }, NOW);

describe('a scheduled campaign whose deferred changed', () => {
  it('is a reschedule of the old batch while it can be cancelled, shown as its own action and counted as a creation', () => {
    const moved = campaign({ type: 'transactional', deferred: IN_TWO_DAYS });
    const plan = planOf(moved, [scheduled(moved, IN_A_DAY)]);
    const [entry] = plan.campaigns;
    expect(entry).toMatchObject({ action: 'reschedule', batch: { id: 'batch-spring-sale' } });
    expect(entry!.campaign!.warnings[0]).toMatchObject({
      field: 'deferred',
      line: 8,
      message: expect.stringMatching(
        /scheduled for 2026-11-27T10:00:00Z, the file says 2026-11-28T10:00:00Z: apply cancels it, then creates/,
      ),
    });
    expect(plan.totals).toMatchObject({ create: 1, recipients: 2, estimatedCredits: 2 });
    expect(toPlanJson(plan).campaigns[0]).toMatchObject({
      action: 'reschedule',
      batchId: 'batch-spring-sale',
      remoteStatus: 'PENDING',
      deferred: IN_TWO_DAYS,
    });
  });

  it('changes the digest with the new time: what is reviewed is what is sent', () => {
    const moved = campaign({ type: 'transactional', deferred: IN_TWO_DAYS });
    const later = campaign({ type: 'transactional', deferred: '2026-11-29T10:00:00Z' });
    const batch = scheduled(moved, IN_A_DAY);
    expect(planDigest(planOf(moved, [batch]).campaigns)).not.toBe(planDigest(planOf(later, [batch]).campaigns));
    expect(planDigest(planOf(moved, [batch]).campaigns)).not.toBe(
      planDigest(planOf(campaign({ type: 'transactional', deferred: IN_A_DAY }), [batch]).campaigns),
    );
  });

  it('is a reschedule when deferred is removed: the file now asks for "at once"', () => {
    const now = campaign({ type: 'transactional' });
    const [entry] = planOf(now, [scheduled(now, IN_A_DAY)]).campaigns;
    expect(entry).toMatchObject({ action: 'reschedule' });
    expect(entry!.campaign!.warnings[0]!.message).toMatch(/the file says at once/);
  });

  it('is a conflict naming both times once the batch can no longer be cancelled', () => {
    const moved = campaign({ type: 'transactional', deferred: IN_TWO_DAYS });
    const [entry] = planOf(moved, [scheduled(moved, '2026-11-26T09:30:00Z', 'INSERTING')]).campaigns;
    expect(entry).toMatchObject({ action: 'conflict' });
    expect(entry!.errors[0]!.message).toMatch(
      /scheduled for 2026-11-26T09:30:00Z, the file says 2026-11-28T10:00:00Z, but the batch is INSERTING and can no longer be cancelled/,
    );
  });

  it('is invalid when the new time is past (a new batch would go out at once)', () => {
    const moved = campaign({ type: 'transactional', deferred: '2026-11-26T09:59:00Z' });
    expect(planOf(moved, [scheduled(moved, IN_A_DAY)]).campaigns[0]).toMatchObject({ action: 'invalid' });
  });

  it('stays wait when the send time is the file’s, the overlap guard’s hold, or OVH’s next commercial hour', () => {
    const same = campaign({ type: 'transactional', deferred: '2026-11-27T10:00:00+00:00' });
    expect(planOf(same, [scheduled(same, IN_A_DAY)]).campaigns[0]!.action).toBe('wait');
    const atOnce = campaign({ type: 'transactional' });
    const held = batchFor(atOnce, {
      createdAt: '2026-11-26T09:59:50Z',
      sentAt: '2026-11-26T10:00:05Z',
      startedAt: null,
      status: 'PENDING',
    });
    expect(planOf(atOnce, [held]).campaigns[0]!.action).toBe('wait');
    // Saturday 22:00 Paris is held by OVH until Monday 08:00 (Sunday is closed).
    const night = campaign({ type: 'marketing', deferred: '2026-11-28T22:00:00+01:00' });
    expect(planOf(night, [scheduled(night, '2026-11-30T07:00:00Z')]).campaigns[0]!.action).toBe('wait');
    expect(scheduleDiffers(night, scheduled(night, '2026-11-30T08:00:00Z'))).toBe(true);
  });

  it('leaves a finished batch alone: the file is history', () => {
    const moved = campaign({ type: 'transactional', deferred: IN_TWO_DAYS });
    expect(planOf(moved, [batchFor(moved, { sentAt: IN_A_DAY })]).campaigns[0]!.action).toBe('none');
  });
});

describe('a cancelled batch once `cancel: true` is removed', () => {
  it('says it was cancelled and how to send the campaign, not "already sent"', () => {
    const file = campaign({ type: 'transactional', deferred: IN_A_DAY });
    const cancelled = scheduled(file, IN_A_DAY, 'CANCELED');
    const [entry] = planOf(file, [cancelled]).campaigns;
    expect(entry).toMatchObject({ action: 'none' });
    expect(entry!.campaign!.warnings).toEqual([
      expect.objectContaining({
        field: 'name',
        message:
          'the batch batch-spring-sale was cancelled (CANCELED): nothing was sent and nothing will be; to send this campaign, give it a new name',
      }),
    ]);
  });

  it('is created again when the file now has another time (or a reschedule stopped after its cancel)', () => {
    const file = campaign({ type: 'transactional', deferred: IN_TWO_DAYS });
    const [entry] = planOf(file, [scheduled(file, IN_A_DAY, 'CANCELED')]).campaigns;
    expect(entry).toMatchObject({ action: 'create' });
    expect(entry!.campaign!.warnings[0]!.message).toMatch(
      /was cancelled; the file now says 2026-11-28T10:00:00Z, so a new batch is created/,
    );
  });
});
