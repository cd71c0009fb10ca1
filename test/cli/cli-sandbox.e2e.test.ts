import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplyJson, StatusJson } from '../../src/cli/index.js';
import type { PlanJson } from '../../src/plan/types.js';
import type { ResultsJson } from '../../src/report/index.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { expectCleanOutput, listFiles, runCli, type CliRun, sandboxAccountEnv, cliWithExamples, type ExamplesSetUp } from './run-cli.js';

// The CLI as a user runs it against an OVH account: here the simulator over HTTPS on 127.0.0.1, in this process.
let setUp: ExamplesSetUp;

beforeAll(async () => {
  setUp = await cliWithExamples('sms-cli-sandbox-');
});

afterAll(async () => {
  await setUp?.remove();
});

const accountEnv = (sandbox: Sandbox, overrides: Record<string, string> = {}) => sandboxAccountEnv(sandbox, setUp.scratch, overrides);

async function cli(args: string[], env: Record<string, string>): Promise<CliRun> {
  const run = await runCli(args, { script: setUp.script, cwd: setUp.workspace, env });
  expectCleanOutput(run, setUp.numbers);
  for (const secret of [env['OVH_APPLICATION_SECRET'], env['OVH_CONSUMER_KEY']]) {
    if (secret) expect(run.stdout + run.stderr).not.toContain(secret);
  }
  return run;
}

const DEFERRED = 'new-year-greetings-2027';
const IMMEDIATE = ['black-friday-2026', 'delivery-notice-2026-11-26'];

describe('one account, from the first plan to the second apply', () => {
  let sandbox: Sandbox;
  let env: Record<string, string>;
  const creations = () => sandbox.requests.filter((request) => request.method === 'POST' && /\/batches$/.test(request.path)).length;

  beforeAll(async () => {
    sandbox = await startSandbox({ batchDurationMs: 150, documentReadyAfterPolls: 1 });
    env = await accountEnv(sandbox);
  });

  afterAll(async () => {
    await sandbox.stop();
  });

  it('plan shows every example as create on the empty account', async () => {
    const [text, json] = await Promise.all([cli(['plan', '--out', 'plan-text'], env), cli(['plan', '--json', '--out', 'plan-json'], env)]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^Plan against OVH SMS service sms-sandbox-1$/m);
    for (const campaign of setUp.campaigns) expect(text.stdout).toMatch(new RegExp(`^ {2}\\+ create +${campaign.name} `, 'm'));
    expect(text.stdout).toContain('Plan: 3 to create');
    expect(json.code).toBe(0);
    const plan = JSON.parse(json.stdout) as PlanJson;
    expect(plan).toMatchObject({ service: 'sms-sandbox-1', offline: false, unmanaged: [], totals: { create: 3 } });
    expect(plan.campaigns.map((entry) => entry.action)).toEqual(['create', 'create', 'create']);
    expect(creations()).toBe(0);
  });

  it('apply --max-credits 1 refuses and creates nothing', async () => {
    const run = await cli(['apply', '--max-credits', '1', '--out', 'refused'], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Nothing was sent: .*credits/);
    expect(sandbox.batches()).toEqual([]);
    expect(creations()).toBe(0);
  });

  it('apply creates the batches, waits, and writes the report folder', async () => {
    const run = await cli(['apply', '--out', 'report', '--overlap-guard', '1'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('3 batches created. All done.');
    for (const name of IMMEDIATE) expect(run.stdout).toMatch(new RegExp(`^ {2}completed +${name} batch `, 'm'));
    expect(run.stdout).toMatch(new RegExp(`^ {2}scheduled +${DEFERRED} batch `, 'm'));
    expect(
      sandbox
        .batches()
        .map((batch) => batch.name)
        .sort(),
    ).toEqual(setUp.campaigns.map((campaign) => campaign.name).sort());

    const report = path.join(setUp.workspace, 'report');
    expect(await listFiles(report)).toEqual([
      ...IMMEDIATE.flatMap((name) => [`${name}/outgoing.csv`, `${name}/statistics.json`]),
      'plan.json',
      'results.json',
      'summary.md',
    ]);
    const plan = JSON.parse(await readFile(path.join(report, 'plan.json'), 'utf8')) as PlanJson;
    expect(plan.totals.create).toBe(3);
    const results = JSON.parse(await readFile(path.join(report, 'results.json'), 'utf8')) as ResultsJson;
    expect(results.created).toBe(3);
    const byName = new Map(sandbox.batches().map((batch) => [batch.name, batch]));
    for (const result of results.campaigns) expect(result.batchId).toBe(byName.get(result.name!)!.id);
    for (const name of IMMEDIATE) {
      const statistics = JSON.parse(await readFile(path.join(report, name, 'statistics.json'), 'utf8')) as { sent: number };
      expect(statistics.sent).toBe(setUp.campaigns.find((campaign) => campaign.name === name)!.recipients.length);
      // The private export is the one place with full numbers.
      const exported = await readFile(path.join(report, name, 'outgoing.csv'), 'utf8');
      for (const number of setUp.campaigns.find((campaign) => campaign.name === name)!.recipients) expect(exported).toContain(number);
    }
    const summary = await readFile(path.join(report, 'summary.md'), 'utf8');
    for (const campaign of setUp.campaigns) expect(summary).toContain(campaign.name);
  });

  it('a second apply creates nothing: the batches are there', async () => {
    const before = creations();
    const run = await cli(['apply', '--json', '--out', 'again', '--overlap-guard', '1'], env);
    expect(run.code, run.stderr).toBe(0);
    const output = JSON.parse(run.stdout) as ApplyJson;
    expect(Object.keys(output).sort()).toEqual(['plan', 'reportDir', 'results']);
    expect(output.reportDir).toBe(path.join(setUp.workspace, 'again'));
    expect(output.plan!.totals.create).toBe(0);
    const actions = Object.fromEntries(output.plan!.campaigns.map((entry) => [entry.name, entry.action]));
    expect(actions).toEqual({ [IMMEDIATE[0]!]: 'none', [IMMEDIATE[1]!]: 'none', [DEFERRED]: 'wait' });
    expect(output.results).toMatchObject({ version: 1, service: 'sms-sandbox-1', created: 0, ok: true });
    expect(output.results!.campaigns.every((result) => !result.created)).toBe(true);
    expect(JSON.parse(await readFile(path.join(setUp.workspace, 'again', 'results.json'), 'utf8'))).toEqual(output.results);
    expect(creations()).toBe(before);
    expect(sandbox.batches()).toHaveLength(3);
  });

  it('status lists the batches; status <name> only that one (or none)', async () => {
    const [all, one, json, unknown] = await Promise.all([
      cli(['status'], env),
      cli(['status', IMMEDIATE[1]!], env),
      cli(['status', '--json'], env),
      cli(['status', 'never-sent'], env),
    ]);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/^Batches on OVH SMS service sms-sandbox-1:$/m);
    for (const batch of sandbox.batches()) expect(all.stdout).toMatch(new RegExp(`^ {2}\\S+ +${batch.name} {2}${batch.id} `, 'm'));
    expect(one.code).toBe(0);
    const lines = one.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(new RegExp(`^ {2}COMPLETED +${IMMEDIATE[1]} .* sent 3,`));
    expect(unknown.code).toBe(0);
    expect(unknown.stdout.trim()).toBe('Batches on OVH SMS service sms-sandbox-1 named never-sent: none.');

    expect(json.code).toBe(0);
    const status = JSON.parse(json.stdout) as StatusJson;
    expect(status.service).toBe('sms-sandbox-1');
    expect(status.batches.map((batch) => batch.id).sort()).toEqual(
      sandbox
        .batches()
        .map((batch) => batch.id)
        .sort(),
    );
    const notice = status.batches.find((batch) => batch.name === IMMEDIATE[1])!;
    expect(notice).toMatchObject({ status: 'COMPLETED', from: 'MaisonLum', recipients: 3, receiverErrors: 0, statistics: { sent: 3 } });
    expect(notice).not.toHaveProperty('receivers');
  });

  it("a wrong secret exits 1 with OVH's message, no stack trace", async () => {
    const run = await cli(['plan'], { ...env, OVH_APPLICATION_SECRET: 'not-the-secret' });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^sms-campaigns: .*Invalid signature$/m);
  });
});

