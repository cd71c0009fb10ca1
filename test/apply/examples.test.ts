import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { loadCampaigns } from '../../src/campaign/index.js';
import { campaignFolderName } from '../../src/report/index.js';
import { toPlanJson } from '../../src/plan/index.js';
import { countByName, startWorld, type World } from './sandbox-world.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
// The examples are dated: pin the clock to the day they were written, for the sandbox, the plan and apply alike.
const offset = Date.parse('2026-11-26T10:00:00Z') - Date.now();
const clock = () => Date.now() + offset;

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

it('plans and applies the example campaigns, then a second apply creates nothing', async () => {
  world = await startWorld({ now: clock });
  const loaded = await loadCampaigns(['campaigns/**/*.yml'], { cwd: REPO, env: {}, now: new Date(clock()) });
  expect(loaded.every((entry) => entry.valid)).toBe(true);

  const plan = toPlanJson(await world.plan(loaded));
  expect(plan.campaigns.map((entry) => [entry.name, entry.action])).toEqual([
    ['black-friday-2026', 'create'],
    ['delivery-notice-2026-11-26', 'create'],
    ['new-year-greetings-2027', 'create'],
  ]);
  expect(plan.totals.create).toBe(3);
  expect(plan.totals.estimatedCredits).toBe(19 + 3 + 2 * 21);

  // With the overlap guard on (held 1 s): the held batches are waited for, the deferred one is still scheduled.
  const first = await world.apply(loaded, { overlapGuardMs: 1_000 });
  expect(first.ok).toBe(true);
  expect(first.created).toBe(3);
  expect(first.campaigns.map((entry) => [entry.name, entry.outcome])).toEqual([
    ['black-friday-2026', 'completed'],
    ['delivery-notice-2026-11-26', 'completed'],
    ['new-year-greetings-2027', 'scheduled'],
  ]);
  for (const entry of first.campaigns.filter((result) => result.outcome === 'completed')) {
    const folder = join(world.reportDir, campaignFolderName(entry.name!));
    expect((await readdir(folder)).sort()).toEqual(['outgoing.csv', 'statistics.json']);
    expect(JSON.parse(await readFile(join(folder, 'statistics.json'), 'utf8'))).toMatchObject({ id: entry.batchId });
  }

  const second = toPlanJson(await world.plan(loaded));
  expect(second.campaigns.map((entry) => entry.action)).toEqual(['none', 'none', 'wait']);
  expect(second.totals.create).toBe(0);
  const again = await world.apply(loaded);
  expect(again).toMatchObject({ ok: true, created: 0 });
  expect(again.campaigns.map((entry) => entry.outcome)).toEqual(['completed', 'completed', 'scheduled']);
  expect(countByName(world.sandbox)).toEqual({ 'black-friday-2026': 1, 'delivery-notice-2026-11-26': 1, 'new-year-greetings-2027': 1 });
});
