import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSmsService } from '../../src/ovh/index.js';
import { isTestBatchName } from '../../src/plan/index.js';
import { textBar } from '../../src/report/index.js';
import { sandboxSettings, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { ensureBuilt } from '../support/build.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { runAction, type ActionRun } from '../support/runner.js';

// dist/index.js with `command: test` and `command: status`, as a workflow_dispatch or scheduled workflow runs them.
const AUDIENCE = ['+33612345601', '+33612345602'];
const TESTERS = ['+33611111101', '+33622222202'];

let sandbox: Sandbox;
/** The simulator's clock: delivery receipts arrive when the test moves it, not with the wall clock. */
let clock = Date.now();
let github: FakeGitHub;
let scratch: string;
let workspace: string;
let caFile: string;

beforeAll(async () => {
  await ensureBuilt();
  sandbox = await startSandbox({ batchDurationMs: 1000, now: () => clock });
  github = await startFakeGitHub();
  scratch = await mkdtemp(path.join(tmpdir(), 'sms-e2e-test-status-'));
  caFile = path.join(scratch, 'sandbox-ca.pem');
  await writeFile(caFile, sandbox.ca);
  workspace = path.join(scratch, 'repo');
  await mkdir(path.join(workspace, 'campaigns', 'lists'), { recursive: true });
  await writeFile(path.join(workspace, 'campaigns', 'lists', 'testers.csv'), `phone\n${TESTERS[1]}\n`);
  await writeFile(
    path.join(workspace, 'campaigns', 'order-shipped.yml'),
    `name: order-shipped-e2e
type: transactional
from: ACME
noStop: true
message: Your order has shipped and arrives tomorrow.
to: ["${AUDIENCE[0]}", "${AUDIENCE[1]}"]
testRecipients:
  - "${TESTERS[0]}"
  - file: lists/testers.csv
`,
  );
}, 300_000);

afterAll(async () => {
  await sandbox?.stop();
  await github?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

function run(inputs: Record<string, string>): Promise<ActionRun> {
  return runAction({
    eventName: 'workflow_dispatch',
    payload: {},
    workspaceSource: workspace,
    githubApiUrl: github.url,
    inputs: {
      endpoint: sandbox.url,
      'application-key': sandbox.credentials.applicationKey,
      'application-secret': sandbox.credentials.applicationSecret,
      'consumer-key': sandbox.credentials.consumerKey,
      'artifact-name': '',
      ...inputs,
    },
    extraEnv: { NODE_EXTRA_CA_CERTS: caFile },
  });
}

function expectNoFullNumbers(result: ActionRun): void {
  for (const number of [...AUDIENCE, ...TESTERS]) expect(result.stdout + result.stderr + result.summary).not.toContain(number.slice(3));
}

describe('dist/index.js with command: test', () => {
  it('sends the test batch once per content and reports it in the job summary', async () => {
    const first = await run({ command: 'test' });
    expect(first.exitCode, first.stdout + first.stderr).toBe(0);
    const [batch] = sandbox.batches();
    expect(sandbox.batches()).toHaveLength(1);
    expect(isTestBatchName(batch!.name)).toBe(true);
    expect([...batch!.receivers!].sort()).toEqual(TESTERS);
    expect(first.summary).toContain('## SMS campaigns: test sends');
    expect(first.summary).toContain(
      `- ✅ **order-shipped-e2e**: test sent to 2 number(s) as batch \`${batch!.name.replace(/\[/g, '\\[').replace(/\]/g, '\\]')}\` (${batch!.id}).`,
    );
    expect(first.outputs).toMatchObject({ plan: '', created: '0', batches: '{}' });
    expect(first.outputs['report-dir']).toContain('sms-campaign-report-');
    expectNoFullNumbers(first);

    const again = await run({ command: 'test' });
    expect(again.exitCode, again.stdout + again.stderr).toBe(0);
    expect(again.summary).toMatch(/- ⏭️ \*\*order-shipped-e2e\*\*: this content was already tested .*nothing sent/);
    expect(sandbox.batches()).toHaveLength(1);
  });
});

describe('dist/index.js with command: status', () => {
  it('draws the delivery funnel of the campaigns sent in the period, refreshed once receipts arrive; test batches left out', async () => {
    const api = await connectSmsService(sandboxSettings(sandbox));
    await api.createBatch({
      name: 'order-shipped-e2e',
      message: 'Your order has shipped and arrives tomorrow.',
      from: 'ACME',
      noStop: true,
      to: [...AUDIENCE, '+3361'],
    });
    clock += 1100;

    const before = await run({ command: 'status', since: '1' });
    expect(before.exitCode, before.stdout + before.stderr).toBe(0);
    expect(before.summary).toContain('## SMS campaigns: delivery in the last 1 day(s)');
    expect(before.summary).toContain('order-shipped-e2e');
    expect(before.summary).not.toMatch(/\[test [0-9a-f]{12}\]/);
    expect(before.summary).toContain(`delivered          0  ${textBar(0)}    0.0%`);
    expect(before.summary).toContain(`pending            2  ${textBar(2 / 3)}   66.7%`);
    expect(before.outputs).toMatchObject({ plan: '', created: '0' });
    expectNoFullNumbers(before);

    clock += 1000;
    const after = await run({ command: 'status', since: '1' });
    expect(after.exitCode, after.stdout + after.stderr).toBe(0);
    expect(after.summary).toContain(`delivered          2  ${textBar(2 / 3)}   66.7%`);
    expect(after.summary).toContain(`pending            0  ${textBar(0)}    0.0%`);
    expect(after.summary).toContain(`failed             1  ${textBar(1 / 3)}   33.3%`);
  });

  it('fails the step when the since input is not a number of days', async () => {
    const result = await run({ command: 'status', since: 'soon' });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/::error::.*since/);
  });
});
