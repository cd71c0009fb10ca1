import { describe, expect, it } from 'vitest';

import {
  makePlan,
  toPlanJson,
  costByCountry,
  countryOfNumber,
  leaveOutStoplisted,
  reviewPlan,
  type AccountChecks,
  type Checked,
  type SenderCheck,
} from '../../src/plan/index.js';
import { NOW, batchFor, campaign, loaded } from '../plan/fixtures.js';
import { useSandboxRun } from '../support/sandbox-run.js';

const FR = ['+33612345678', '+33612345679', '+33612345680'];
const BE = '+32470123456';
const GB = '+447400123456';
const STOPPED = '+33698765432';

const checked = <T>(value: T): Checked<T> => ({ status: 'checked', value });
const unchecked = (reason: string): Checked<never> => ({ status: 'unchecked', reason });

function checks(overrides: Partial<AccountChecks> = {}): AccountChecks {
  return {
    rates: new Map([
      ['FR', checked(1)],
      ['BE', checked(1.6)],
      ['GB', checked(0.6)],
    ]),
    blacklist: checked(new Set<string>()),
    senders: new Map(),
    estimates: new Map(),
    creditsLeft: checked(500),
    ...overrides,
  };
}

describe('cost by destination', () => {
  it('tells the country from the calling code, and shared codes from the number', () => {
    expect([FR[0]!, BE, GB, '+447781123456', '+12025550123', '+14165550123', '+999'].map(countryOfNumber)).toEqual([
      'FR',
      'BE',
      'GB',
      'GG',
      'US',
      'CA',
      null,
    ]);
  });

  it('multiplies parts by OVH’s rate per country, and falls back to one credit per part where no rate is known', () => {
    const rates = new Map<string, Checked<number | null>>([
      ['FR', checked(1)],
      ['BE', checked(1.6)],
      ['GB', unchecked('OVH answered 403')],
    ]);
    expect(costByCountry([...FR, BE, GB, '+12025550123'], 2, rates)).toEqual([
      { country: 'FR', recipients: 3, creditsPerPart: 1, estimatedCredits: 6, rate: 'ovh' },
      { country: 'BE', recipients: 1, creditsPerPart: 1.6, estimatedCredits: 3.2, rate: 'ovh' },
      { country: 'GB', recipients: 1, creditsPerPart: 1, estimatedCredits: 2, rate: 'default' },
      { country: 'US', recipients: 1, creditsPerPart: 1, estimatedCredits: 2, rate: 'default' },
    ]);
    expect(costByCountry([GB, GB, GB], 1, new Map([['GB', checked(0.6)]]))[0]!.estimatedCredits).toBe(1.8);
  });

  it('makes estimatedCredits the sum of byCountry, in the plan JSON and its totals', () => {
    const plan = reviewPlan(makePlan([loaded(campaign({ recipients: [...FR, BE, GB] }))], { service: 's', batches: [] }, NOW), checks());
    const json = toPlanJson(plan);
    expect(json.campaigns[0]!.byCountry.map((row) => [row.country, row.estimatedCredits])).toEqual([
      ['FR', 3],
      ['BE', 1.6],
      ['GB', 0.6],
    ]);
    expect(json.campaigns[0]!.estimatedCredits).toBe(5.2);
    expect(json.totals.estimatedCredits).toBe(5.2);
    expect(json.campaigns[0]!.warnings).toEqual([]);
  });

  it('counts a reschedule (cancel, then create) in what will be sent and paid', () => {
    const source = campaign({ recipients: [...FR, BE] });
    const base = makePlan([loaded(source)], { service: 's', batches: [] }, NOW);
    const plan = reviewPlan(
      { ...base, campaigns: [{ action: 'reschedule', campaign: source, batch: batchFor(source), errors: [] }] },
      checks(),
    );
    expect(plan.totals).toEqual({ create: 1, recipients: 4, estimatedCredits: 4.6 });
  });

  it('offline, counts one credit per part by country and says the rate is the default', () => {
    const json = toPlanJson(reviewPlan(makePlan([loaded(campaign({ recipients: [...FR, BE] }))], null, NOW), null));
    expect(json.campaigns[0]!.byCountry).toEqual([
      { country: 'FR', recipients: 3, creditsPerPart: 1, estimatedCredits: 3, rate: 'default' },
      { country: 'BE', recipients: 1, creditsPerPart: 1, estimatedCredits: 1, rate: 'default' },
    ]);
    expect(json.campaigns[0]!.stoplisted).toBeNull();
    expect(json.totals.estimatedCredits).toBe(4);
  });

  it('warns, per campaign to create, for each destination it could not price', () => {
    const rates = new Map<string, Checked<number | null>>([
      ['FR', checked(1)],
      ['BE', checked(null)],
      ['GB', unchecked('OVH answered 403: this token is not granted that call')],
    ]);
    const plan = reviewPlan(
      makePlan([loaded(campaign({ recipients: [...FR, BE, GB] }))], { service: 's', batches: [] }, NOW),
      checks({ rates }),
    );
    expect(plan.campaigns[0]!.campaign!.warnings.map((warning) => warning.message)).toEqual([
      'OVH has no rate for BE: 1 recipient(s) counted at 1 credit per SMS part',
      "OVH's rate for GB could not be read (OVH answered 403: this token is not granted that call): 1 recipient(s) counted at 1 credit per SMS part",
    ]);
  });
});

