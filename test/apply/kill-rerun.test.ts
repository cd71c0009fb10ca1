import { afterEach, expect, it } from 'vitest';
import { sandboxSettings } from '../../src/sandbox/index.js';
import { asLoaded, countByName, smallCampaigns, spawnApplyChild, startWorld, type World } from './sandbox-world.js';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

it('a run killed after some batches were created, then re-run, creates every campaign exactly once', async () => {
  world = await startWorld();
  const sandbox = world.sandbox;
  // Slow creations, so the kill lands between two of them (or during one: the server still finishes it).
  sandbox.addFault({ method: 'POST', path: /\/batches$/, kind: 'latency', delayMs: 300, times: 100 });
  const campaigns = smallCampaigns(5, 'killed');
  const { child, exited } = spawnApplyChild({ settings: { ...sandboxSettings(sandbox), timeoutMs: 5_000 }, loaded: asLoaded(campaigns) });
  const deadline = Date.now() + 20_000;
  while (sandbox.batches().length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  await new Promise((resolve) => setTimeout(resolve, 400));
  const createdBeforeKill = sandbox.batches().length;
  expect(createdBeforeKill).toBeGreaterThanOrEqual(2);
  expect(createdBeforeKill).toBeLessThan(5);

  const plan = await world.plan(asLoaded(campaigns));
  expect(plan.totals.create).toBe(5 - createdBeforeKill);
  const result = await world.apply(asLoaded(campaigns));
  expect(result.ok).toBe(true);
  expect(result.created).toBe(5 - createdBeforeKill);
  expect(countByName(sandbox)).toEqual(Object.fromEntries(campaigns.map((entry) => [entry.name, 1])));
  expect(result.campaigns.every((entry) => entry.outcome === 'completed' && entry.exportFile !== null)).toBe(true);
});
