/**
 * Recipient pipeline benchmark: every list shape (bench/recipients-data.ts) × list sizes.
 * ours     = RecipientCollector('FR') reading the file: reading, validation, E.164 and de-duplication in one pass
 * baseline = the file read whole, csv-parse (the shape's delimiter, bom), parsePhoneNumber(raw, 'FR').isValid()
 *            on the `number`/`phone` column, then a Set of the E.164 numbers: what one writes with the libraries alone
 * read     = the reader alone, ours (readCsvRows on the file's chunks) against csv-parse's stream parser on the same
 *            file: the measurement behind keeping a hand-written reader (at the first size only)
 * Each run is a fresh child process (clean heap, honest peak RSS); both pipelines must find the same counts.
 * Per shape, ours runs the sizes in turn (1M, 4M, 1M, 4M…): time(4M)/time(1M) compares runs made under the same load.
 * Run: npx tsx bench/recipients.ts [--rows 1000000,4000000] [--runs 3] [--baseline-rows 1000000] [--baseline-runs 1]
 *      [--shapes one-column,quoted] [--timeout 600]   (seconds per run; a run over it is shown as "> timeout")
 */
import { fork } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Parser } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { parsePhoneNumber } from 'libphonenumber-js/max';
import { RecipientCollector, readFileChunks } from '../src/recipients/index.js';
import { readCsvRows } from '../src/recipients/sources.js';
import { SHAPES, writeRecipientsCsv, type Shape } from './recipients-data.js';

type Pipeline = 'ours' | 'baseline' | 'read-ours' | 'read-csv-parse';

interface RunResult {
  totalMs: number;
  /** User + system CPU of all threads (the garbage collector's helpers count too). */
  cpuMs: number;
  valid: number;
  unique: number;
  maxRssMb: number;
  /** The reader refused the file (the first problem), so its counts mean nothing. */
  refused?: string;
}

const DELIMITER: Record<Shape, string> = {
  'one-column': ',',
  'multi-column': ',',
  semicolon: ';',
  tab: '\t',
  crlf: ',',
  bom: ';',
  quoted: ',',
};

const cpuMs = (from: NodeJS.CpuUsage, to: NodeJS.CpuUsage) => (to.user - from.user + to.system - from.system) / 1000;
const maxRssMb = () => process.resourceUsage().maxRSS / 1024;

function runOurs(file: string): RunResult {
  const cpuStarted = process.cpuUsage();
  const started = performance.now();
  const collector = new RecipientCollector('FR');
  const report = collector.addCsv(readFileChunks(file));
  const totalMs = performance.now() - started;
  return {
    ...(report.problems.length > 0 ? { refused: report.problems[0]!.message } : {}),
    totalMs,
    cpuMs: cpuMs(cpuStarted, process.cpuUsage()),
    valid: report.entries - report.rejectedCount,
    unique: collector.numbers.length,
    maxRssMb: maxRssMb(),
  };
}

function runBaseline(file: string, shape: Shape): RunResult {
  const cpuStarted = process.cpuUsage();
  const started = performance.now();
  const records = parse(readFileSync(file), {
    delimiter: DELIMITER[shape],
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
  }) as string[][];
  const column = records[0]!.findIndex((name) => ['number', 'phone'].includes(name.trim().toLowerCase()));
  const unique = new Set<string>();
  let valid = 0;
  for (let index = 1; index < records.length; index += 1) {
    const raw = records[index]![column]?.trim() ?? '';
    try {
      const number = parsePhoneNumber(raw, 'FR');
      if (number.isValid()) {
        valid += 1;
        unique.add(number.number);
      }
    } catch {
      // Not a number at all: invalid, like isValid() false.
    }
  }
  const totalMs = performance.now() - started;
  return { totalMs, cpuMs: cpuMs(cpuStarted, process.cpuUsage()), valid, unique: unique.size, maxRssMb: maxRssMb() };
}

/** Our reader alone: `valid` counts the number cells handed over. */
function runReadOurs(file: string): RunResult {
  const cpuStarted = process.cpuUsage();
  const started = performance.now();
  let cells = 0;
  readCsvRows(readFileChunks(file), {
    number: () => {
      cells += 1;
    },
    problem: (problem) => {
      throw new Error(problem.message);
    },
  });
  const totalMs = performance.now() - started;
  return { totalMs, cpuMs: cpuMs(cpuStarted, process.cpuUsage()), valid: cells, unique: 0, maxRssMb: maxRssMb() };
}

/** csv-parse's stream parser on the same file, taking each record's number cell. */
async function runReadCsvParse(file: string, shape: Shape): Promise<RunResult> {
  const cpuStarted = process.cpuUsage();
  const started = performance.now();
  const parser = createReadStream(file, { highWaterMark: 1 << 20 }).pipe(
    new Parser({ delimiter: DELIMITER[shape], bom: true, relax_column_count: true, skip_empty_lines: true }),
  );
  let column = -1;
  let cells = 0;
  for await (const record of parser as AsyncIterable<string[]>) {
    if (column < 0) column = record.findIndex((name) => ['number', 'phone'].includes(name.trim().toLowerCase()));
    else if ((record[column]?.trim() ?? '') !== '') cells += 1;
  }
  const totalMs = performance.now() - started;
  return { totalMs, cpuMs: cpuMs(cpuStarted, process.cpuUsage()), valid: cells, unique: 0, maxRssMb: maxRssMb() };
}

