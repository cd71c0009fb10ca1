/**
 * Recipient pipeline benchmark: 1,000,000 French mobile numbers in a CSV.
 * ours     = RecipientCollector('FR').addCsv: reading, validation, E.164 and de-duplication in one pass
 * baseline = parseRecipientsCsv + parsePhoneNumber(raw, 'FR').isValid() + de-duplication of `.number` with a Set
 * Each run is a fresh child process (clean heap, honest peak RSS). Run: npx tsx bench/recipients.ts [rows] [runs]
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePhoneNumber } from 'libphonenumber-js/max';
import { RecipientCollector, normalizePhoneNumber, parseRecipientsCsv } from '../src/recipients/index.js';
import { generateRecipientsCsv } from './recipients-data.js';

type Pipeline = 'ours' | 'baseline';

interface RunResult {
  pipeline: Pipeline;
  /** Phases of the baseline; ours does all three in one pass, so only its total is known. */
  csvMs: number | null;
  validateMs: number | null;
  dedupeMs: number | null;
  totalMs: number;
  /** CPU time (user + system, all threads: the garbage collector's helpers count too): steadier than wall time on a shared machine. */
  validateCpuMs: number | null;
  totalCpuMs: number;
  valid: number;
  unique: number;
  maxRssMb: number;
  heapHighWaterMb: number;
}

interface Verdict {
  valid: boolean;
  e164: string | null;
}

function baselineVerdict(raw: string): Verdict {
  try {
    const number = parsePhoneNumber(raw, 'FR');
    return number.isValid() ? { valid: true, e164: number.number } : { valid: false, e164: null };
  } catch {
    return { valid: false, e164: null };
  }
}

function ourVerdict(raw: string): Verdict {
  const verdict = normalizePhoneNumber(raw, 'FR');
  return verdict.ok ? { valid: true, e164: verdict.e164 } : { valid: false, e164: null };
}

const megabytes = (bytes: number) => bytes / 1024 / 1024;
const cpuMs = (from: NodeJS.CpuUsage, to: NodeJS.CpuUsage) => (to.user - from.user + to.system - from.system) / 1000;

function runPipeline(pipeline: Pipeline, file: string): RunResult {
  return pipeline === 'ours' ? runOurs(file) : runBaseline(file);
}

function runOurs(file: string): RunResult {
  const cpuStarted = process.cpuUsage();
  const started = performance.now();
  const collector = new RecipientCollector('FR');
  const report = collector.addCsv(readFileSync(file));
  const finished = performance.now();
  const cpuFinished = process.cpuUsage();
  return {
    pipeline: 'ours',
    csvMs: null,
    validateMs: null,
    dedupeMs: null,
    totalMs: finished - started,
    validateCpuMs: null,
    totalCpuMs: cpuMs(cpuStarted, cpuFinished),
    valid: report.entries - report.rejected.length,
    unique: collector.numbers.length,
    // resourceUsage().maxRSS is in kilobytes.
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    heapHighWaterMb: megabytes(process.memoryUsage().heapUsed),
  };
}

function runBaseline(file: string): RunResult {
  let heapHighWater = process.memoryUsage().heapUsed;
  const cpuStarted = process.cpuUsage();
  const started = performance.now();
  const { entries } = parseRecipientsCsv(readFileSync(file));
  const parsed = performance.now();
  heapHighWater = Math.max(heapHighWater, process.memoryUsage().heapUsed);
  const cpuParsed = process.cpuUsage();
  const validNumbers: string[] = [];
  for (let index = 0; index < entries.length; index += 1) {
    const verdict = baselineVerdict(entries[index]!.raw);
    if (verdict.valid) validNumbers.push(verdict.e164!);
    if (index % 100_000 === 0) heapHighWater = Math.max(heapHighWater, process.memoryUsage().heapUsed);
  }
  const validated = performance.now();
  const cpuValidated = process.cpuUsage();
  const unique = new Set(validNumbers);
  const finished = performance.now();
  const cpuFinished = process.cpuUsage();
  heapHighWater = Math.max(heapHighWater, process.memoryUsage().heapUsed);
  return {
    pipeline: 'baseline',
    csvMs: parsed - started,
    validateMs: validated - parsed,
    dedupeMs: finished - validated,
    totalMs: finished - started,
    validateCpuMs: cpuMs(cpuParsed, cpuValidated),
    totalCpuMs: cpuMs(cpuStarted, cpuFinished),
    valid: validNumbers.length,
    unique: unique.size,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    heapHighWaterMb: megabytes(heapHighWater),
  };
}

interface Comparison {
  compared: number;
  /** Numbers on which normalizePhoneNumber and the baseline differ (validity or E.164). */
  disagreements: number;
  examples: string[];
  /** The collector's output (distinct numbers in order, rejected rows) is the baseline pipeline's. */
  sameOutput: boolean;
}

