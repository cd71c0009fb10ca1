// Wall time and API calls of `apply` on the sandbox, next to the loop of OVH's tutorial, by kind of call:
// 20 campaigns, 200 campaigns, and one 1M-recipient campaign through a receivers list.
// Usage: npx tsx bench/apply.ts
//   BENCH_CAMPAIGNS (20), BENCH_MANY_CAMPAIGNS (200; 0 skips), BENCH_BIG_RECIPIENTS (1000000; 0 skips),
//   BENCH_BATCH_MS (3000), BENCH_RUNS (5), BENCH_BASELINE_CAMPAIGNS (1),
//   BENCH_LONG_BATCH_MS (0; e.g. 30000 adds the long scenarios), BENCH_LONG_RUNS (2),
//   BENCH_RATE_LIMIT (calls per second; unset: the client's default 20; 0: none),
//   BENCH_INPROCESS=1 runs the sandbox inside the bench's own process (its CPU then counts against apply),
import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyPlan, DEFAULT_OVERLAP_GUARD_MS, type ApplyProgress } from '../src/apply/index.js';
import type { Campaign, LoadedCampaign } from '../src/campaign/types.js';
import { connectSmsService, FINISHED_STATUSES, type SmsApi } from '../src/ovh/index.js';
import type { OvhSettings } from '../src/ovh/settings.js';
import { makePlan } from '../src/plan/index.js';
import { sandboxSettings, startSandbox, type SandboxOptions, type SandboxRequest } from '../src/sandbox/index.js';
import { ReportFolder } from '../src/report/index.js';

const SERVE_FLAG = '--serve-sandbox';

/** OVH's notebooks: poll the batch every 10 s, the export document every 5 s. */
const TUTORIAL_BATCH_POLL_MS = 10_000;
const TUTORIAL_DOCUMENT_POLL_MS = 5_000;

const KINDS = ['list', 'create', 'get', 'statistics', 'export', 'document', 'download', 'account', 'lists'] as const;
type Kind = (typeof KINDS)[number];
type Calls = Record<Kind | 'total', number>;

interface Measure {
  wallMs: number;
  calls: Calls;
  /** apply only: when the last creation was answered, and when every batch had been seen finished. */
  createdMs?: number;
  allFinishedMs?: number;
}

interface SandboxHandle {
  settings: OvhSettings;
  requests(): Promise<SandboxRequest[]>;
  stop(): Promise<void>;
}

/** The sandbox in a child process by default: OVH's server CPU is not the runner's, so it should not slow apply. */
async function openSandbox(options: SandboxOptions): Promise<SandboxHandle> {
  if (process.env.BENCH_INPROCESS === '1') {
    const sandbox = await startSandbox(options);
    return { settings: sandboxSettings(sandbox), requests: async () => [...sandbox.requests], stop: () => sandbox.stop() };
  }
  const child = fork(fileURLToPath(import.meta.url), [SERVE_FLAG, JSON.stringify(options)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const settings = await new Promise<OvhSettings>((resolve, reject) => {
    child.once('message', (message) => resolve(message as OvhSettings));
    child.once('exit', (code) => reject(new Error(`sandbox process exited with ${code}`)));
  });
  return {
    settings,
    requests: () =>
      new Promise((resolve) => {
        child.once('message', (message) => resolve(message as SandboxRequest[]));
        child.send('requests');
      }),
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.send('stop');
      }),
  };
}

async function serveSandbox(options: SandboxOptions): Promise<void> {
  const sandbox = await startSandbox(options);
  process.on('message', (message) => {
    if (message === 'requests') process.send!(sandbox.requests);
    if (message === 'stop') void sandbox.stop().then(() => process.exit(0));
  });
  // A bench that dies must not leave its sandbox running.
  process.on('disconnect', () => process.exit(0));
  process.send!(sandboxSettings(sandbox));
}

function kindOf(request: SandboxRequest): Kind | null {
  const path = request.path.split('?')[0]!;
  // The receivers-list calls: document created, uploaded (PUT to its putUrl), deleted; lists registered, read, deleted.
  if (path.startsWith('/documents/')) return request.method === 'PUT' ? 'lists' : 'download';
  if (path === '/1.0/me/document' || (request.method === 'DELETE' && path.startsWith('/1.0/me/document/'))) return 'lists';
  if (/^\/1\.0\/sms\/[^/]+\/receivers(\/[^/]+)?$/.test(path)) return 'lists';
  if (/^\/1\.0\/me\/document\/[^/]+$/.test(path)) return 'document';
  const sms = /^\/1\.0\/sms\/[^/]+(\/.*)?$/.exec(path);
  if (!sms) return null;
  const rest = sms[1] ?? '';
  if (rest === '') return 'account';
  if (rest === '/batches') return request.method === 'POST' ? 'create' : 'list';
  if (rest === '/document') return 'export';
  if (/^\/batches\/[^/]+\/statistics$/.test(rest)) return 'statistics';
  if (/^\/batches\/[^/]+$/.test(rest)) return 'get';
  return null;
}

