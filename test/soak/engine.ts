// The fault soak (issue #8): rounds of two or three overlapping apply runs against the HTTPS sandbox, with a seeded
// random schedule of faults, kills, campaign versions and clock skew, then an invariant check of the account.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyPlan, type ApplyResult } from '../../src/apply/index.js';
import { CANCELLING_STATUSES, type Batch, type SmsApi } from '../../src/account/index.js';
import type { Campaign } from '../../src/campaign/types.js';
import { connectSmsService } from '../../src/ovh/index.js';
import { compareWithBatch, makePlan } from '../../src/plan/index.js';
import { sandboxSettings, startSandbox, type Sandbox, type SandboxFault } from '../../src/sandbox/index.js';
import { campaign } from '../plan/fixtures.js';
import { ReportFolder } from '../../src/report/index.js';
import { seededRandom } from '../support/seeded-random.js';

export interface SoakOptions {
  rounds: number;
  seed: number;
  /** To replay one round of a seed: start there (default 1). */
  firstRound?: number;
  /** One line per round and the summary. */
  log?: (line: string) => void;
}

export interface SoakReport {
  seed: number;
  rounds: number;
  /** apply runs started, of which killed part-way. */
  runs: number;
  killed: number;
  /** Exit codes of the runs that were not killed. */
  exits: { ok: number; failed: number };
  faultsByKind: Record<string, number>;
  skewedRounds: number;
  /** Campaign names with more than one batch that sends while a surviving waiting run had it in view (must be 0). */
  doubleSends: number;
  /** Names sent twice where the extra batch came from a killed run and no surviving waiting run was there to see it. */
  unwatchedDoubleSends: number;
  notes: string[];
  /** Batches whose content no run was given (must be 0). */
  foreignBatches: number;
  /** Runs that exited 0 though a campaign did not end as planned (must be 0). */
  dishonestExits: number;
  /** What broke an invariant, per round, for people. */
  violations: string[];
}

/** Timings of a round: short enough for CI, long enough for the guard over HTTPS on a busy machine. */
const HOLD_MS = 2_000;
const REQUEST_TIMEOUT_MS = 1_000;
const LOOKUP_MS = 3_000;
const POLL = { initial: 50, max: 250 };
const BATCH_MS = 300;

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const between = (rng: Rng, low: number, high: number): number => Math.round(low + rng() * (high - low));

const CREATE = /\/sms\/[^/]+\/batches$/;
const BATCH = /\/sms\/[^/]+\/batches\/[^/]+$/;
const CANCEL = /\/cancel$/;
const STATISTICS = /\/statistics$/;

/** A random fault on a random route: every kind the issue lists, timed around the client's timeout. */
function randomFault(rng: Rng): SandboxFault {
  const times = between(rng, 1, 2);
  const late = () => between(rng, 200, REQUEST_TIMEOUT_MS + 1_200);
  return pick<() => SandboxFault>(rng, [
    () => ({ method: 'POST', path: CREATE, kind: 'latency', delayMs: late(), times }),
    () => ({ method: 'POST', path: CREATE, kind: 'slow-answer', delayMs: late(), times }),
    () => ({ method: 'POST', path: CREATE, kind: 'status', status: pick(rng, [429, 500, 503]), times }),
    () => ({ method: 'POST', path: CREATE, kind: 'html', status: 502, afterCommit: rng() < 0.5, times }),
    () => ({ method: 'POST', path: CREATE, kind: pick(rng, ['drop', 'lose-response'] as const), times }),
    () => ({ method: 'GET', path: CREATE, kind: 'status', status: pick(rng, [500, 503, 429]), times: between(rng, 1, 6) }),
    () => ({ method: 'GET', path: CREATE, kind: pick(rng, ['drop', 'latency'] as const), delayMs: late(), times }),
    () => ({ method: 'GET', path: CREATE, kind: 'html', status: 502, times }),
    () => ({ method: 'POST', path: CANCEL, kind: 'status', status: pick(rng, [403, 500]), times }),
    () => ({ method: 'POST', path: CANCEL, kind: pick(rng, ['drop', 'lose-response', 'slow-answer'] as const), delayMs: late(), times }),
    () => ({ method: 'GET', path: BATCH, kind: 'status', status: 500, times }),
    () => ({ method: 'GET', path: STATISTICS, kind: pick(rng, ['drop', 'latency'] as const), delayMs: late(), times }),
  ])();
}

