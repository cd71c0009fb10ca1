import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTestBatchName } from '../../src/plan/index.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { cliWithFiles, expectCleanOutput, runCli, type CliRun, type CliSetUp, sandboxAccountEnv } from './run-cli.js';

// `sms-campaigns test` as a user runs it against an account (the simulator over HTTPS), its test list in a CSV file.
const AUDIENCE = ['+33612345678', '+33612345679'];
const TESTERS = ['+33611111111', '+33622222222'];

let setUp: CliSetUp;
let sandbox: Sandbox;
let env: Record<string, string>;

beforeAll(async () => {
  setUp = await cliWithFiles('sms-cli-test-', {
    'campaigns/lists/testers.csv': `name;phone\nAnn;${TESTERS[0]}\nBob;${TESTERS[1]}\n`,
    'campaigns/promo.yml': `name: promo
type: marketing
from: SHOP
message: Winter sale, -20% this weekend.
to: ["${AUDIENCE[0]}", "${AUDIENCE[1]}"]
testRecipients:
  - file: lists/testers.csv
`,
  });
  sandbox = await startSandbox({ batchDurationMs: 150 });
  env = await sandboxAccountEnv(sandbox, setUp.scratch);
});

afterAll(async () => {
  await sandbox?.stop();
  await setUp?.remove();
});

async function cli(args: string[]): Promise<CliRun> {
  const run = await runCli(args, { script: setUp.script, cwd: setUp.workspace, env });
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
