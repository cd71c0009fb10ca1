import { describe, expect, it } from 'vitest';
import { campaignDigest, checkReview, makePlan, planDigest, toPlanJson, type Plan } from '../../src/plan/index.js';
import { batchFor, campaign, loaded, NOW } from './fixtures.js';

const sent = campaign({ name: 'sent-before' });
const spring = campaign({ name: 'spring-sale' });
const summer = campaign({ name: 'summer-sale', message: 'Summer sale: -30%.' });

function online(...campaigns: ReturnType<typeof campaign>[]): Plan {
  return makePlan(campaigns.map(loaded), { service: 'sms-x-1', batches: [batchFor(sent, { status: 'COMPLETED' })] }, NOW);
}

describe('campaign digests', () => {
  it('are the plan digest of one campaign, in the plan JSON, null for what apply does not send or change', () => {
    const plan = online(sent, spring);
    const json = toPlanJson(plan);
    expect(json.campaigns.map((entry) => [entry.name, entry.action, entry.digest])).toEqual([
      ['sent-before', 'none', null],
      ['spring-sale', 'create', planDigest([plan.campaigns[1]!])],
    ]);
    expect(online(spring).digest).toBe(json.campaigns[1]?.digest);
  });

  it('change with anything sent, not with file order, recipient order or other campaigns', () => {
    const digest = (value: ReturnType<typeof campaign>) => campaignDigest(online(value).campaigns[0]!);
    expect(digest(spring)).toBe(digest({ ...spring, file: 'elsewhere.yml', recipients: [...spring.recipients].reverse() }));
    expect(digest(spring)).toBe(campaignDigest(online(summer, spring).campaigns[1]!));
    expect(digest(spring)).not.toBe(digest({ ...spring, message: 'Spring sale: -25% this weekend.' }));
    expect(digest(spring)).not.toBe(digest({ ...spring, recipients: [...spring.recipients, '+33612345670'] }));
    expect(digest(spring)).not.toBe(digest({ ...spring, deferred: '2026-11-28T09:00:00+01:00' }));
  });
});

describe('checkReview', () => {
  const reviewedPlan = online(sent, spring, summer);
  const digests = reviewedPlan.campaigns.map(campaignDigest).filter((digest): digest is string => digest !== null);

  it('keeps the plan when every campaign to send was reviewed', () => {
    const check = checkReview(online(sent, spring, summer), {
      kind: 'reviewed',
      pullRequest: 7,
      planDigest: 'sha256:other',
      campaigns: digests,
    });
    expect(check.refused).toEqual([]);
    expect(check.plan.totals.create).toBe(2);
  });

  it('refuses a campaign changed after review, with an error on its file, and keeps the others', () => {
    const changed = { ...summer, message: 'Summer sale: -50%!' };
    const check = checkReview(online(sent, spring, changed), {
      kind: 'reviewed',
      pullRequest: 7,
      planDigest: reviewedPlan.digest,
      campaigns: digests,
    });
    expect(check.refused).toEqual(['summer-sale']);
    expect(check.plan.campaigns.map((entry) => entry.action)).toEqual(['none', 'create', 'invalid']);
    expect(check.plan.campaigns[2]?.errors).toEqual([
      expect.objectContaining({
        file: 'campaigns/summer-sale.yml',
        line: 1,
        column: 7,
        message: expect.stringMatching(/^not sent: .*not in the plan reviewed in pull request #7/),
      }),
    ]);
    expect(check.plan.totals).toMatchObject({ create: 1, recipients: 2 });
    expect(check.plan.digest).toBe(online(sent, spring).digest);
  });

  it('trusts the whole reviewed plan digest when the comment could not list the campaigns', () => {
    const plan = online(spring, summer);
    expect(checkReview(plan, { kind: 'reviewed', pullRequest: 7, planDigest: plan.digest, campaigns: [] }).refused).toEqual([]);
    expect(checkReview(plan, { kind: 'reviewed', pullRequest: 7, planDigest: 'sha256:x', campaigns: [] }).refused).toEqual([
      'spring-sale',
      'summer-sale',
    ]);
  });

  it('refuses every campaign to send without a plan comment or when the look-up failed; applies a direct push as planned', () => {
    const plan = online(sent, spring);
    expect(checkReview(plan, { kind: 'no-plan-comment', pullRequest: 9 })).toMatchObject({
      refused: ['spring-sale'],
      note: expect.stringMatching(/#9 has no plan comment/),
    });
    expect(checkReview(plan, { kind: 'unknown', reason: 'HTTP 403' }).plan.campaigns[1]?.errors[0]?.message).toMatch(
      /could not check .*HTTP 403/,
    );
    const direct = checkReview(plan, { kind: 'no-pull-request', commit: 'abcdef0123' });
    expect(direct).toMatchObject({ refused: [], note: 'The plan was not reviewed: commit abcdef0 came from no pull request.' });
    expect(direct.plan).toBe(plan);
  });
});