function countCalls(requests: SandboxRequest[]): Calls {
  const calls = Object.fromEntries([...KINDS, 'total'].map((kind) => [kind, 0])) as Calls;
  for (const request of requests) {
    const kind = kindOf(request);
    if (kind === null) console.warn(`  (an unexpected call, counted in the total only: ${request.method} ${request.path.split('?')[0]})`);
    else calls[kind] += 1;
    calls.total += 1;
  }
  return calls;
}

function campaigns(count: number, recipientsEach = 5): LoadedCampaign[] {
  return Array.from({ length: count }, (_, index): LoadedCampaign => {
    const recipients =
      recipientsEach > 5
        ? Array.from({ length: recipientsEach }, (_, n) => `+3361${String(n).padStart(7, '0')}`)
        : Array.from({ length: recipientsEach }, (_, n) => `+3361234${String(index * 10 + n).padStart(4, '0')}`);
    const campaign: Campaign = {
      name: `bench-${index + 1}`,
      file: `campaigns/bench-${index + 1}.yml`,
      type: 'transactional',
      from: 'BENCH',
      senderForResponse: false,
      message: `Benchmark message ${index + 1}`,
      recipients,
      duplicatesRemoved: 0,
      testRecipients: [],
      country: null,
      deferred: null,
      noStop: true,
      tag: 'bench',
      encoding: 'auto',
      maxParts: 6,
      cancel: false,
      description: null,
      analysis: { encoding: 'GSM-7', characters: 22, parts: 1, nonGsmCharacters: [] },
      warnings: [],
      positions: {},
    };
    return { valid: true, campaign };
  });
}

/** Connects (the service listing and time sync are not counted), then measures `work` alone. */
async function onSandbox(batchMs: number, work: (api: SmsApi) => Promise<Omit<Measure, 'calls'>>): Promise<Measure> {
  const sandbox = await openSandbox({ batchDurationMs: batchMs, creditsLeft: 10_000_000 });
  try {
    const limit = process.env.BENCH_RATE_LIMIT;
    const rateLimit = limit === undefined ? undefined : Number(limit) > 0 ? { perSecond: Number(limit), burst: Number(limit) } : null;
    const api = await connectSmsService({ ...sandbox.settings, ...(rateLimit === undefined ? {} : { rateLimit }) });
    const before = (await sandbox.requests()).length;
    const measured = await work(api);
    return { ...measured, calls: countCalls((await sandbox.requests()).slice(before)) };
  } finally {
    await sandbox.stop();
  }
}

/** `plan` then `apply`, as the CLI does: the plan's listing and the credit check count as apply's calls. */
async function measureApply(
  count: number,
  batchMs: number,
  poll: { initial: number; max: number } | undefined,
  overlapGuardMs: number,
  recipientsEach = 5,
): Promise<Measure> {
  const reportDir = await mkdtemp(join(tmpdir(), 'bench-apply-'));
  try {
    return await onSandbox(batchMs, async (api) => {
      const started = performance.now();
      let createdMs = 0;
      let allFinishedMs = 0;
      const progress = (event: ApplyProgress) => {
        if (event.phase === 'created') createdMs = performance.now() - started;
        if (event.phase === 'exporting') allFinishedMs = performance.now() - started;
      };
      const plan = makePlan(campaigns(count, recipientsEach), { service: api.serviceName, batches: await api.listBatches() }, new Date());
      const result = await applyPlan(plan, api, {
        wait: true,
        timeoutMs: 10 * batchMs + 60_000,
        maxCredits: null,
        report: new ReportFolder(reportDir),
        pollIntervalMs: poll,
        progress,
        overlapGuardMs,
      });
      const wallMs = performance.now() - started;
      if (!result.ok || result.created !== count || result.campaigns.some((entry) => entry.exportFile === null))
        throw new Error('apply did not finish well');
      return { wallMs, createdMs, allFinishedMs };
    });
  } finally {
    await rm(reportDir, { recursive: true, force: true });
  }
}

/**
 * OVH's notebook: create, poll the batch every 10 s until done, statistics, export polled every 5 s; one campaign after the other.
 * `timeScale` shrinks both intervals, to replay a longer batch on a shorter sandbox one.
 */
