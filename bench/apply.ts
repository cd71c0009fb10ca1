// Wall time and API calls of `apply` on the sandbox, next to the loop of OVH's tutorial.
// Usage: npx tsx bench/apply.ts   (env: BENCH_CAMPAIGNS, BENCH_BATCH_MS, BENCH_RUNS, BENCH_BASELINE_CAMPAIGNS)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyPlan, type ApplyProgress } from '../src/apply/index.js';
import type { Campaign, LoadedCampaign } from '../src/campaign/types.js';
import { connectSmsService, FINISHED_STATUSES, type SmsApi } from '../src/ovh/index.js';
import { makePlan } from '../src/plan/index.js';
import { sandboxSettings, startSandbox, type Sandbox } from '../src/sandbox/index.js';

const CAMPAIGNS = Number(process.env.BENCH_CAMPAIGNS ?? 20);
const BATCH_MS = Number(process.env.BENCH_BATCH_MS ?? 3_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const BASELINE_CAMPAIGNS = Number(process.env.BENCH_BASELINE_CAMPAIGNS ?? 2);
/** OVH's notebooks: poll the batch every 10 s, the export document every 5 s. */
const TUTORIAL_BATCH_POLL_MS = 10_000;
const TUTORIAL_DOCUMENT_POLL_MS = 5_000;
/** Sandbox batches last seconds, so apply's first poll rounds are scaled down with them (default 1 s → 250 ms). */
const POLL = { initial: 250, max: 5_000 };

interface Measure {
  wallMs: number;
  calls: number;
  /** When apply had seen every batch finished, before statistics and exports. */
  allFinishedMs?: number;
}

function campaigns(count: number): LoadedCampaign[] {
  return Array.from({ length: count }, (_, index): LoadedCampaign => {
    const recipients = Array.from({ length: 5 }, (_, n) => `+3361234${String(index * 10 + n).padStart(4, '0')}`);
    const campaign: Campaign = {
      name: `bench-${index + 1}`, file: `campaigns/bench-${index + 1}.yml`, type: 'transactional', from: 'BENCH', senderForResponse: false,
      message: `Benchmark message ${index + 1}`, recipients, duplicatesRemoved: 0, country: null, deferred: null, noStop: true, tag: 'bench',
      encoding: 'auto', maxParts: 6, cancel: false, description: null,
      analysis: { encoding: 'GSM-7', characters: 22, parts: 1, nonGsmCharacters: [] }, warnings: [], positions: {},
    };
    return { valid: true, campaign };
  });
}

async function withSandbox<T>(work: (sandbox: Sandbox, api: SmsApi) => Promise<T>): Promise<T> {
  const sandbox = await startSandbox({ batchDurationMs: BATCH_MS, creditsLeft: 1_000_000 });
  try {
    const api = await connectSmsService(sandboxSettings(sandbox));
    return await work(sandbox, api);
  } finally {
    await sandbox.stop();
  }
}

async function measureApply(count: number): Promise<Measure> {
  const reportDir = await mkdtemp(join(tmpdir(), 'bench-apply-'));
  try {
    return await withSandbox(async (sandbox, api) => {
      const callsBefore = sandbox.requests.length;
      const started = performance.now();
      let allFinishedMs = 0;
      const progress = (event: ApplyProgress) => {
        if (event.phase === 'exporting') allFinishedMs = performance.now() - started;
      };
      const plan = makePlan(campaigns(count), { service: api.serviceName, batches: await api.listBatches() }, new Date());
      const result = await applyPlan(plan, api, { wait: true, timeoutMs: 120_000, maxCredits: null, reportDir, pollIntervalMs: POLL, progress });
      const wallMs = performance.now() - started;
      if (!result.ok || result.created !== count || result.campaigns.some((entry) => entry.exportFile === null)) throw new Error('apply did not finish well');
      return { wallMs, calls: sandbox.requests.length - callsBefore, allFinishedMs };
    });
  } finally {
    await rm(reportDir, { recursive: true, force: true });
  }
}

/** OVH's tutorial: create, poll every 10 s until done, statistics, export polled every 5 s; one campaign after the other. */
async function measureBaseline(count: number, scale = 1): Promise<Measure> {
  const batchPollMs = TUTORIAL_BATCH_POLL_MS * scale;
  const documentPollMs = TUTORIAL_DOCUMENT_POLL_MS * scale;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  return withSandbox(async (sandbox, api) => {
    const callsBefore = sandbox.requests.length;
    const started = performance.now();
    for (const entry of campaigns(count)) {
      if (!entry.valid) continue;
      const { campaign } = entry;
      let batch = await api.createBatch({ name: campaign.name, message: campaign.message, from: campaign.from!, to: campaign.recipients, noStop: true, tag: 'bench' });
      while (!FINISHED_STATUSES.includes(batch.status)) {
        await sleep(batchPollMs);
        batch = await api.getBatch(batch.id);
      }
      await api.getStatistics(batch.id);
      const documentId = await api.requestOutgoingExport(batch.id);
      let document = await api.getDocument(documentId);
      while (document.size === 0) {
        await sleep(documentPollMs);
        document = await api.getDocument(documentId);
      }
      await api.download(document.getUrl);
    }
    return { wallMs: performance.now() - started, calls: sandbox.requests.length - callsBefore };
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

console.log(`${CAMPAIGNS} campaigns of 5 recipients, each sandbox batch takes ${BATCH_MS / 1000} s; apply polls from ${POLL.initial} ms up to ${POLL.max} ms.`);
const single = await measureApply(1);
const runs: Measure[] = [];
for (let run = 0; run < RUNS; run += 1) runs.push(await measureApply(CAMPAIGNS));
const wall = median(runs.map((run) => run.wallMs));
const calls = median(runs.map((run) => run.calls));
const allFinished = median(runs.map((run) => run.allFinishedMs ?? 0));
console.log(`apply, ${CAMPAIGNS} campaigns: median wall ${seconds(wall)} over ${RUNS} runs (${runs.map((run) => seconds(run.wallMs)).join(', ')}), median ${calls} API calls`);
console.log(`  every batch seen finished after ${seconds(allFinished)} (${(allFinished / BATCH_MS).toFixed(2)}× the batch duration); the rest is statistics and CSV exports`);
console.log(`  wall / batch duration = ${(wall / BATCH_MS).toFixed(2)}×   wall / one-campaign apply (${seconds(single.wallMs)}, ${single.calls} calls) = ${(wall / single.wallMs).toFixed(2)}×`);

const factor = CAMPAIGNS / BASELINE_CAMPAIGNS;
const report = (title: string, measured: Measure) => {
  console.log(`${title}, measured on ${BASELINE_CAMPAIGNS} campaigns: ${seconds(measured.wallMs)}, ${measured.calls} API calls`);
  console.log(`  extrapolated to ${CAMPAIGNS} (one after the other, so linear): ${seconds(measured.wallMs * factor)}, ${Math.round(measured.calls * factor)} API calls`);
  console.log(`  apply is ${((measured.wallMs * factor) / wall).toFixed(1)}× faster with ${calls} calls vs ${Math.round(measured.calls * factor)}`);
};
report('baseline, tutorial loop (poll 10 s, export 5 s)', await measureBaseline(BASELINE_CAMPAIGNS));
// A batch of a few thousand SMS at OVH runs minutes; 30 polls of 10 s is a 5-minute batch, scaled onto the sandbox's.
const scale = BATCH_MS / 300_000;
report(`baseline, tutorial loop scaled as for a 5-minute batch (poll ${(TUTORIAL_BATCH_POLL_MS * scale).toFixed(0)} ms, export ${(TUTORIAL_DOCUMENT_POLL_MS * scale).toFixed(0)} ms)`, await measureBaseline(BASELINE_CAMPAIGNS, scale));