function compareVerdicts(file: string): Comparison {
  const content = readFileSync(file);
  const { entries } = parseRecipientsCsv(content);
  let disagreements = 0;
  const examples: string[] = [];
  const baselineNumbers = new Set<string>();
  const baselineRejectedRows: (number | null)[] = [];
  for (const { raw, row } of entries) {
    const ours = ourVerdict(raw);
    const baseline = baselineVerdict(raw);
    if (baseline.valid) baselineNumbers.add(baseline.e164!);
    else baselineRejectedRows.push(row);
    if (ours.valid !== baseline.valid || ours.e164 !== baseline.e164) {
      disagreements += 1;
      if (examples.length < 5) examples.push(`${JSON.stringify(raw)}: ours ${JSON.stringify(ours)} baseline ${JSON.stringify(baseline)}`);
    }
  }
  const collector = new RecipientCollector('FR');
  const report = collector.addCsv(content);
  const sameOutput =
    report.entries === entries.length &&
    sameList(collector.numbers, [...baselineNumbers]) &&
    sameList(
      report.rejected.map((rejected) => rejected.row),
      baselineRejectedRows,
    );
  return { compared: entries.length, disagreements, examples, sameOutput };
}

function sameList<T>(left: T[], right: T[]): boolean {
  return left.length === right.length && left.every((item, index) => item === right[index]);
}

function inChild<T>(args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), args, { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: T | undefined;
    child.on('message', (message) => {
      result = message as T;
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 && result !== undefined ? resolve(result) : reject(new Error(`benchmark child exited with ${code}`))));
  });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

async function main(): Promise<void> {
  const rows = Number(process.argv[2] ?? 1_000_000);
  const runs = Math.max(3, Number(process.argv[3] ?? 5));
  const directory = mkdtempSync(join(tmpdir(), 'sms-campaigns-bench-'));
  try {
    const file = join(directory, 'recipients.csv');
    const generated = generateRecipientsCsv(rows, 20240611);
    writeFileSync(file, generated.csv);
    console.log(
      `CSV: ${rows.toLocaleString('en')} rows, ${megabytes(Buffer.byteLength(generated.csv)).toFixed(1)} MB ` +
        `(${generated.invalid.toLocaleString('en')} invalid, ${generated.duplicates.toLocaleString('en')} duplicates by design); ` +
        `${runs} runs per pipeline, each in a fresh process; Node ${process.version}`,
    );
    const results: Record<Pipeline, RunResult[]> = { ours: [], baseline: [] };
    for (let run = 0; run < runs; run += 1) {
      for (const pipeline of ['ours', 'baseline'] as const) {
        results[pipeline].push(await inChild<RunResult>(['--child', pipeline, file]));
      }
    }
    const comparison = await inChild<Comparison>(['--child', 'compare', file]);
    printTable(results);
    const ratio = (field: 'totalMs' | 'totalCpuMs') => median(results.baseline.map((r) => r[field])) / median(results.ours.map((r) => r[field]));
    console.log(`\nspeed-up end to end (baseline / ours, medians): ${ratio('totalMs').toFixed(1)}× wall, ${ratio('totalCpuMs').toFixed(1)}× CPU`);
    console.log(`verdict disagreements (validity or E.164): ${comparison.disagreements} of ${comparison.compared.toLocaleString('en')}`);
    for (const example of comparison.examples) console.log(`  ${example}`);
    console.log(`same distinct numbers (in order) and rejected rows as the baseline pipeline: ${comparison.sameOutput ? 'yes' : 'NO'}`);
    const sameCounts = results.ours.every((r) => r.valid === results.baseline[0]!.valid && r.unique === results.baseline[0]!.unique);
    if (comparison.disagreements > 0 || !comparison.sameOutput || !sameCounts) process.exitCode = 1;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

function printTable(results: Record<Pipeline, RunResult[]>): void {
  const header = ['pipeline', 'CSV ms', 'validate ms', 'dedupe ms', 'total ms', 'validate CPU ms', 'total CPU ms', 'valid', 'unique', 'peak RSS MB', 'heap MB*'];
  const lines = (['ours', 'baseline'] as const).map((pipeline) => {
    const list = results[pipeline];
    const pick = (field: keyof RunResult) => {
      const values = list.map((r) => r[field]).filter((value): value is number => typeof value === 'number');
      return values.length === 0 ? 'one pass' : median(values).toFixed(0);
    };
    return [
      pipeline,
      pick('csvMs'),
      pick('validateMs'),
      pick('dedupeMs'),
      pick('totalMs'),
      pick('validateCpuMs'),
      pick('totalCpuMs'),
      String(list[0]!.valid),
      String(list[0]!.unique),
      Math.max(...list.map((r) => r.maxRssMb)).toFixed(0),
      Math.max(...list.map((r) => r.heapHighWaterMb)).toFixed(0),
    ];
  });
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column]!.length)));
  const format = (cells: string[]) => `| ${cells.map((cell, column) => cell.padStart(widths[column]!)).join(' | ')} |`;
  console.log(`\nmedians of the runs (memory: highest of the runs)\n${format(header)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const line of lines) console.log(format(line));
  console.log('* heap used: the baseline sampled between phases and every 100,000 numbers (its high-water mark); ours once at the end (one call, nothing to sample in between)');
}

if (process.argv[2] === '--child') {
  const [, , , task, file] = process.argv;
  const result = task === 'compare' ? compareVerdicts(file!) : runPipeline(task as Pipeline, file!);
  process.send!(result, () => process.exit(0));
} else {
  await main();
}
