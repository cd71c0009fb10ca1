import { describe, expect, it } from 'vitest';
import type { Batch } from '../../src/account/index.js';
import { newCampaignRun, type CampaignRun } from '../../src/apply/campaign-run.js';
import {
  batchParams,
  clamp,
  endedWell,
  formatSeconds,
  heldText,
  heldUntil,
  isHeldAt,
  isScheduledFor,
  nextRoundDelay,
  outcomeOf,
  releasesList,
} from '../../src/apply/decisions.js';
import type { CampaignResult } from '../../src/apply/types.js';
import { batchFor, campaign } from '../plan/fixtures.js';

const NOW_MS = Date.parse('2026-11-26T10:00:00Z');
const at = (offsetMs: number) => new Date(NOW_MS + offsetMs).toISOString();
const poll = { initial: 1_000, max: 30_000 };

function runOf(overrides: Partial<CampaignRun> = {}, source = campaign()): CampaignRun {
  return { ...newCampaignRun({ action: 'create', campaign: source, errors: [] }, NOW_MS), ...overrides };
}

function result(overrides: Partial<CampaignResult>): CampaignResult {
  return { ...runOf().result, ...overrides };
}

/** A PENDING batch created now that OVH sends `sendInMs` from now. */
function pending(sendInMs: number, overrides: Partial<Batch> = {}): Batch {
  return batchFor(campaign(), {
    status: 'PENDING',
    createdAt: at(0),
    sentAt: at(sendInMs),
    startedAt: null,
    finishedAt: null,
    processedRecords: 0,
    ...overrides,
  });
}

describe('endedWell', () => {
  it('fails invalid and conflicting campaigns, timeouts, not-created and unknown outcomes', () => {
    expect(endedWell(result({ action: 'invalid', outcome: 'skipped' }))).toBe(false);
    expect(endedWell(result({ action: 'conflict', outcome: 'skipped' }))).toBe(false);
    expect(endedWell(result({ action: 'create', outcome: 'timeout' }))).toBe(false);
    expect(endedWell(result({ action: 'create', outcome: 'not-created' }))).toBe(false);
    expect(endedWell(result({ action: 'create', outcome: 'unknown' }))).toBe(false);
  });

  it('takes a cancel as done when OVH cancelled the batch or is cancelling it', () => {
    expect(endedWell(result({ action: 'cancel', outcome: 'canceled', status: 'CANCELED' }))).toBe(true);
    expect(endedWell(result({ action: 'cancel', outcome: 'running', status: 'TO_CANCEL' }))).toBe(true);
    expect(endedWell(result({ action: 'cancel', outcome: 'completed', status: 'COMPLETED' }))).toBe(false);
    expect(endedWell(result({ action: 'cancel', outcome: 'running', status: null }))).toBe(false);
  });

  it("reports an earlier run's failure without failing this run, but fails this run's own", () => {
    expect(endedWell(result({ action: 'none', outcome: 'failed' }))).toBe(true);
    expect(endedWell(result({ action: 'none', outcome: 'canceled' }))).toBe(true);
    expect(endedWell(result({ action: 'create', outcome: 'failed' }))).toBe(false);
    expect(endedWell(result({ action: 'create', outcome: 'canceled' }))).toBe(false);
    expect(endedWell(result({ action: 'create', outcome: 'completed' }))).toBe(true);
    expect(endedWell(result({ action: 'wait', outcome: 'running' }))).toBe(true);
  });
});

describe('outcomeOf and releasesList', () => {
  it('maps finished states to their outcome and every other state to running', () => {
    expect(outcomeOf(pending(0, { status: 'COMPLETED' }))).toBe('completed');
    expect(outcomeOf(pending(0, { status: 'FAILED' }))).toBe('failed');
    expect(outcomeOf(pending(0, { status: 'CANCELED' }))).toBe('canceled');
    expect(outcomeOf(pending(0, { status: 'CANCELING' }))).toBe('running');
    expect(outcomeOf(pending(0, { status: 'INSERTED' }))).toBe('running');
  });

  it('keeps the receivers list of a batch still running or scheduled', () => {
    expect(['completed', 'failed', 'canceled', 'not-created', 'skipped'].every((outcome) => releasesList(outcome as never))).toBe(true);
    expect(releasesList('running')).toBe(false);
    expect(releasesList('scheduled')).toBe(false);
    expect(releasesList('timeout')).toBe(false);
    expect(releasesList('unknown')).toBe(false);
  });
});

describe('batchParams', () => {
  it('sends the numbers themselves, the sender and the optional fields', () => {
    const source = campaign({ tag: 'promo', noStop: true });
    expect(batchParams(source, '2026-12-01T08:00:00Z', null)).toEqual({
      name: source.name,
      message: source.message,
      noStop: true,
      to: source.recipients,
      from: 'ACME',
      deferred: '2026-12-01T08:00:00Z',
      tag: 'promo',
    });
  });

  it('sends a receivers list by its slot id as a string, and the response sender instead of `from`', () => {
    const params = batchParams(campaign({ senderForResponse: true }), null, 123456789012);
    expect(params).toEqual({
      name: 'spring-sale',
      message: campaign().message,
      noStop: false,
      slotID: '123456789012',
      senderForResponse: true,
    });
    expect(params).not.toHaveProperty('to');
  });

  it('copies the recipients rather than sharing the array', () => {
    const source = campaign();
    expect(batchParams(source, null, null).to).not.toBe(source.recipients);
  });
});

