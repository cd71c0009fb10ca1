/**
 * CI scaling smoke for the recipient reader: every list shape at 100k and 400k rows, read end to end
 * (RecipientCollector on the file's chunks). Fails when time(400k)/time(100k) > 8 for a shape: linear is about 4,
 * quadratic about 16. Ratios, never absolute times. Each time is the fastest of a few runs, since other jobs on the
 * machine can only add to it; the small and large runs take turns, so that both see the same load.
 * Run: npx tsx bench/recipients-scaling.ts [small=100000] [runs=5]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecipientCollector, readFileChunks } from '../src/recipients/index.js';
import { SHAPES, writeRecipientsCsv } from './recipients-data.js';

const MAX_RATIO = 8;
const small = Number(process.argv[2] ?? 100_000);
const large = small * 4;
const runs = Number(process.argv[3] ?? 5);

function read(file: string): number {
  const started = performance.now();
  const collector = new RecipientCollector('FR');
  const report = collector.addCsv(readFileChunks(file));
  if (report.problems.length > 0) throw new Error(`${file}: ${report.problems[0]!.message}`);
  return performance.now() - started;
}

/** The fastest run of each file, the files read in turn. */
function fastest(files: string[]): number[] {
  const best = files.map(() => Infinity);
  for (let run = 0; run < runs; run += 1) files.forEach((file, index) => (best[index] = Math.min(best[index]!, read(file))));
  return best;
}

const directory = mkdtempSync(join(tmpdir(), 'sms-campaigns-scaling-'));
let failed = false;
try {
  console.log(
    `recipient reader scaling: ${small.toLocaleString('en')} → ${large.toLocaleString('en')} rows, fastest of ${runs} runs, limit ×${MAX_RATIO}`,
  );
  console.log('| shape | ms small | ms large | ratio |\n|---|---:|---:|---:|');
  for (const shape of SHAPES) {
    const smallFile = join(directory, `${shape}-small.csv`);
    const largeFile = join(directory, `${shape}-large.csv`);
    writeRecipientsCsv(smallFile, shape, small, 7);
    writeRecipientsCsv(largeFile, shape, large, 7);
    // Warm-up: compile the reader's paths for this shape before timing it.
    read(smallFile);
    const [smallMs, largeMs] = fastest([smallFile, largeFile]) as [number, number];
    const ratio = largeMs / smallMs;
    if (ratio > MAX_RATIO) failed = true;
    console.log(`| ${shape} | ${smallMs.toFixed(0)} | ${largeMs.toFixed(0)} | ${ratio.toFixed(2)}${ratio > MAX_RATIO ? ' FAIL' : ''} |`);
    rmSync(smallFile);
    rmSync(largeFile);
  }
} finally {
  rmSync(directory, { recursive: true, force: true });
}
if (failed) {
  console.error(`recipient reader scaling: a shape grew more than ×${MAX_RATIO} for ×4 rows (quadratic?)`);
  process.exitCode = 1;
}