/** An SmsApi that can be killed: from then on no call or sleep ever returns, as if the process had died. */
function killable(api: SmsApi): { api: SmsApi; sleep: (ms: number) => Promise<void>; kill: () => void } {
  let dead = false;
  const never = new Promise<never>(() => undefined);
  const guard = <T>(promise: Promise<T>): Promise<T> =>
    dead
      ? never
      : promise.then(
          (value) => (dead ? never : value),
          (error: unknown) => (dead ? never : Promise.reject(error)),
        );
  const wrapped = new Proxy(api, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        guard(Promise.resolve().then(() => (dead ? never : (value as (...a: unknown[]) => Promise<unknown>).apply(target, args))));
    },
  });
  return {
    api: wrapped,
    sleep: (ms) => guard(new Promise((resolve) => setTimeout(resolve, ms))),
    kill: () => {
      dead = true;
    },
  };
}

interface RunSpec {
  label: string;
  campaigns: Campaign[];
  startMs: number;
  wait: boolean;
  /** Killed this long after it starts, or never. */
  killAfterMs: number | null;
}

interface RunRecord {
  spec: RunSpec;
  killed: boolean;
  /** When the run started and ended, on the local clock. */
  startedMs: number;
  endedMs: number;
  /** null: threw (exit 1 or 2). */
  result: ApplyResult | null;
  error: string | null;
}

/** The versions of one campaign a round hands out: same name, another message or other recipients. */
function versionsOf(rng: Rng, round: number, index: number): Campaign[] {
  const name = `soak-r${round}-c${index}`;
  const number = (n: number) =>
    `+336123${String(round % 100).padStart(2, '0')}${String(index).padStart(1, '0')}${String(n).padStart(2, '0')}`;
  const deferred = rng() < 0.25 ? new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z') : null;
  const base = campaign({
    name,
    message: `Soak ${round}/${index}: version 1`,
    recipients: [number(1), number(2)],
    deferred,
    type: 'transactional',
    noStop: true,
  });
  const count = rng() < 0.5 ? 1 : 2;
  const second = rng() < 0.5 ? { ...base, message: `Soak ${round}/${index}: version 2` } : { ...base, recipients: [number(1), number(3)] };
  return count === 1 ? [base] : [base, second];
}

async function oneRun(sandbox: Sandbox, spec: RunSpec): Promise<RunRecord> {
  await new Promise((resolve) => setTimeout(resolve, spec.startMs));
  const record: RunRecord = { spec, killed: false, startedMs: Date.now(), endedMs: 0, result: null, error: null };
  const reportDir = await mkdtemp(join(tmpdir(), 'soak-'));
  try {
    const connected = await connectSmsService({
      ...sandboxSettings(sandbox),
      timeoutMs: REQUEST_TIMEOUT_MS,
      retry: { attempts: 3, baseDelayMs: 30 },
    });
    const { api, sleep, kill } = killable(connected);
    let timer: NodeJS.Timeout | undefined;
    const killed = new Promise<'killed'>((resolve) => {
      if (spec.killAfterMs !== null) {
        timer = setTimeout(() => {
          kill();
          resolve('killed');
        }, spec.killAfterMs);
      }
    });
    const work = (async () => {
      const plan = makePlan(
        spec.campaigns.map((value) => ({ valid: true as const, campaign: value })),
        { service: api.serviceName, batches: await api.listBatches() },
        new Date(),
      );
      return applyPlan(plan, api, {
        wait: spec.wait,
        timeoutMs: 30_000,
        maxCredits: null,
        report: new ReportFolder(reportDir),
        pollIntervalMs: POLL,
        sleep,
        overlapGuardMs: HOLD_MS,
        outcomeLookupMs: LOOKUP_MS,
      });
    })();
    const outcome = await Promise.race([work, killed]);
    clearTimeout(timer);
    if (outcome === 'killed') record.killed = true;
    else record.result = outcome;
  } catch (error) {
    record.error = error instanceof Error ? error.message : String(error);
  } finally {
    record.endedMs = Date.now();
    // A killed run may still be writing its report: a folder left in tmp is harmless.
    await rm(reportDir, { recursive: true, force: true }).catch(() => undefined);
  }
  return record;
}

const sends = (batch: Batch) => !CANCELLING_STATUSES.has(batch.status);