describe('held and scheduled checks', () => {
  it('isHeldAt: held only until the end of the hold', () => {
    expect(isHeldAt(runOf({ heldUntilMs: null }), NOW_MS)).toBe(false);
    expect(isHeldAt(runOf({ heldUntilMs: NOW_MS + 1 }), NOW_MS)).toBe(true);
    expect(isHeldAt(runOf({ heldUntilMs: NOW_MS }), NOW_MS)).toBe(false);
  });

  it("isScheduledFor: the campaign's own later time is a schedule, the guard's short hold is not", () => {
    const now = new Date(NOW_MS);
    expect(isScheduledFor(runOf(), pending(15_000), now, 15_000)).toBe(false);
    expect(isScheduledFor(runOf(), pending(3_600_000), now, 15_000)).toBe(true);
    expect(isScheduledFor(runOf({ deferred: at(3_600_000) }), pending(3_600_000), now, 15_000)).toBe(true);
    expect(isScheduledFor(runOf(), pending(15_000, { status: 'COMPLETED' }), now, 15_000)).toBe(false);
  });

  it("heldUntil: our own hold's end, another batch's send time on the local clock, null when not held", () => {
    const now = new Date(NOW_MS);
    expect(heldUntil(runOf({ ownBatchId: 'batch-spring-sale', ownHoldEndMs: 42 }), pending(15_000), now, 15_000, 0)).toBe(42);
    expect(heldUntil(runOf(), pending(15_000), now, 15_000, 2_000)).toBe(NOW_MS + 13_000);
    expect(heldUntil(runOf(), pending(3_600_000), now, 15_000, 0)).toBeNull();
    expect(
      heldUntil(runOf({ ownBatchId: 'batch-spring-sale', ownHoldEndMs: 42 }), pending(15_000, { startedAt: at(0) }), now, 15_000, 0),
    ).toBeNull();
  });

  it("heldText: the hold's end on OVH's clock while it lasts", () => {
    expect(heldText(runOf({ heldUntilMs: NOW_MS + 5_000 }), NOW_MS, 1_000)).toBe(
      `held until ${at(6_000)} so overlapping runs can be detected; OVH sends it then`,
    );
    expect(heldText(runOf({ heldUntilMs: NOW_MS }), NOW_MS, 0)).toBeNull();
    expect(heldText(runOf(), NOW_MS, 0)).toBeNull();
  });
});

describe('nextRoundDelay', () => {
  it('waits the longest interval when nothing is followed', () => {
    expect(nextRoundDelay([], NOW_MS, poll, 15_000)).toBe(30_000);
  });

  it('grows with the time waited, between the initial and the longest interval', () => {
    expect(nextRoundDelay([runOf({ trackedMs: NOW_MS - 2_000 })], NOW_MS, poll, 0)).toBe(1_000);
    expect(nextRoundDelay([runOf({ trackedMs: NOW_MS - 100_000 })], NOW_MS, poll, 0)).toBe(10_000);
    expect(nextRoundDelay([runOf({ trackedMs: NOW_MS - 1_000_000 })], NOW_MS, poll, 0)).toBe(30_000);
    // Counted from the end of a hold that has passed.
    expect(nextRoundDelay([runOf({ trackedMs: NOW_MS - 1_000_000, heldUntilMs: NOW_MS - 50_000 })], NOW_MS, poll, 0)).toBe(5_000);
  });

  it('looks at a held batch a third of its hold before the end, then once the hold has ended', () => {
    const own = { ownBatchId: 'b1', ownHoldEndMs: NOW_MS + 15_000, heldUntilMs: NOW_MS + 15_000, trackedMs: NOW_MS };
    const run = runOf({ ...own, result: result({ batchId: 'b1' }) });
    expect(nextRoundDelay([run], NOW_MS, poll, 15_000)).toBe(10_000);
    expect(nextRoundDelay([run], NOW_MS + 12_000, poll, 15_000)).toBe(3_000 + 1_000);
    // Another run's batch: the span is the time from tracking to the end of its hold.
    const other = runOf({ heldUntilMs: NOW_MS + 9_000, trackedMs: NOW_MS });
    expect(nextRoundDelay([other], NOW_MS, poll, 15_000)).toBe(6_000);
  });

  it('takes the soonest of every followed batch', () => {
    const runs = [runOf({ trackedMs: NOW_MS - 1_000_000 }), runOf({ heldUntilMs: NOW_MS + 9_000, trackedMs: NOW_MS })];
    expect(nextRoundDelay(runs, NOW_MS, poll, 15_000)).toBe(6_000);
  });
});

describe('formatSeconds and clamp', () => {
  it('formatSeconds shows seconds with at most one decimal', () => {
    expect(formatSeconds(15_000)).toBe('15 s');
    expect(formatSeconds(1_250)).toBe('1.3 s');
    expect(formatSeconds(0)).toBe('0 s');
  });

  it('clamp keeps a value within its bounds', () => {
    expect(clamp(5, 1, 10)).toBe(5);
    expect(clamp(0, 1, 10)).toBe(1);
    expect(clamp(11, 1, 10)).toBe(10);
  });
});
