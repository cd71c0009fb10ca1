import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTestBatchName } from '../../src/plan/index.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { buildCliFromSource, expectCleanOutput, runCli, type CliRun, sandboxAccountEnv } from './run-cli.js';

// `sms-campaigns test` as a user runs it against an account (the simulator over HTTPS), its test list in a CSV file.
const AUDIENCE = ['+33612345678', '+33612345679'];
const TESTERS = ['+33611111111', '+33622222222'];

let scratch: string;
let script: string;
let workspace: string;
let sandbox: Sandbox;
let env: Record<string, string>;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'sms-cli-test-'));
  script = await buildCliFromSource(scratch);
  workspace = path.join(scratch, 'repo');
  await mkdir(path.join(workspace, 'campaigns', 'lists'), { recursive: true });
  await writeFile(path.join(workspace, 'campaigns', 'lists', 'testers.csv'), `name;phone\nAnn;${TESTERS[0]}\nBob;${TESTERS[1]}\n`);
  await writeFile(
    path.join(workspace, 'campaigns', 'promo.yml'),
    `name: promo
type: marketing
from: SHOP
message: Winter sale, -20% this weekend.
to: ["${AUDIENCE[0]}", "${AUDIENCE[1]}"]
testRecipients:
  - file: lists/testers.csv
`,
  );
  sandbox = await startSandbox({ batchDurationMs: 150 });
  env = await sandboxAccountEnv(sandbox, scratch);
});

afterAll(async () => {
  await sandbox?.stop();
  await rm(scratch, { recursive: true, force: true });
});

async function cli(args: string[]): Promise<CliRun> {
  const run = await runCli(args, { script, cwd: workspace, env });
  expectCleanOutput(run, [...AUDIENCE, ...TESTERS]);
  return run;
}

describe('sms-campaigns test with a CSV test list', () => {
  it('sends the exact message to the numbers of the CSV once, as a test batch apart from the campaign', async () => {
    const first = await cli(['test']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^ {2}sent {9}promo: 2 test number\(s\), batch "promo \[test [0-9a-f]{12}\]"/m);
    const batches = sandbox.batches();
    expect(batches).toHaveLength(1);
    expect(isTestBatchName(batches[0]!.name)).toBe(true);
    expect([...batches[0]!.receivers!].sort()).toEqual(TESTERS);
    expect(batches[0]!.message).toBe('Winter sale, -20% this weekend.');

    const again = await cli(['test']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^ {2}unchanged {4}promo: already tested/m);
    expect(sandbox.batches()).toHaveLength(1);

    const plan = await cli(['plan', '--json']);
    expect(JSON.parse(plan.stdout)).toMatchObject({ campaigns: [{ name: 'promo', action: 'create', recipients: 2 }] });
  });
});