describe('an account with several SMS services', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ services: ['sms-a-1', 'sms-b-1'] });
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('without OVH_SMS_SERVICE_NAME exits 2 listing them; with it, uses that one', async () => {
    const env = await accountEnv(sandbox);
    const [unchosen, chosen] = await Promise.all([
      cli(['plan', '--out', 'unchosen'], env),
      cli(['plan', '--json', '--out', 'chosen'], { ...env, OVH_SMS_SERVICE_NAME: 'sms-b-1' }),
    ]);
    expect(unchosen.code).toBe(2);
    expect(unchosen.stdout).toBe('');
    expect(unchosen.stderr).toMatch(/sms-a-1, sms-b-1.*OVH_SMS_SERVICE_NAME/);
    expect(chosen.code, chosen.stderr).toBe(0);
    expect((JSON.parse(chosen.stdout) as PlanJson).service).toBe('sms-b-1');
  });
});

describe('apply --no-wait', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ batchDurationMs: 60_000 });
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('creates and returns at once, saying the batch is still running', async () => {
    const started = Date.now();
    const run = await cli(['apply', '--no-wait', '--out', 'no-wait', 'campaigns/delivery-notice.yml'], await accountEnv(sandbox));
    expect(run.code, run.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(run.stdout).toMatch(/^ {2}running +delivery-notice-2026-11-26 batch /m);
    expect(run.stdout).toContain('1 batch created. Not waited for: 1 still running');
    expect(sandbox.batches().map((batch) => batch.status)).toEqual(['PENDING']);
  });
});