describe('STOP list', () => {
  const blacklist = checked(new Set([STOPPED]));

  it('leaves listed numbers out of a campaign to create, counts them, and the batch and credits exclude them', () => {
    const source = campaign({ recipients: [...FR, STOPPED] });
    const audience = leaveOutStoplisted([loaded(source)], [], blacklist);
    const plan = reviewPlan(makePlan(audience.loaded, { service: 's', batches: [] }, NOW), checks({ blacklist }), audience.stoplisted);
    const json = toPlanJson(plan);
    expect(plan.campaigns[0]).toMatchObject({ action: 'create', campaign: { recipients: FR } });
    expect(json.campaigns[0]).toMatchObject({ recipients: 3, stoplisted: 1, estimatedCredits: 3 });
    expect(json.totals).toEqual({ create: 1, recipients: 3, estimatedCredits: 3 });
    expect(JSON.stringify(json)).not.toContain(STOPPED);
  });

  it('still matches a campaign sent before a recipient replied STOP, and one sent without the listed number', () => {
    const source = campaign({ recipients: [...FR, STOPPED] });
    const sentBefore = batchFor(source);
    const sentWithout = batchFor({ ...source, recipients: FR });
    for (const batch of [sentBefore, sentWithout]) {
      const audience = leaveOutStoplisted([loaded(source)], [batch], blacklist);
      const plan = reviewPlan(
        makePlan(audience.loaded, { service: 's', batches: [batch] }, NOW),
        checks({ blacklist }),
        audience.stoplisted,
      );
      expect(plan.campaigns[0]).toMatchObject({ action: 'none', errors: [] });
      expect(toPlanJson(plan).campaigns[0]!.stoplisted).toBeNull();
    }
  });

  it('sends nothing, with a warning, when every recipient is on the STOP list', () => {
    const audience = leaveOutStoplisted([loaded(campaign({ recipients: [STOPPED] }))], [], blacklist);
    const plan = reviewPlan(makePlan(audience.loaded, { service: 's', batches: [] }, NOW), checks({ blacklist }), audience.stoplisted);
    expect(plan.campaigns[0]!.action).toBe('none');
    expect(plan.totals.create).toBe(0);
    expect(plan.campaigns[0]!.campaign!.warnings[0]!.message).toContain('all 1 recipient(s) are on the service');
  });

  it('when the list cannot be read, keeps every number and says so', () => {
    const source = campaign({ recipients: [...FR, STOPPED] });
    const unread = unchecked('OVH answered 403: this token is not granted that call');
    const audience = leaveOutStoplisted([loaded(source)], [], unread);
    const plan = reviewPlan(
      makePlan(audience.loaded, { service: 's', batches: [] }, NOW),
      checks({ blacklist: unread }),
      audience.stoplisted,
    );
    expect(toPlanJson(plan).campaigns[0]).toMatchObject({ recipients: 4, stoplisted: null });
    expect(plan.campaigns[0]!.campaign!.warnings[0]!.message).toMatch(/^the STOP list could not be read \(OVH answered 403/);
  });
});

describe('sender and parts checks', () => {
  const plan = (value: ReturnType<typeof campaign>, accountChecks: AccountChecks) =>
    reviewPlan(makePlan([loaded(value)], { service: 's', batches: [] }, NOW), accountChecks);

  it('makes a refused or waiting sender an error naming its status and OVH’s comment', () => {
    const senders = new Map<string, Checked<SenderCheck>>([
      ['SPAMSHOP', checked({ kind: 'found' as const, sender: 'SPAMSHOP', status: 'refused', comment: 'brand not verified' })],
      ['NEWBRAND', checked({ kind: 'found' as const, sender: 'NEWBRAND', status: 'waitingValidation', comment: null })],
      ['GHOST', checked({ kind: 'missing' as const, sender: 'GHOST' })],
    ]);
    const refused = plan(campaign({ from: 'SPAMSHOP' }), checks({ senders }));
    expect(refused.campaigns[0]).toMatchObject({ action: 'invalid' });
    expect(refused.campaigns[0]!.errors[0]).toMatchObject({
      field: 'from',
      line: 3,
      message: `the sender SPAMSHOP is not enabled on this SMS service: its status is refused; OVH's comment: "brand not verified"`,
    });
    expect(refused.totals.create).toBe(0);
    expect(plan(campaign({ from: 'NEWBRAND' }), checks({ senders })).campaigns[0]!.errors[0]!.message).toContain(
      'its status is waitingValidation',
    );
    expect(plan(campaign({ from: 'GHOST' }), checks({ senders })).campaigns[0]!.errors[0]!.message).toContain(
      'GHOST is not a sender of this SMS service',
    );
  });

  it('does not check the sender of a campaign already sent', () => {
    const source = campaign({ from: 'SPAMSHOP' });
    const senders = new Map([['SPAMSHOP', checked({ kind: 'found' as const, sender: 'SPAMSHOP', status: 'refused', comment: null })]]);
    const reviewed = reviewPlan(makePlan([loaded(source)], { service: 's', batches: [batchFor(source)] }, NOW), checks({ senders }));
    expect(reviewed.campaigns[0]).toMatchObject({ action: 'none', errors: [] });
  });

  it('warns with both figures when OVH counts other parts, and says what it could not check', () => {
    const source = campaign();
    const estimates = new Map([[JSON.stringify([source.message, false, 'alpha']), checked({ parts: 2, encoding: 'GSM-7' as const })]]);
    expect(plan(source, checks({ estimates })).campaigns[0]!.campaign!.warnings.map((warning) => warning.message)).toEqual([
      'OVH counts 2 SMS part(s) for this message (GSM-7), this tool counts 1 (GSM-7): credits are estimated with 1',
    ]);
    const forbidden = 'OVH answered 403: this token is not granted that call';
    const blind = plan(
      source,
      checks({
        estimates: new Map([[JSON.stringify([source.message, false, 'alpha']), unchecked(forbidden)]]),
        senders: new Map([['ACME', unchecked(forbidden)]]),
      }),
    );
    expect(blind.campaigns[0]!.action).toBe('create');
    expect(blind.campaigns[0]!.campaign!.warnings.map((warning) => warning.message)).toEqual([
      `the SMS parts could not be cross-checked with OVH (${forbidden})`,
      `the sender ACME could not be checked (${forbidden})`,
    ]);
  });
});

describe('plan against the sandbox: the review online, refused (403), slow, and offline', () => {
  const openRepository = useSandboxRun('review-');
  const repository = (files: Record<string, string>) => openRepository(files, { blacklist: [STOPPED] });

  const promo = (from: string) => `name: promo
type: marketing
from: ${from}
message: Winter sale, -20% this weekend.
to: ["${FR[0]}", "${FR[1]}", "${BE}", "${GB}", "${STOPPED}"]
`;

  it('prices by country, leaves out the STOP list, refuses a refused sender, and apply matches afterwards', async () => {
    const { run, sandbox } = await repository({
      'promo.yml': promo('SHOP'),
      'spam.yml': promo('SPAMSHOP').replace('name: promo', 'name: spam'),
    });
    const planned = await run('plan');
    const [promoPlan, spamPlan] = planned.planJson!.campaigns;
    expect(promoPlan).toMatchObject({ action: 'create', recipients: 4, stoplisted: 1, estimatedCredits: 4.2, warnings: [] });
    expect(promoPlan!.byCountry).toEqual([
      { country: 'FR', recipients: 2, creditsPerPart: 1, estimatedCredits: 2, rate: 'ovh' },
      { country: 'BE', recipients: 1, creditsPerPart: 1.6, estimatedCredits: 1.6, rate: 'ovh' },
      { country: 'GB', recipients: 1, creditsPerPart: 0.6, estimatedCredits: 0.6, rate: 'ovh' },
    ]);
    expect(spamPlan).toMatchObject({ action: 'invalid' });
    expect(spamPlan!.errors[0]!.message).toContain(
      'its status is refused; OVH\'s comment: "Sender refused: the brand could not be verified"',
    );

    const applied = await run('apply', { patterns: ['campaigns/promo.yml'] });
    expect(applied.exitCode).toBe(0);
    const [batch] = sandbox.batches();
    expect(batch!.receivers).toHaveLength(4);
    expect(batch!.receivers).not.toContain(STOPPED);
    const again = await run('plan', { patterns: ['campaigns/promo.yml'] });
    expect(again.planJson!.campaigns[0]).toMatchObject({ action: expect.stringMatching(/^(none|wait)$/), errors: [] });
  });

  it('with every review call refused (403), still plans, at one credit per part, and says what was not checked', async () => {
    const { run, sandbox } = await repository({ 'promo.yml': promo('SPAMSHOP') });
    for (const route of [/\/rates\/destinations$/, /\/estimate$/, /\/blacklists$/, /\/senders\//]) {
      sandbox.addFault({ path: route, kind: 'status', status: 403, times: Number.POSITIVE_INFINITY });
    }
    const planned = await run('plan');
    const entry = planned.planJson!.campaigns[0]!;
    expect(entry).toMatchObject({ action: 'create', recipients: 5, stoplisted: null, estimatedCredits: 5 });
    expect(entry.byCountry.every((row) => row.rate === 'default')).toBe(true);
    const messages = entry.warnings.map((warning) => warning.message).join('\n');
    for (const what of [
      'the STOP list could not be read',
      "OVH's rate for FR could not be read",
      'the SMS parts could not be cross-checked',
      'the sender SPAMSHOP could not be checked',
    ]) {
      expect(messages).toContain(what);
    }
    expect(messages).toContain('403');
    expect(messages).not.toContain(STOPPED);
  });

  it('when OVH is slow, the plan comes out within the review budget with a warning', async () => {
    const { run, sandbox } = await repository({ 'promo.yml': promo('SHOP') });
    sandbox.addFault({ path: /\/blacklists$/, kind: 'latency', delayMs: 3000 });
    const planned = await run('plan', { reviewTimeoutMs: 500 });
    expect(planned.planJson!.campaigns[0]!.warnings.map((warning) => warning.message)).toEqual([
      'the STOP list could not be read (OVH did not answer within 0.5 s): numbers that replied STOP are not left out (OVH skips them when sending)',
    ]);
  });

  it('offline, groups by country at one credit per part with no call at all', async () => {
    const { run, sandbox } = await repository({ 'promo.yml': promo('SPAMSHOP') });
    const planned = await run('plan', { offline: true });
    expect(planned.planJson!.campaigns[0]).toMatchObject({ action: 'create', recipients: 5, estimatedCredits: 5, stoplisted: null });
    expect(sandbox.requests).toHaveLength(0);
  });
});