/** Waits until no batch is inside a hold or moving (inserting, being cancelled), so the account shows what goes out. */
async function settle(sandbox: Sandbox): Promise<Batch[]> {
  const until = Date.now() + HOLD_MS + LOOKUP_MS + 2_000;
  for (;;) {
    const batches = sandbox.batches();
    const held = (batch: Batch) =>
      batch.status === 'PENDING' && batch.sentAt !== null && Date.parse(batch.sentAt) - Date.parse(batch.createdAt) < 60_000;
    const moving = (batch: Batch) => ['TO_CANCEL', 'CANCELING', 'INSERTING', 'INSERTED'].includes(batch.status);
    const listing = (batch: Batch) => batch.receivers === null;
    if (!batches.some((batch) => held(batch) || moving(batch) || listing(batch)) || Date.now() > until) return batches;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Checks one round's account against what its runs were given and what they said. */
export function checkRound(
  batches: Batch[],
  records: RunRecord[],
  given: Campaign[],
  skewMs: number,
): { doubleSends: string[]; unwatched: string[]; foreign: string[]; dishonest: string[] } {
  const doubleSends: string[] = [];
  const unwatched: string[] = [];
  // A batch is watched when a run that was not killed and waits for its batches had the campaign while that batch
  // was on the account: the guard promises that such a run settles it. One that no such run saw (a killed run's
  // creation landing after the others had ended) is beyond what the guard can do, and counted apart.
  const watched = (batch: Batch) => {
    const createdMs = Date.parse(batch.createdAt) - skewMs;
    return records.some(
      (record) =>
        !record.killed &&
        record.spec.wait &&
        record.result !== null &&
        record.spec.campaigns.some((value) => value.name === batch.name) &&
        record.startedMs <= createdMs + HOLD_MS &&
        record.endedMs >= createdMs,
    );
  };
  const foreign: string[] = [];
  const dishonest: string[] = [];
  const names = new Set(given.map((value) => value.name));
  for (const name of names) {
    const sending = batches.filter((batch) => batch.name === name && sends(batch));
    if (sending.length <= 1) continue;
    const text = `${name}: ${sending.length} batches send (${sending.map((batch) => `${batch.id} ${batch.status}`).join(', ')})`;
    if (sending.filter((batch) => !watched(batch)).length >= sending.length - 1 && records.some((record) => record.killed))
      unwatched.push(text);
    else doubleSends.push(text);
  }
  for (const batch of batches) {
    if (!given.some((version) => version.name === batch.name && compareWithBatch(version, batch).length === 0))
      foreign.push(`${batch.name}: batch ${batch.id} has content no run was given`);
  }
  for (const record of records) {
    if (record.killed || record.result === null || !record.result.ok) continue;
    for (const entry of record.result.campaigns) {
      const version = record.spec.campaigns.find((value) => value.name === entry.name)!;
      const sending = batches.filter((batch) => batch.name === entry.name && sends(batch));
      const mine = sending.length === 1 && compareWithBatch(version, sending[0]!).length === 0 ? sending[0]! : null;
      const why =
        mine === null
          ? `its version is not the one batch that sends (${sending.length} send)`
          : entry.batchId !== mine.id
            ? `it reported batch ${entry.batchId}, the one that sends is ${mine.id}`
            : entry.outcome === 'completed' && mine.status !== 'COMPLETED'
              ? `it reported completed, the batch is ${mine.status}`
              : entry.outcome === 'scheduled' && version.deferred === null
                ? 'it reported a hold as scheduled'
                : !['completed', 'scheduled', 'running'].includes(entry.outcome)
                  ? `it exited 0 with outcome ${entry.outcome}`
                  : null;
      if (why !== null) dishonest.push(`${record.spec.label} exited 0 but ${entry.name}: ${why}`);
    }
  }
  return { doubleSends, unwatched, foreign, dishonest };
}

async function oneRound(round: number, rng: Rng, report: SoakReport, log: (line: string) => void): Promise<void> {
  const skew = rng() < 0.5 ? 0 : pick(rng, [-1, 1]) * between(rng, 3, 25);
  const sandbox = await startSandbox({
    batchDurationMs: BATCH_MS,
    documentReadyAfterPolls: 1,
    clockOffsetSeconds: skew,
    keepAliveTimeoutMs: pick(rng, [2_000, 5_000]),
    receiversHiddenForMs: pick(rng, [0, 0, 400]),
  });
  try {
    const campaignVersions = Array.from({ length: between(rng, 1, 3) }, (_, index) => versionsOf(rng, round, index));
    const runCount = between(rng, 2, 3);
    const specs: RunSpec[] = Array.from({ length: runCount }, (_, index) => ({
      label: `round ${round} run ${index + 1}`,
      campaigns: campaignVersions.map((versions) => pick(rng, versions)),
      startMs: index === 0 ? 0 : between(rng, 0, 2_500),
      wait: rng() < 0.75,
      killAfterMs: rng() < 0.25 ? between(rng, 100, 3_000) : null,
    }));
    // A killed run is started again later with the same files, as a CI retry would.
    for (const spec of [...specs]) {
      if (spec.killAfterMs !== null && rng() < 0.5)
        specs.push({
          ...spec,
          label: `${spec.label} (re-run)`,
          startMs: spec.startMs + spec.killAfterMs + between(rng, 0, 3_000),
          killAfterMs: null,
        });
    }
    const faultCount = between(rng, 2, 8);
    const timers: NodeJS.Timeout[] = [];
    for (let index = 0; index < faultCount; index += 1) {
      const fault = randomFault(rng);
      timers.push(setTimeout(() => sandbox.addFault(fault), between(rng, 0, 2_000)));
    }
    const records = await Promise.all(specs.map((spec) => oneRun(sandbox, spec)));
    timers.forEach(clearTimeout);
    const batches = await settle(sandbox);
    const checked = checkRound(batches, records, campaignVersions.flat(), skew * 1000);

    report.rounds += 1;
    report.runs += records.length;
    report.killed += records.filter((record) => record.killed).length;
    for (const record of records) {
      if (record.killed) continue;
      if (record.result?.ok) report.exits.ok += 1;
      else report.exits.failed += 1;
    }
    for (const fault of sandbox.injected) {
      const kind =
        fault.kind === 'status' || fault.kind === 'html'
          ? `${fault.kind} ${fault.status ?? ''}${fault.afterCommit ? ' after commit' : ''}`.trim()
          : fault.kind;
      const key = `${fault.method} ${fault.path.replace(/^\/1\.0\/sms\/[^/]+/, '').replace(/\/batches\/[^/]+/, '/batches/{id}')}: ${kind}`;
      report.faultsByKind[key] = (report.faultsByKind[key] ?? 0) + 1;
    }
    if (skew !== 0) report.skewedRounds += 1;
    report.doubleSends += checked.doubleSends.length;
    report.unwatchedDoubleSends += checked.unwatched.length;
    report.notes.push(...checked.unwatched.map((text) => `round ${round}: after a kill, no run left to see it: ${text}`));
    report.foreignBatches += checked.foreign.length;
    report.dishonestExits += checked.dishonest.length;
    const problems = [...checked.doubleSends, ...checked.foreign, ...checked.dishonest];
    report.violations.push(...problems.map((problem) => `round ${round}: ${problem}`));
    const exits = records.map((record) => (record.killed ? 'killed' : record.result?.ok ? '0' : '1')).join(' ');
    if (problems.length > 0 && process.env.SOAK_VERBOSE) {
      log(
        JSON.stringify(
          {
            specs,
            faults: sandbox.injected,
            batches: batches.map((b) => [b.id, b.status, b.message, b.receivers, b.createdAt, b.sentAt]),
            records: records.map((r) => [
              r.spec.label,
              r.killed,
              r.error,
              r.result?.campaigns.map((c) => [c.action, c.batchId, c.outcome, c.created, c.message]),
            ]),
          },
          null,
          1,
        ),
      );
    }
    log(
      `round ${round}: ${records.length} runs (exits ${exits}), ${sandbox.injected.length} faults, skew ${skew} s, ${batches.length} batches, ${batches.filter(sends).length} sending${problems.length > 0 ? `; VIOLATION ${problems.join('; ')}` : ''}`,
    );
  } finally {
    await sandbox.stop();
  }
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => undefined);
  const report: SoakReport = {
    seed: options.seed,
    rounds: 0,
    runs: 0,
    killed: 0,
    exits: { ok: 0, failed: 0 },
    faultsByKind: {},
    skewedRounds: 0,
    doubleSends: 0,
    unwatchedDoubleSends: 0,
    notes: [],
    foreignBatches: 0,
    dishonestExits: 0,
    violations: [],
  };
  for (let round = options.firstRound ?? 1; round <= options.rounds; round += 1) {
    await oneRound(round, seededRandom(options.seed * 100_003 + round), report, log);
  }
  return report;
}

export function formatReport(report: SoakReport): string {
  const faults = Object.entries(report.faultsByKind).sort(([a], [b]) => (a < b ? -1 : 1));
  const total = faults.reduce((sum, [, count]) => sum + count, 0);
  return [
    `seed ${report.seed}: ${report.rounds} rounds, ${report.runs} runs (${report.killed} killed; exits: ${report.exits.ok} × 0, ${report.exits.failed} × non-zero), ${report.skewedRounds} rounds with clock skew`,
    `faults injected: ${total}`,
    ...faults.map(([kind, count]) => `  ${String(count).padStart(5)}  ${kind}`),
    `double sends: ${report.doubleSends}`,
    `double sends after a kill with no run left watching (not preventable by the guard): ${report.unwatchedDoubleSends}`,
    ...report.notes.map((note) => `  ${note}`),
    `batches with content no run was given: ${report.foreignBatches}`,
    `dishonest exits: ${report.dishonestExits}`,
    ...report.violations.map((violation) => `  ${violation}`),
  ].join('\n');
}
