import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  binIsFresh,
  buildCliFromSource,
  CLI_BIN,
  exampleCampaigns,
  exampleWorkspace,
  expectCleanOutput,
  recipientsOf,
  runCli,
} from './run-cli.js';

let scratch: string;
let script: string;
let workspace: string;
let numbers: string[];

// Not rebuilt here: test/e2e rebuilds dist/ when stale, and two builds at once would delete each other's output.
const fresh = await binIsFresh();
if (!fresh) console.warn('test/cli/bin.e2e.test.ts: dist/cli/index.js is older than src/, skipped (npm run build)');

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'sms-cli-build-'));
  script = await buildCliFromSource(scratch);
  workspace = await exampleWorkspace();
  numbers = recipientsOf(await exampleCampaigns(workspace));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
  await rm(workspace, { recursive: true, force: true });
});

// One smoke test of the package bin (what `npx sms-campaigns` runs); the behaviour is tested on the source.
describe.skipIf(!fresh)('the package bin (dist/cli/index.js)', () => {
  it('plans the examples exactly like the source', async () => {
    const [bundled, source] = await Promise.all([
      runCli(['plan', '--offline', '--json', '--out', 'bin-report'], { script: CLI_BIN, cwd: workspace }),
      runCli(['plan', '--offline', '--json', '--out', 'source-report'], { script, cwd: workspace }),
    ]);
    for (const run of [bundled, source]) {
      expectCleanOutput(run, numbers);
      expect(run.code, run.stderr).toBe(0);
    }
    expect(JSON.parse(bundled.stdout)).toEqual(JSON.parse(source.stdout));
  });

  it('prints the usage and exits 2 on a bad option', async () => {
    const run = await runCli(['validate', '--no-such-option'], { script: CLI_BIN, cwd: workspace });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Usage: sms-campaigns <command>');
  });
});
