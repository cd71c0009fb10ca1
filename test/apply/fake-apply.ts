import { makePlan } from '../../src/plan/index.js';
import type { ApplyOptions, ApplyProgress } from '../../src/apply/index.js';
import { campaign, loaded } from '../plan/fixtures.js';
import { FakeSmsApi, VirtualClock } from './fake-api.js';

/**
 * Apply against the fake account on a virtual clock: the campaigns `names` (one number each), their plan against the
 * account as it is when called, apply's options on that clock (`defaults`, then each call's overrides), and the
 * progress events those options record.
 */
export function fakeApply(names: readonly string[], defaults: Partial<ApplyOptions> = {}) {
  const clock = new VirtualClock();
  const api = new FakeSmsApi(clock);
  const campaigns = names.map((name, index) => campaign({ name, recipients: [`+3361234567${index}`] }));
  const plan = () =>
    makePlan(campaigns.map(loaded), { service: api.serviceName, batches: api.batches.map((batch) => ({ ...batch })) }, clock.now());
  const events: ApplyProgress[] = [];
  const options = (overrides: Partial<ApplyOptions> = {}): ApplyOptions => ({
    wait: true,
    timeoutMs: 60_000,
    maxCredits: null,
    report: null,
    now: clock.now,
    sleep: clock.sleep,
    pollIntervalMs: { initial: 500, max: 10_000 },
    overlapGuardMs: 0,
    progress: (event) => events.push(event),
    ...defaults,
    ...overrides,
  });
  const messages = (phase: ApplyProgress['phase']) => events.filter((event) => event.phase === phase).map((event) => event.message);
  return { clock, api, campaigns, plan, options, events, messages };
}
