import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { parseWorkflowCommands } from '../support/runner.js';
import { cliWithFiles, runCli, sandboxAccountEnv, type CliSetUp } from './run-cli.js';

// The CLI in a workflow `run:` step: the runner reads its stdout and stderr for workflow commands, so an OVH error
// holding `\n::add-mask::x` must come out as text.
const HOSTILE = 'Invalid receiver\n::add-mask::x\n::error::forged by the API\r##[add-mask]y';

let setUp: CliSetUp;
let sandbox: Sandbox;
let env: Record<string, string>;

beforeAll(async () => {
  setUp = await cliWithFiles('sms-cli-commands-', {
    'campaigns/notice.yml': `name: notice
type: transactional
from: ACME
noStop: true
message: Your order has shipped.
to: ["+33612345601"]
`,
  });
  sandbox = await startSandbox({
    batchDurationMs: 150,
    faults: [{ method: 'POST', path: /\/batches$/, kind: 'status', status: 400, message: HOSTILE, times: 10 }],
  });
  env = await sandboxAccountEnv(sandbox, setUp.scratch);
});

afterAll(async () => {
  await sandbox?.stop();
  await setUp?.remove();
});

const commandLines = (text: string) => text.split(/\r\n|\r|\n/).filter((line) => /^\s*(::|##\[)/.test(line));

describe('the CLI under GitHub Actions', () => {
  it('prints an OVH error with workflow commands in it as escaped text, never as commands', async () => {
    const run = await runCli(['apply', '--overlap-guard', '0'], {
      script: setUp.script,
      cwd: setUp.workspace,
      env: { ...env, GITHUB_ACTIONS: 'true' },
    });
    expect(run.code, run.stderr).toBe(1);
    for (const stream of [run.stdout, run.stderr]) {
      expect(commandLines(stream)).toEqual([]);
      expect(parseWorkflowCommands(stream)).toEqual([]);
    }
    // A progress line is one line, as the action logs it; the multi-line results escape only the lines at risk.
    expect(run.stderr).toContain('Invalid receiver%0A::add-mask::x%0A::error::forged by the API%0D##[add-mask]y');
    expect(run.stdout).toMatch(/^%3A:add-mask::x$/m);
    expect(run.stdout).toMatch(/^Plan: 1 to create/m);
  });

  it('outside GitHub Actions prints the text as OVH sent it', async () => {
    const run = await runCli(['apply', '--overlap-guard', '0'], { script: setUp.script, cwd: setUp.workspace, env });
    expect(run.code, run.stderr).toBe(1);
    expect(commandLines(run.stderr + run.stdout)).toContain('::add-mask::x');
  });
});
