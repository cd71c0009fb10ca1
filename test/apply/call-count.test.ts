import { afterEach, expect, it } from 'vitest';
import type { SandboxRequest } from '../../src/sandbox/index.js';
import { asLoaded, smallCampaigns, startWorld, type World } from './sandbox-world.js';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

/** The kind of an OVH call, from the sandbox's request log. */
function kindOf({ method, path }: SandboxRequest): string {
  const bare = path.split('?')[0]!;
  if (bare.startsWith('/documents/')) return 'download';
  if (/^\/1\.0\/me\/document\/[^/]+$/.test(bare)) return 'document';
  const match = /^\/1\.0\/sms\/[^/]+(\/.*)?$/.exec(bare);
  const rest = match ? (match[1] ?? '') : null;
  if (rest === '') return 'account';
  if (rest === '/batches') return method === 'POST' ? 'create' : 'list';
  if (rest === '/document') return 'export';
  if (rest !== null && /^\/batches\/[^/]+\/statistics$/.test(rest)) return 'statistics';
  return `${method} ${bare}`;
}

it(
  "a 20-campaign apply (3 s batches, default polling) stays within 0.75 × the tutorial's 162 calls: 5 per campaign plus a few listings",
  { timeout: 60_000 },
  async () => {
    world = await startWorld({ batchDurationMs: 3_000, documentReadyAfterPolls: 2 });
    const before = world.sandbox.requests.length;
    // As the CLI does: the plan's listing, then apply with its own poll schedule (guard off, as in the bench).
    const result = await world.apply(asLoaded(smallCampaigns(20, 'count')), { pollIntervalMs: undefined, timeoutMs: 60_000 });
    expect(result.ok).toBe(true);
    expect(result.campaigns.every((entry) => entry.exportFile !== null)).toBe(true);
    const counts: Record<string, number> = {};
    for (const request of world.sandbox.requests.slice(before)) counts[kindOf(request)] = (counts[kindOf(request)] ?? 0) + 1;
    const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
    expect(counts).toMatchObject({ create: 20, statistics: 20, export: 20, download: 20, account: 1 });
    // Each export document is looked at once: the shared loop's first look comes when OVH has built it.
    expect(counts.document).toBe(20);
    // One listing per round for every running batch, backing off: bounded by the wait, not by the campaigns.
    expect(counts.list).toBeLessThanOrEqual(12);
    expect(total).toBeLessThanOrEqual(121);
  },
);
