/** Timing of loadCampaigns on the examples and on a 100,000-row CSV: `npx tsx test/campaign/load-timing.ts`. */
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadCampaigns } from '../../src/campaign/index.js';
let t = performance.now();
await loadCampaigns([], { cwd: '.', env: {} });
console.log(`examples (3 files, 43 numbers), first call incl. schema compile: ${(performance.now() - t).toFixed(0)} ms`);
t = performance.now();
await loadCampaigns([], { cwd: '.', env: {} });
console.log(`examples again: ${(performance.now() - t).toFixed(0)} ms`);
const dir = await mkdtemp(path.join(tmpdir(), 'bench-'));
await mkdir(path.join(dir, 'campaigns'));
const rows = Array.from({ length: 100_000 }, (_, i) => `+336${String(10_000_000 + i).slice(0, 8)};x`).join('\n');
await writeFile(path.join(dir, 'campaigns/list.csv'), `number;name\n${rows}\n`);
await writeFile(
  path.join(dir, 'campaigns/big.yml'),
  'name: big\ntype: marketing\nfrom: Shop\nmessage: hi\nrecipients:\n  - file: list.csv\n',
);
for (let n = 0; n < 2; n++) {
  t = performance.now();
  const [r] = await loadCampaigns([], { cwd: dir, env: {} });
  console.log(
    `one campaign, 100,000-row CSV: ${(performance.now() - t).toFixed(0)} ms, valid=${r!.valid}, recipients=${r!.valid ? r!.campaign.recipients.length : '-'}`,
  );
}
await rm(dir, { recursive: true });