/** Runs one pipeline in a fresh process; null when it ran over the timeout (then it is killed). */
function inChild(args: string[], timeoutSeconds: number): Promise<RunResult | null> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--child', ...args], {
      execArgv: process.execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: RunResult | undefined;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutSeconds * 1000);
    child.on('message', (message) => {
      result = message as RunResult;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (timedOut) resolve(null);
      else if (code === 0 && result !== undefined) resolve(result);
      else reject(new Error(`benchmark child ${args.join(' ')} exited with ${code}`));
    });
  });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

interface Cell {
  runs: (RunResult | null)[];
}

interface Row {
  ours: Cell;
  baseline: Cell | null;
  /** The reader alone, ours and csv-parse's (first size only). */
  reader: { ours: Cell; csvParse: Cell } | null;
  megabytes: number;
}

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1]! : fallback;
}

const numbers = (text: string) => text.split(',').map(Number);
const label = (rows: number) => (rows % 1_000_000 === 0 ? `${rows / 1_000_000}M` : `${rows / 1000}k`);

async function main(): Promise<void> {
  const sizes = numbers(option('rows', '1000000,4000000'));
  const runs = Number(option('runs', '3'));
  const baselineSizes = numbers(option('baseline-rows', String(sizes[0])));
  const baselineRuns = Number(option('baseline-runs', '1'));
  const shapes = option('shapes', SHAPES.join(',')).split(',') as Shape[];
  const timeout = Number(option('timeout', '600'));
  const directory = mkdtempSync(join(tmpdir(), 'sms-campaigns-bench-'));
  console.log(
    `Node ${process.version}; ours: ${runs} runs per cell; baseline: ${baselineRuns} run(s) at ${baselineSizes.map(label).join(', ')} rows; ` +
      `each run in a fresh process, timeout ${timeout} s`,
  );
  const cells = new Map<string, Row>();
  let mismatch = false;
  try {
    for (const shape of shapes) {
      const files = new Map(sizes.map((rows) => [rows, join(directory, `${shape}-${rows}.csv`)]));
      const megabytes = new Map(sizes.map((rows) => [rows, writeRecipientsCsv(files.get(rows)!, shape, rows, 20240611).bytes / 1e6]));
      const ours = new Map(sizes.map((rows): [number, Cell] => [rows, { runs: [] }]));
      // The sizes' runs take turns, so that time(4M)/time(1M) compares runs under the same load of the shared machine.
      for (let run = 0; run < runs; run += 1) {
        for (const rows of sizes) {
          const cell = ours.get(rows)!;
          // One run over the timeout is enough to know: the cell is not run again.
          if (!cell.runs.includes(null)) cell.runs.push(await inChild(['ours', files.get(rows)!, shape], timeout));
        }
      }
      for (const rows of sizes) {
        const file = files.get(rows)!;
        const baseline: Cell | null = baselineSizes.includes(rows) ? { runs: [] } : null;
        for (let run = 0; baseline && run < baselineRuns && !baseline.runs.includes(null); run += 1)
          baseline.runs.push(await inChild(['baseline', file, shape], timeout));
        const reader = rows === sizes[0] ? { ours: { runs: [] } as Cell, csvParse: { runs: [] } as Cell } : null;
        for (let run = 0; reader && run < runs; run += 1) {
          reader.ours.runs.push(await inChild(['read-ours', file, shape], timeout));
          reader.csvParse.runs.push(await inChild(['read-csv-parse', file, shape], timeout));
        }
        if (reader && reader.ours.runs.some((run, index) => run?.valid !== reader.csvParse.runs[index]?.valid)) mismatch = true;
        rmSync(file);
        const cell = ours.get(rows)!;
        const done = [...cell.runs, ...(baseline?.runs ?? [])].filter((run): run is RunResult => run !== null && run.refused === undefined);
        if (done.some((run) => run.valid !== done[0]!.valid || run.unique !== done[0]!.unique)) mismatch = true;
        cells.set(`${shape}:${rows}`, { ours: cell, baseline, reader, megabytes: megabytes.get(rows)! });
        console.error(
          `  ${shape} ${label(rows)}: ours ${refusal(cell) ?? show(timed(cell), timeout)}` +
            (baseline ? `, baseline ${show(timed(baseline), timeout)}` : ''),
        );
      }
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  printMatrix(cells, shapes, sizes, timeout);
  if (mismatch) {
    console.log('\nMISMATCH: the pipelines (or runs) did not find the same valid and distinct counts');
    process.exitCode = 1;
  }
}

/** Median wall time, or null when a run timed out or the file was refused. */
function timed(cell: Cell): number | null {
  return cell.runs.some((run) => run === null || run.refused !== undefined) ? null : median(cell.runs.map((run) => run!.totalMs));
}

/** The same ratio on CPU time: on a machine shared with other jobs, wall time also measures their load. */
function cpuRatio(large: Cell, small: Cell): string {
  const cpu = (cell: Cell) =>
    cell.runs.every((run) => run !== null && run.refused === undefined) ? median(cell.runs.map((run) => run!.cpuMs)) : null;
  const [largeMs, smallMs] = [cpu(large), cpu(small)];
  return largeMs !== null && smallMs !== null ? (largeMs / smallMs).toFixed(2) : '';
}

const refusal = (cell: Cell) => cell.runs.find((run) => run?.refused !== undefined)?.refused;

const show = (ms: number | null, timeout: number) => (ms === null ? `> ${timeout} s` : `${ms.toFixed(0)} ms`);

function printMatrix(cells: Map<string, Row>, shapes: Shape[], sizes: number[], timeout: number): void {
  const first = sizes[0]!;
  const last = sizes[sizes.length - 1]!;
  const scaling = `t(${label(last)})/t(${label(first)})`;
  const header = [
    'shape',
    'rows',
    'MB',
    'ours ms',
    'ours CPU ms',
    'baseline ms',
    'baseline CPU ms',
    '× baseline',
    '× baseline CPU',
    'peak RSS MB',
    'baseline RSS MB',
    `${scaling} wall`,
    `${scaling} CPU`,
  ];
  const lines: string[][] = [];
  for (const shape of shapes) {
    for (const rows of sizes) {
      const cell = cells.get(`${shape}:${rows}`)!;
      const oursMs = timed(cell.ours);
      const baselineMs = cell.baseline ? timed(cell.baseline) : null;
      const finished = (runs: (RunResult | null)[]) => runs.filter((run): run is RunResult => run !== null);
      const oursDone = finished(cell.ours.runs);
      const baselineDone = finished(cell.baseline?.runs ?? []);
      const firstMs = timed(cells.get(`${shape}:${first}`)!.ours);
      lines.push([
        shape,
        label(rows),
        cell.megabytes.toFixed(0),
        refusal(cell.ours) !== undefined ? `refused: ${refusal(cell.ours)}` : show(oursMs, timeout).replace(' ms', ''),
        oursDone.length === cell.ours.runs.length ? median(oursDone.map((run) => run.cpuMs)).toFixed(0) : '—',
        cell.baseline ? show(baselineMs, timeout).replace(' ms', '') : 'not run',
        baselineDone.length > 0 ? median(baselineDone.map((run) => run.cpuMs)).toFixed(0) : '—',
        oursMs !== null && baselineMs !== null ? `${(baselineMs / oursMs).toFixed(1)}×` : '—',
        oursDone.length > 0 && baselineDone.length > 0
          ? `${(median(baselineDone.map((run) => run.cpuMs)) / median(oursDone.map((run) => run.cpuMs))).toFixed(1)}×`
          : '—',
        oursDone.length > 0 ? Math.max(...oursDone.map((run) => run.maxRssMb)).toFixed(0) : '—',
        baselineDone.length > 0 ? Math.max(...baselineDone.map((run) => run.maxRssMb)).toFixed(0) : '—',
        rows === last && rows !== first && oursMs !== null && firstMs !== null ? (oursMs / firstMs).toFixed(2) : '',
        rows === last && rows !== first ? cpuRatio(cell.ours, cells.get(`${shape}:${first}`)!.ours) : '',
      ]);
    }
  }
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column]!.length)));
  const format = (cells: string[]) =>
    `| ${cells.map((cell, column) => (column < 2 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join(' | ')} |`;
  console.log(
    `\nmedian wall time of the runs; peak RSS: highest of the runs\n${format(header)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
  );
  for (const line of lines) console.log(format(line));
  console.log(`\nthe reader alone at ${label(first)} rows (median wall ms; number cells handed over must match)`);
  console.log('| shape | ours ms | csv-parse ms | csv-parse / ours |\n|---|---:|---:|---:|');
  for (const shape of shapes) {
    const reader = cells.get(`${shape}:${first}`)!.reader!;
    const ours = timed(reader.ours);
    const csvParse = timed(reader.csvParse);
    const ratio = ours !== null && csvParse !== null ? `${(csvParse / ours).toFixed(1)}×` : '—';
    console.log(`| ${shape} | ${show(ours, timeout).replace(' ms', '')} | ${show(csvParse, timeout).replace(' ms', '')} | ${ratio} |`);
  }
}

if (process.argv[2] === '--child') {
  const [, , , pipeline, file, shape] = process.argv as [string, string, string, Pipeline, string, Shape];
  const run = {
    ours: () => runOurs(file),
    baseline: () => runBaseline(file, shape),
    'read-ours': () => runReadOurs(file),
    'read-csv-parse': () => runReadCsvParse(file, shape),
  };
  const result = await run[pipeline]();
  process.send!(result, () => process.exit(0));
} else {
  await main();
}
