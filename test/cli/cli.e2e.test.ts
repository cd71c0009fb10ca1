import { cp, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../../src/campaign/index.js';
import type { PlanJson } from '../../src/plan/types.js';
import { CAMPAIGN_KEYS, PLAN_KEYS, PROBLEM_KEYS } from '../support/plan-json-contract.js';
import { REPO_ROOT } from '../support/runner.js';
import {
  exampleWorkspace,
  expectCleanOutput,
  listFiles,
  runCli,
  type CliCall,
  type CliRun,
  cliWithExamples,
  type ExamplesSetUp,
} from './run-cli.js';

const BAD_CORPUS = path.join(REPO_ROOT, 'test', 'fixtures', 'bad');
// The corpus's env source: entry 2 is invalid on purpose, the valid ones must not be printed.
const CORPUS_ENV = { SMS_TEST_NUMBERS: '+33612345601, 0612, +33612345602' };

/**
 * The error lines validate prints for each corpus file alone, up to the message: `file[:line[:column]]: error: [field: ]`.
 * Whole-file problems (empty, not UTF-8, binary CSV) have no position, a CSV row has a line and no column.
 */
const CORPUS: Record<string, string[]> = {
  'bad-from.yml': ['bad-from.yml:3:7: error: from: '],
  'bad-max-parts.yml': ['bad-max-parts.yml:6:11: error: maxParts: '],
  'bad-name.yml': ['bad-name.yml:1:7: error: name: '],
  'bad-recipient-source.yml': [
    'bad-recipient-source.yml:7:5: error: recipients[0].sheet: ',
    'bad-recipient-source.yml:8:5: error: recipients[1]: ',
    'bad-recipient-source.yml:10:5: error: recipients[2]: ',
  ],
  'bad-type.yml': ['bad-type.yml:2:7: error: type: '],
  'comment-only.yml': ['comment-only.yml: error: the file is empty'],
  'csv-binary.yml': ['lists/binary.csv: error: recipients[0].file: '],
  'csv-invalid-number.yml': ['lists/invalid-number.csv:3: error: recipients[0].file: '],
  'csv-missing.yml': ['csv-missing.yml:6:11: error: recipients[0].file: '],
  'csv-no-number-column.yml': ['lists/no-number-column.csv:1: error: recipients[0].file: '],
  'csv-outside-repository.yml': ['csv-outside-repository.yml:6:11: error: recipients[0].file: '],
  'deferred-without-offset.yml': ['deferred-without-offset.yml:6:11: error: deferred: '],
  'duplicate-key.yml': ['duplicate-key.yml:5:1: error: invalid YAML'],
  'empty.yml': ['empty.yml: error: the file is empty'],
  'env-invalid-number.yml': ['env-invalid-number.yml:6:10: error: recipients[0].env: '],
  'env-unset.yml': ['env-unset.yml:6:10: error: recipients[0].env: '],
  'gsm7-needs-ucs2.yml': ['gsm7-needs-ucs2.yml:5:10: error: message: '],
  'malformed-yaml.yml': ['malformed-yaml.yml:4:1: error: invalid YAML'],
  'marketing-no-stop.yml': ['marketing-no-stop.yml:6:9: error: noStop: '],
  'missing-message.yml': ['missing-message.yml:1:1: error: message: '],
  'missing-sender.yml': ['missing-sender.yml:1:1: error: from: '],
  'national-without-country.yml': ['national-without-country.yml:5:6: error: to[0]: '],
  'no-recipients.yml': ['no-recipients.yml:1:1: error: to: '],
  'not-a-mapping.yml': ['not-a-mapping.yml:1:1: error: a campaign file must be a YAML mapping'],
  'not-utf8.yml': ['not-utf8.yml: error: the file is not valid UTF-8'],
  'several-documents.yml': ['several-documents.yml:6:1: error: the file holds 2 YAML documents'],
  'short-code-url.yml': ['short-code-url.yml:4:10: error: message: '],
  'to-invalid-number.yml': ['to-invalid-number.yml:7:5: error: to[1]: '],
  'to-not-a-string.yml': ['to-not-a-string.yml:8:5: error: to[2]: '],
  'too-many-parts.yml': ['too-many-parts.yml:5:10: error: message: '],
  'unknown-country.yml': ['unknown-country.yml:5:10: error: country: '],
  'unknown-field.yml': ['unknown-field.yml:6:1: error: nostop: '],
};
// Valid alone; their problem is each other (tested together below).
const DUPLICATE_NAMES = ['duplicate-name-a.yml', 'duplicate-name-b.yml'];
// Recipients the corpus gives in full (valid or not): none may reach the terminal.
const CORPUS_NUMBERS = ['+33612345601', '+33612345602', '+33712345678'];

const PROBLEM_LINE = /^(?<file>[^\s:]+)(?::(?<line>\d+)(?::(?<column>\d+))?)?: (?<severity>error|warning): (?<rest>.+)$/;

function problemLines(output: string, severity: 'error' | 'warning'): string[] {
  return output.split('\n').filter((line) => PROBLEM_LINE.exec(line)?.groups?.['severity'] === severity);
}

function parseJson<T>(run: CliRun): T {
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as T;
}

let setUp: ExamplesSetUp;
let corpus: string;
let numbers: string[];

async function cli(args: string[], call: Partial<CliCall> = {}): Promise<CliRun> {
  const run = await runCli(args, { script: setUp.script, cwd: setUp.workspace, ...call });
  expectCleanOutput(run, numbers);
  return run;
}

beforeAll(async () => {
  setUp = await cliWithExamples('sms-cli-build-');
  numbers = [...setUp.numbers, ...CORPUS_NUMBERS];
  corpus = await mkdtemp(path.join(tmpdir(), 'sms-cli-bad-'));
  await cp(BAD_CORPUS, corpus, { recursive: true });
});

afterAll(async () => {
  await setUp?.remove();
  await rm(corpus, { recursive: true, force: true });
});

describe.concurrent('validate', () => {
  it('accepts the example campaigns, with the UCS-2 warning at its position', async () => {
    const run = await cli(['validate']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('3 campaigns valid, 0 invalid.');
    expect(problemLines(run.stdout, 'error')).toEqual([]);
    expect(problemLines(run.stdout, 'warning')).toEqual([
      expect.stringMatching(/^campaigns\/new-year-greetings\.yml:\d+:\d+: warning: message: .*UCS-2.*“œ”/),
    ]);
  });

  it('has an expectation for every file of the bad-input corpus', async () => {
    const files = (await readdir(BAD_CORPUS)).filter((file) => file.endsWith('.yml'));
    expect(files.sort()).toEqual([...Object.keys(CORPUS), ...DUPLICATE_NAMES].sort());
  });

  it.each(Object.entries(CORPUS))('refuses %s alone: exit 1, every problem at file:line:column, no stack trace', async (file, expected) => {
    const run = await cli(['validate', file], { cwd: corpus, env: CORPUS_ENV });
    expect(run.code).toBe(1);
    const errors = problemLines(run.stdout, 'error');
    expect(errors).toHaveLength(expected.length);
    errors.forEach((line, index) => {
      expect(line.startsWith(expected[index]!), `${line}\ndoes not start with\n${expected[index]}`).toBe(true);
    });
    expect(run.stdout.trim().split('\n').at(-1)).toBe('0 campaigns valid, 1 invalid.');
    expect(run.stderr).toBe('');
  });

  it('refuses two files with the same name, on each one, naming the other', async () => {
    const run = await cli(['validate', ...DUPLICATE_NAMES], { cwd: corpus });
    expect(run.code).toBe(1);
    expect(problemLines(run.stdout, 'error')).toEqual([
      expect.stringMatching(/^duplicate-name-a\.yml:1:7: error: name: .*also used by duplicate-name-b\.yml/),
      expect.stringMatching(/^duplicate-name-b\.yml:2:7: error: name: .*also used by duplicate-name-a\.yml/),
    ]);
  });

  it('refuses a pattern that matches no file', async () => {
    const run = await cli(['validate', 'nowhere/*.yml']);
    expect(run.code).toBe(1);
    expect(problemLines(run.stdout, 'error')).toEqual(['nowhere/*.yml: error: no campaign file matches `nowhere/*.yml`']);
  });
});

/** Contract §4, key by key, and the numbers against the campaigns as the library reads them. */
function expectContractPlan(plan: PlanJson, examples: Campaign[]): void {
  expect(Object.keys(plan).sort()).toEqual([...PLAN_KEYS].sort());
  expect(plan.version).toBe(1);
  expect(plan.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  expect(plan.service).toBeNull();
  expect(plan.offline).toBe(true);
  expect(plan.unmanaged).toEqual([]);
  expect(plan.campaigns).toHaveLength(examples.length);
  for (const entry of plan.campaigns) {
    expect(Object.keys(entry).sort()).toEqual([...CAMPAIGN_KEYS].sort());
    const campaign = examples.find((example) => example.name === entry.name);
    expect(campaign, `${entry.name} is not an example campaign`).toBeDefined();
    expect(entry).toMatchObject({
      file: campaign!.file,
      action: 'create',
      batchId: null,
      remoteStatus: null,
      recipients: campaign!.recipients.length,
      duplicatesRemoved: campaign!.duplicatesRemoved,
      invalidSkipped: 0,
      deferred: campaign!.deferred ?? null,
      errors: [],
    });
    expect(entry.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(['GSM-7', 'UCS-2']).toContain(entry.encoding);
    expect(entry.characters).toBeGreaterThan(campaign!.message.length / 2);
    expect(Number.isInteger(entry.characters)).toBe(true);
    expect(entry.parts).toBeGreaterThanOrEqual(1);
    expect(Number.isInteger(entry.parts)).toBe(true);
    expect(entry.estimatedCredits).toBe(entry.parts! * entry.recipients!);
    expect(Array.isArray(entry.nonGsmCharacters)).toBe(true);
    expect(entry.nonGsmCharacters.length > 0).toBe(entry.encoding === 'UCS-2');
    for (const warning of entry.warnings) {
      expect(Object.keys(warning).sort()).toEqual([...PROBLEM_KEYS].sort());
      expect(warning.file).toBe(campaign!.file);
      expect(typeof warning.message).toBe('string');
    }
  }
  expect(plan.totals).toEqual({
    create: examples.length,
    recipients: examples.reduce((sum, campaign) => sum + campaign.recipients.length, 0),
    estimatedCredits: plan.campaigns.reduce((sum, entry) => sum + entry.parts! * entry.recipients!, 0),
  });
}

describe.concurrent('plan', () => {
  it('plan --offline --json prints the contract plan, with the same digest every time', async () => {
    const [first, second] = await Promise.all([
      cli(['plan', '--offline', '--json']),
      cli(['plan', '--offline', '--json', '--out', 'second-report']),
    ]);
    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    const plan = parseJson<PlanJson>(first);
    expectContractPlan(plan, setUp.campaigns);
    expect(parseJson<PlanJson>(second).digest).toBe(plan.digest);
    expect(JSON.parse(await readFile(path.join(setUp.workspace, 'second-report', 'plan.json'), 'utf8'))).toEqual(plan);
  });

  it('without credentials plans offline and says so on stderr', async () => {
    const run = await cli(['plan', '--out', 'no-credentials']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Plan \(offline/);
    expect(run.stdout).toContain('Plan: 3 to create');
    expect(run.stderr).toMatch(/offline: no OVH credentials/i);
  });

  it('with partial credentials exits 2 naming the missing variables', async () => {
    const run = await cli(['plan'], { env: { OVH_APPLICATION_KEY: 'only-the-key' } });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('OVH_APPLICATION_SECRET');
    expect(run.stderr).toContain('OVH_CONSUMER_KEY');
    expect(run.stderr).not.toContain('only-the-key');
  });

  it.each([
    [['plan', '--bogus'], /Unknown option '--bogus'/],
    [['deploy'], /unknown command `deploy`/],
    [['plan', '--max-credits', 'many'], /--max-credits wants a non-negative number/],
    [[], /missing command/],
  ])('exits 2 with the usage for %j', async (args, reason) => {
    const run = await cli(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(reason);
    expect(run.stderr).toContain('Usage: sms-campaigns <command>');
  });

  it.each([['apply'], ['status']])('%s without credentials exits 2 naming the variables, and prints no result', async (command) => {
    const run = await cli([command]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/OVH_APPLICATION_KEY.*--sandbox/s);
  });
});

describe('apply --sandbox', () => {
  it('applies the examples on the built-in simulator and writes the report folder', async () => {
    const dir = await exampleWorkspace();
    try {
      const run = await runCli(['apply', '--sandbox', '--overlap-guard', '1'], { script: setUp.script, cwd: dir });
      expectCleanOutput(run, numbers);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain('built-in OVH SMS API simulator');
      expect(run.stdout).toMatch(/^ {2}completed +black-friday-2026 batch \S+ sent 19,/m);
      expect(run.stdout).toMatch(/^ {2}completed +delivery-notice-2026-11-26 batch \S+ sent 3,/m);
      expect(run.stdout).toMatch(/^ {2}scheduled +new-year-greetings-2027 batch /m);
      expect(run.stdout).toContain('3 batches created. All done.');
      expect(await listFiles(path.join(dir, 'sms-campaign-report'))).toEqual([
        'black-friday-2026/outgoing.csv',
        'black-friday-2026/statistics.json',
        'delivery-notice-2026-11-26/outgoing.csv',
        'delivery-notice-2026-11-26/statistics.json',
        'plan.json',
        'results.json',
        'summary.md',
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
