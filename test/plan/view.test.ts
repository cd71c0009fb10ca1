import { describe, expect, it } from 'vitest';
import { campaignDigest, makePlan, planView, toPlanJson, type CampaignPlan, type Plan } from '../../src/plan/index.js';
import { CAMPAIGN_KEYS } from '../support/plan-json-contract.js';
import { batchFor, campaign, loaded, NOW, ucs2Analysis } from './fixtures.js';

const NUMBERS = ['+33612345678', '+33698765432', '+32470123456', '+33611111111'];

function planOf(campaigns: CampaignPlan[], overrides: Partial<Plan> = {}): Plan {
  return {
    service: 'sms-x',
    offline: false,
    createdAt: NOW.toISOString(),
    campaigns,
    unmanaged: [],
    digest: 'sha256:plan',
    totals: { create: 1, recipients: 4, estimatedCredits: 8 },
    ...overrides,
  };
}

describe('planView: one row per campaign, built once from the plan', () => {
  it('is built once per plan and is a pure function of it', () => {
    const plan = makePlan([loaded(campaign())], null, NOW);
    expect(planView(plan)).toBe(planView(plan));
    const again = makePlan([loaded(campaign())], null, NOW);
    expect(planView(again)).not.toBe(planView(plan));
    expect(planView(again)).toEqual(planView(plan));
  });

  it('gives a campaign to create its counts, encoding, parts, credits, digest and masked samples', () => {
    const entry: CampaignPlan = {
      action: 'create',
      campaign: campaign({
        recipients: NUMBERS,
        duplicatesRemoved: 2,
        analysis: ucs2Analysis(90, 2, '€', [3, 5]),
      }),
      errors: [],
    };
    const [row] = planView(planOf([entry])).campaigns;
    expect(row).toMatchObject({
      action: 'create',
      name: 'spring-sale',
      recipients: 4,
      duplicatesRemoved: 2,
      encoding: 'UCS-2',
      characters: 90,
      parts: 2,
      nonGsmCharacters: ['€'],
      estimatedCredits: 8,
      costReviewed: false,
      digest: campaignDigest(entry),
      batchId: null,
    });
    expect(row!.message).toEqual({
      type: 'marketing',
      from: 'ACME',
      senderForResponse: false,
      text: 'Spring sale: -20% this weekend.',
      noStop: false,
      samples: ['+33 6•• ••• •78', '+33 6•• ••• •32', '+32 4•• ••• •56'],
    });
    expect(JSON.stringify(row)).not.toMatch(/612345678|698765432|470123456|611111111/);
  });

  it('prices with the review when there is one, and takes the credits left from it', () => {
    const sale = campaign({ recipients: NUMBERS.slice(0, 2) });
    const byCountry = [{ country: 'FR', recipients: 2, creditsPerPart: 1.5, estimatedCredits: 3, rate: 'ovh' as const }];
    const view = planView(
      planOf([{ action: 'create', campaign: sale, errors: [] }], {
        review: { creditsLeft: 12, rates: null, campaigns: new Map([[sale.file, { byCountry, stoplisted: 1 }]]) },
      }),
    );
    expect(view.creditsLeft).toBe(12);
    expect(view.campaigns[0]).toMatchObject({ byCountry, estimatedCredits: 3, stoplisted: 1, costReviewed: true });
    expect(planView(planOf([], { offline: true })).creditsLeft).toBeNull();
  });

  it('tells the remote side: the batch, its schedule for a reschedule, how many batches clash', () => {
    const moved = campaign({ name: 'moved' });
    const clash = campaign({ name: 'clash' });
    const sent = campaign({ name: 'sent' });
    const view = planView(
      planOf([
        {
          action: 'reschedule',
          campaign: moved,
          batch: batchFor(moved, { status: 'PENDING', sentAt: '2026-12-01T10:00:00Z' }),
          errors: [],
        },
        { action: 'conflict', campaign: clash, batches: [batchFor(clash), batchFor(clash, { id: 'b-2' })], errors: [] },
        { action: 'none', campaign: sent, batch: batchFor(sent), errors: [] },
      ]),
    );
    expect(
      view.campaigns.map(({ action, batchId, remoteStatus, remoteSentAt, sameNameBatches }) => ({
        action,
        batchId,
        remoteStatus,
        remoteSentAt,
        sameNameBatches,
      })),
    ).toEqual([
      { action: 'reschedule', batchId: 'batch-moved', remoteStatus: 'PENDING', remoteSentAt: '2026-12-01T10:00:00Z', sameNameBatches: 1 },
      { action: 'conflict', batchId: null, remoteStatus: null, remoteSentAt: null, sameNameBatches: 2 },
      { action: 'none', batchId: 'batch-sent', remoteStatus: 'COMPLETED', remoteSentAt: '2026-11-25T09:00:01Z', sameNameBatches: 1 },
    ]);
    // A reviewer reads what would be sent or clashes, never what is already on the account.
    expect(view.campaigns.map((row) => row.message !== null)).toEqual([true, true, false]);
  });

  it('shows an invalid file by its file, with its errors and warnings and nothing to send', () => {
    const error = { file: 'campaigns/bad.yml', line: 2, column: 1, field: 'to', message: 'no recipient' };
    const warning = { ...error, field: 'from', message: 'sender not checked' };
    const [row] = planView(
      planOf([
        {
          action: 'invalid',
          invalid: { name: null, file: 'campaigns/bad.yml', errors: [error], warnings: [warning] },
          campaign: null,
          errors: [error],
        },
      ]),
    ).campaigns;
    expect(row).toMatchObject({
      name: null,
      file: 'campaigns/bad.yml',
      recipients: null,
      parts: null,
      message: null,
      errors: [error],
      warnings: [warning],
    });
  });

  it('plan.json is the contract’s fields of the view, in the contract’s order, and nothing more', () => {
    const plan = makePlan([loaded(campaign({ recipients: NUMBERS }))], null, NOW);
    const view = planView(plan);
    const json = toPlanJson(plan);
    expect(Object.keys(json.campaigns[0]!)).toEqual(CAMPAIGN_KEYS);
    const row: Record<string, unknown> = { ...view.campaigns[0]! };
    for (const [key, value] of Object.entries(json.campaigns[0]!)) expect(row[key]).toEqual(value);
    expect(json).toMatchObject({ digest: view.digest, service: view.service, offline: view.offline, totals: view.totals });
  });
});
