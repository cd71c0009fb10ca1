import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Campaign, LoadedCampaign } from '../../src/campaign/types.js';
import { applyPlan, type ApplyOptions, type ApplyResult } from '../../src/apply/index.js';
import { connectSmsService, type BatchParams, type OvhSettings, type SmsApi } from '../../src/ovh/index.js';
import { makePlan } from '../../src/plan/index.js';
import { sandboxSettings, startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { campaign } from '../plan/fixtures.js';
import { ReportFolder } from '../../src/report/index.js';

/** A sandbox over HTTPS, the real node-ovh client, and a scratch report folder. */
export interface World {
  sandbox: Sandbox;
  api: SmsApi;
  reportDir: string;
  plan(loaded: LoadedCampaign[]): Promise<ReturnType<typeof makePlan>>;
  apply(loaded: LoadedCampaign[], options?: Partial<ApplyOptions>): Promise<ApplyResult>;
  /** One run of apply as a separate job would do it: its own client (these settings over the world's), plan and report folder. */
  separateRun(loaded: LoadedCampaign[], options?: Partial<ApplyOptions>, client?: Partial<OvhSettings>): Promise<ApplyResult>;
  /** POST …/batches requests the sandbox answered or dropped. */
  creations(): number;
  close(): Promise<void>;
}

export const FAST_POLL = { initial: 40, max: 200 };

/** `options.now` moves the sandbox, the plan and apply onto the same clock. `apply` runs with the overlap guard off unless told. */
export async function startWorld(options: SandboxOptions = {}): Promise<World> {
  const clock = options.now ?? Date.now;
  const now = () => new Date(clock());
  const sandbox = await startSandbox({ batchDurationMs: 200, documentReadyAfterPolls: 1, ...options });
  const connect = (client: Partial<OvhSettings> = {}) =>
    connectSmsService({ ...sandboxSettings(sandbox), timeoutMs: 2_000, retry: { attempts: 4, baseDelayMs: 20 }, ...client });
  const api = await connect();
  const reportDir = await mkdtemp(join(tmpdir(), 'apply-report-'));
  const reportDirs = [reportDir];
  const planOn = async (client: SmsApi, loaded: LoadedCampaign[]) =>
    makePlan(loaded, { service: client.serviceName, batches: await client.listBatches() }, now());
  const plan = (loaded: LoadedCampaign[]) => planOn(api, loaded);
  const applyOn = async (client: SmsApi, dir: string, loaded: LoadedCampaign[], overrides: Partial<ApplyOptions>) =>
    applyPlan(await planOn(client, loaded), client, {
      wait: true,
      timeoutMs: 20_000,
      maxCredits: null,
      report: new ReportFolder(dir),
      pollIntervalMs: FAST_POLL,
      now,
      overlapGuardMs: 0,
      ...overrides,
    });
  return {
    sandbox,
    api,
    reportDir,
    plan,
    apply: (loaded, overrides = {}) => applyOn(api, reportDir, loaded, overrides),
    separateRun: async (loaded, overrides = {}, client = {}) => {
      const dir = await mkdtemp(join(tmpdir(), 'apply-run-report-'));
      reportDirs.push(dir);
      return applyOn(await connect(client), dir, loaded, overrides);
    },
    creations: () => sandbox.requests.filter((request) => request.method === 'POST' && /\/batches$/.test(request.path)).length,
    close: async () => {
      await sandbox.stop();
      await Promise.all(reportDirs.map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
}

/** `count` small valid campaigns with distinct names and numbers the sandbox accepts. */
export function smallCampaigns(count: number, prefix = 'camp'): Campaign[] {
  return Array.from({ length: count }, (_, index) =>
    campaign({
      name: `${prefix}-${index + 1}`,
      message: `Hello from campaign ${index + 1}`,
      recipients: [`+336123456${String(10 + index * 2).padStart(2, '0')}`, `+336123456${String(11 + index * 2).padStart(2, '0')}`],
    }),
  );
}

export const asLoaded = (campaigns: Campaign[]): LoadedCampaign[] => campaigns.map((value) => ({ valid: true, campaign: value }));

/** Batches on the sandbox per name. */
export function countByName(sandbox: Sandbox): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const batch of sandbox.batches()) counts[batch.name] = (counts[batch.name] ?? 0) + 1;
  return counts;
}

/** The batch `source` makes, created straight on the account (another run's, or one made by hand). */
export function batchParams(source: Campaign, deferred: string | null): BatchParams {
  const params: BatchParams = {
    name: source.name,
    message: source.message,
    to: [...source.recipients],
    from: source.from!,
    noStop: source.noStop,
  };
  if (deferred !== null) params.deferred = deferred;
  return params;
}

/** What fixtures/apply-child.ts reads from APPLY_CHILD_INPUT. */
export interface ApplyChildInput {
  settings: OvhSettings;
  loaded: LoadedCampaign[];
  overlapGuardMs?: number;
  receiversListThreshold?: number;
}

const APPLY_CHILD = fileURLToPath(new URL('./fixtures/apply-child.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** apply in a separate process, for a test to kill half-way like a cancelled CI job; `exited` gives the signal that ended it. */
export function spawnApplyChild(input: ApplyChildInput) {
  const child = spawn(process.execPath, ['--import', 'tsx', APPLY_CHILD], {
    cwd: REPO,
    env: { ...process.env, APPLY_CHILD_INPUT: JSON.stringify(input) },
    stdio: 'ignore',
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  return { child, exited };
}