async function measureTutorial(count: number, batchMs: number, timeScale: number): Promise<Measure> {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  return onSandbox(batchMs, async (api) => {
    const started = performance.now();
    for (const entry of campaigns(count)) {
      if (!entry.valid) continue;
      const { campaign } = entry;
      let batch = await api.createBatch({
        name: campaign.name,
        message: campaign.message,
        from: campaign.from!,
        to: campaign.recipients,
        noStop: true,
        tag: 'bench',
      });
      while (!FINISHED_STATUSES.has(batch.status)) {
        await sleep(TUTORIAL_BATCH_POLL_MS * timeScale);
        batch = await api.getBatch(batch.id);
      }
      await api.getStatistics(batch.id);
      const documentId = await api.requestOutgoingExport(batch.id);
      let document = await api.getDocument(documentId);
      while (document.size === 0) {
        await sleep(TUTORIAL_DOCUMENT_POLL_MS * timeScale);
        document = await api.getDocument(documentId);
      }
      await api.download(document.getUrl);
    }
    return { wallMs: performance.now() - started };
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Each column's median on its own (the kinds of one median run need not add up to the median total). */
function medianMeasure(runs: Measure[]): Measure {
  const pick = (get: (run: Measure) => number | undefined) => median(runs.map((run) => get(run) ?? 0));
  const calls = Object.fromEntries([...KINDS, 'total'].map((kind) => [kind, pick((run) => run.calls[kind as Kind | 'total'])])) as Calls;
  return {
    wallMs: pick((run) => run.wallMs),
    calls,
    createdMs: pick((run) => run.createdMs),
    allFinishedMs: pick((run) => run.allFinishedMs),
  };
}

function scaled(measure: Measure, factor: number): Measure {
  const calls = Object.fromEntries(Object.entries(measure.calls).map(([kind, count]) => [kind, Math.round(count * factor)])) as Calls;
  return { wallMs: measure.wallMs * factor, calls };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function table(batchMs: number, rows: [string, Measure][]): void {
  const header = ['', 'wall', '× batch', ...KINDS, 'total'];
  const lines = rows.map(([title, measure]) => [
    title,
    seconds(measure.wallMs),
    `${(measure.wallMs / batchMs).toFixed(2)}×`,
    ...KINDS.map((kind) => String(measure.calls[kind])),
    String(measure.calls.total),
  ]);
  const widths = header.map((_, column) => Math.max(...[header, ...lines].map((line) => line[column]!.length)));
  for (const line of [header, ...lines]) {
    console.log(line.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  '));
  }
}

interface Scenario {
  title: string;
  campaigns: number;
  batchMs: number;
  runs: number;
  baselineCampaigns: number;
  /** apply's poll rounds; undefined: its defaults (1 s → 30 s). */
  poll: { initial: number; max: number } | undefined;
  /** Applied to the tutorial's 10 s / 5 s intervals. */
  tutorialScale: number;
  single: boolean;
  /** Also measure one run with the overlap guard at its default (15 s hold). */
  guarded: boolean;
}

async function scenario(options: Scenario): Promise<void> {
  const pollText = options.poll
    ? `apply polls ${options.poll.initial} ms → ${options.poll.max} ms`
    : 'apply polls with its defaults (1 s → 30 s)';
  const tutorialText = `the tutorial every ${seconds(TUTORIAL_BATCH_POLL_MS * options.tutorialScale)} (export ${seconds(TUTORIAL_DOCUMENT_POLL_MS * options.tutorialScale)})`;
  console.log(
    `\n## ${options.title}\n${options.campaigns} campaigns of 5 recipients, each sandbox batch takes ${seconds(options.batchMs)}; ${pollText}, ${tutorialText}`,
  );
  console.log('apply rows run with the overlap guard off (overlapGuardMs: 0) unless they say otherwise.');
  const rows: [string, Measure][] = [];
  const runs: Measure[] = [];
  for (let run = 0; run < options.runs; run += 1) runs.push(await measureApply(options.campaigns, options.batchMs, options.poll, 0));
  const apply = medianMeasure(runs);
  rows.push([`apply, guard off, median of ${options.runs}`, apply]);
  if (options.single) rows.push(['apply, guard off, one campaign', await measureApply(1, options.batchMs, options.poll, 0)]);
  let guarded: Measure | null = null;
  if (options.guarded) {
    guarded = await measureApply(options.campaigns, options.batchMs, options.poll, DEFAULT_OVERLAP_GUARD_MS);
    rows.push([`apply, overlap guard ${seconds(DEFAULT_OVERLAP_GUARD_MS)} (default)`, guarded]);
  }
  const factor = options.campaigns / options.baselineCampaigns;
  const tutorial = scaled(await measureTutorial(options.baselineCampaigns, options.batchMs, options.tutorialScale), factor);
  rows.push([`tutorial, ${options.baselineCampaigns} measured × ${factor}`, tutorial]);
  table(options.batchMs, rows);
  console.log(`apply runs: ${runs.map((run) => seconds(run.wallMs)).join(', ')}`);
  console.log(
    `apply phases (medians): last creation answered ${seconds(apply.createdMs!)}, every batch seen finished ${seconds(apply.allFinishedMs!)} (${(apply.allFinishedMs! / options.batchMs).toFixed(2)}× the batch), end ${seconds(apply.wallMs)}`,
  );
  console.log(
    `apply: ${(tutorial.wallMs / apply.wallMs).toFixed(0)}× faster than the tutorial, ${apply.calls.total} calls against ${tutorial.calls.total} (${((apply.calls.total / tutorial.calls.total) * 100).toFixed(0)} %)`,
  );
  if (guarded) {
    console.log(
      `apply with the guard: last creation answered ${seconds(guarded.createdMs!)}, every batch seen finished ${seconds(guarded.allFinishedMs!)}, end ${seconds(guarded.wallMs)} (${seconds(guarded.wallMs - apply.wallMs)} more than without)`,
    );
  }
}

/** One campaign above the receivers-list threshold: uploaded as a list, sent with slotID, exported to disk. */
async function bigCampaign(recipients: number, batchMs: number): Promise<void> {
  console.log(
    `\n## One campaign of ${recipients.toLocaleString('en')} recipients through a receivers list\nThe sandbox batch takes ${seconds(batchMs)}; apply with its default polling, guard off; peak RSS is the bench process's (campaign, plan and apply).`,
  );
  const measure = await measureApply(1, batchMs, undefined, 0, recipients);
  table(batchMs, [['apply, 1 campaign, receivers list', measure]]);
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
}

if (process.argv[2] === SERVE_FLAG) {
  await serveSandbox(JSON.parse(process.argv[3]!) as SandboxOptions);
} else {
  const campaignCount = Number(process.env.BENCH_CAMPAIGNS ?? 20);
  const baselineCampaigns = Number(process.env.BENCH_BASELINE_CAMPAIGNS ?? 1);
  const batchMs = Number(process.env.BENCH_BATCH_MS ?? 3_000);
  const manyCampaigns = Number(process.env.BENCH_MANY_CAMPAIGNS ?? 200);
  const bigRecipients = Number(process.env.BENCH_BIG_RECIPIENTS ?? 1_000_000);
  const longBatchMs = Number(process.env.BENCH_LONG_BATCH_MS ?? 0);
  const longRuns = Number(process.env.BENCH_LONG_RUNS ?? 2);
  console.log(`Sandbox ${process.env.BENCH_INPROCESS === '1' ? "in the bench's own process" : 'in a child process'}.`);
  console.log(
    'Calls: list = GET …/batches, create = POST …/batches, get = GET …/batches/{id}, export = GET …/document, document = GET /me/document/{id}, download = the document URL, account = GET /sms/{sn}.',
  );
  console.log(
    'The tutorial does one campaign after the other with fixed sleeps, so its figures are those of the campaigns measured times the count.',
  );
  const common = { campaigns: campaignCount, baselineCampaigns };
  // Sandbox batches last seconds, so apply's first poll rounds are scaled down with them (1 s → 250 ms).
  await scenario({
    ...common,
    title: 'Short batches',
    batchMs,
    runs: Number(process.env.BENCH_RUNS ?? 5),
    poll: { initial: 250, max: 5_000 },
    tutorialScale: 1,
    single: true,
    guarded: true,
  });
  if (manyCampaigns > 0) {
    await scenario({
      campaigns: manyCampaigns,
      baselineCampaigns,
      title: `${manyCampaigns} campaigns`,
      batchMs,
      runs: 1,
      poll: undefined,
      tutorialScale: 1,
      single: false,
      guarded: true,
    });
  }
  if (bigRecipients > 0) await bigCampaign(bigRecipients, batchMs);
  if (longBatchMs > 0) {
    await scenario({
      ...common,
      title: "Batches longer than the tutorial's poll interval",
      batchMs: longBatchMs,
      runs: longRuns,
      poll: undefined,
      tutorialScale: 1,
      single: false,
      guarded: false,
    });
    // A batch ten times longer, replayed ten times faster on both sides: the call counts are those of the longer batch.
    const scale = 0.1;
    await scenario({
      ...common,
      title: `Batches of ${seconds(longBatchMs / scale)}, every interval of both sides scaled by ${scale}`,
      batchMs: longBatchMs,
      runs: 1,
      poll: { initial: 1_000 * scale, max: 30_000 * scale },
      tutorialScale: scale,
      single: false,
      guarded: false,
    });
  }
}
