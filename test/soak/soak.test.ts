import { describe, expect, it } from 'vitest';
import { formatReport, runSoak } from './engine.js';

// The short fault soak for CI: a few seeded rounds (about a minute); `npx tsx bench/soak.ts` runs the long one.
const ROUNDS = Number(process.env.SOAK_ROUNDS ?? 10);
const SEED = Number(process.env.SOAK_SEED ?? 2026);

describe('fault soak (short)', () => {
  it(`${ROUNDS} rounds of overlapping runs under faults, kills and skew: sent at most once, nothing foreign, honest exits`, async () => {
    const report = await runSoak({ rounds: ROUNDS, seed: SEED });
    const text = formatReport(report);
    console.log(text);
    expect(report.rounds).toBe(ROUNDS);
    expect(Object.keys(report.faultsByKind).length).toBeGreaterThan(0);
    expect({
      doubleSends: report.doubleSends,
      foreignBatches: report.foreignBatches,
      dishonestExits: report.dishonestExits,
      violations: report.violations,
    }).toEqual({
      doubleSends: 0,
      foreignBatches: 0,
      dishonestExits: 0,
      violations: [],
    });
  }, 300_000);
});
