import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binIsFresh, CLI_BIN, expectCleanOutput, runCli, cliWithExamples, type ExamplesSetUp } from './run-cli.js';

let setUp: ExamplesSetUp;

// Not rebuilt here: test/e2e rebuilds dist/ when stale, and two builds at once would delete each other's output.
const fresh = await binIsFresh();
if (!fresh) console.warn('test/cli/bin.e2e.test.ts: dist/cli/index.js is older than src/, skipped (npm run build)');

beforeAll(async () => {
  setUp = await cliWithExamples('sms-cli-build-');
});

afterAll(async () => {
  await setUp?.remove();
});

// One smoke test of the package bin (what `npx sms-campaigns` runs); the behaviour is tested on the source.
describe.skipIf(!fresh)('the package bin (dist/cli/index.js)', () => {
  it('plans the examples exactly like the source', async () => {
    const [bundled, source] = await Promise.all([
      runCli(['plan', '--offline', '--json', '--out', 'bin-report'], { script: CLI_BIN, cwd: setUp.workspace }),
      runCli(['plan', '--offline', '--json', '--out', 'source-report'], { script: setUp.script, cwd: setUp.workspace }),
    ]);
    for (const run of [bundled, source]) {
      expectCleanOutput(run, setUp.numbers);
      expect(run.code, run.stderr).toBe(0);
    }
    expect(JSON.parse(bundled.stdout)).toEqual(JSON.parse(source.stdout));
  });

  it('prints the usage and exits 2 on a bad option', async () => {
    const run = await runCli(['validate', '--no-such-option'], { script: CLI_BIN, cwd: setUp.workspace });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Usage: sms-campaigns <command>');
  });
});
