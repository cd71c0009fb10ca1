// The fault soak, long mode: rounds of two or three overlapping apply runs against the HTTPS sandbox under a seeded
// random schedule of faults (latency beyond the timeout, 429, 5xx, HTML 502 before and after commit, dropped
// connections before and after commit, 403 on cancel, list failures), kills with re-runs, versions and clock skew.
// Usage: npx tsx bench/soak.ts [rounds] [seed]   (or SOAK_ROUNDS, SOAK_SEED); exits 1 on any violation.
import { formatReport, runSoak } from '../test/soak/engine.js';

const rounds = Number(process.argv[2] ?? process.env.SOAK_ROUNDS ?? 100);
const seed = Number(process.argv[3] ?? process.env.SOAK_SEED ?? Date.now() % 1_000_000);
const started = Date.now();
const report = await runSoak({ rounds, seed, log: (line) => console.log(line) });
console.log(formatReport(report));
console.log(`${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exitCode = report.doubleSends + report.foreignBatches + report.dishonestExits > 0 ? 1 : 0;
