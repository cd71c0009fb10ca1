/**
 * A campaign file of N unknown keys (issue #8 item 17: a 1 MiB file of 100k keys took minutes of CPU).
 * ours     = parseYamlSource + checkAgainstSchema: duplicate keys found with a set per mapping, key positions
 *            from an index built once, problems capped at 50 per file
 * baseline = what main did: the yaml library's own duplicate-key check (each key compared with every earlier one)
 *            and, per unknown key, a scan of the mapping for its position
 * Median CPU time of several runs per size; linear code doubles when N doubles. Run: npx tsx bench/campaign-keys.ts [runs]
 */
import { cpuUsage } from 'node:process';
import { isMap, isScalar, LineCounter, parseAllDocuments } from 'yaml';
import { checkAgainstSchema } from '../src/campaign/schema-check.js';
import { parseYamlSource } from '../src/campaign/yaml-source.js';

const runs = Number(process.argv[2] ?? 3);

function campaignWithKeys(keys: number): string {
  let text = 'name: big\ntype: transactional\nfrom: Shop\nmessage: hi\nto: ["+33612345678"]\n';
  for (let index = 0; index < keys; index += 1) text += `k${index}: 1\n`;
  return text;
}

function ours(text: string): number {
  const parsed = parseYamlSource(text, 'big.yml');
  if (!parsed.ok) throw new Error('the file did not parse');
  return checkAgainstSchema(parsed.data, parsed.source).length;
}

function baseline(text: string): number {
  const documents = parseAllDocuments(text, { lineCounter: new LineCounter(), prettyErrors: false, uniqueKeys: true });
  const contents = documents[0]!.contents;
  if (!isMap(contents)) throw new Error('not a mapping');
  let found = 0;
  for (const pair of contents.items) {
    const key = isScalar(pair.key) ? pair.key.value : null;
    if (typeof key !== 'string' || !key.startsWith('k')) continue;
    // main's keyPosition: a scan of the parent mapping for every unknown key.
    if (contents.items.some((other) => isScalar(other.key) && other.key.value === key)) found += 1;
  }
  return found;
}

function cpuMs(task: () => unknown): number {
  const start = cpuUsage();
  task();
  const used = cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

// Warm up both (JIT), so the first size is not charged for compiling.
ours(campaignWithKeys(2_000));
baseline(campaignWithKeys(2_000));

const rows: string[] = [];
for (const keys of [2_500, 5_000, 10_000, 20_000, 100_000]) {
  const text = campaignWithKeys(keys);
  const oursMs = median(Array.from({ length: runs }, () => cpuMs(() => ours(text))));
  // The baseline is quadratic: past 20k keys one run takes minutes, so it is measured on the smaller files only.
  const baselineMs = keys <= 20_000 ? median(Array.from({ length: runs }, () => cpuMs(() => baseline(text)))) : null;
  const ratio = baselineMs === null ? '' : ` (${(baselineMs / oursMs).toFixed(1)}x)`;
  rows.push(
    `${String(keys).padStart(7)} keys, ${(text.length / 1024).toFixed(0).padStart(5)} KiB: ours ${oursMs.toFixed(0).padStart(6)} ms CPU, baseline ${baselineMs === null ? '     —' : baselineMs.toFixed(0).padStart(6)} ms CPU${ratio}`,
  );
  console.log(rows[rows.length - 1]);
}
