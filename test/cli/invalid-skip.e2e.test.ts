import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplyJson } from '../../src/cli/index.js';
import type { PlanJson } from '../../src/plan/types.js';
import { cliWithFiles, expectCleanOutput, runCli, type CliSetUp } from './run-cli.js';

// `invalidNumbers: skip` end to end: the CLI on a list with bad rows, applied on the built-in simulator.
let setUp: CliSetUp;

const VALID = ['+33612345601', '+33612345602', '+33612345603'];
// Quoted cells, a `;` inside one, CRLF, a BOM: the list as a spreadsheet saves it.
const LIST =
  '\uFEFF"name";"number";"note"\r\n' +
  '"Ann";"06 12 34 56 01";""\r\n' +
  '"Bob";"07 12 34 56 78";"not allocated"\r\n' +
  '"Cid";"+33 6 12 34 56 02";"a; b"\r\n' +
  '"Dan";"";"no number"\r\n' +
  '"Eve";"06 12 34 O5 03";"a letter O"\r\n' +
  '"Fay";"0612345603";""\r\n';

function campaign(invalidNumbers: string | null, list = '../lists/customers.csv'): string {
  return [
    'name: skip-test',
    'type: transactional',
    'from: MYSHOP',
    'message: Your order has shipped.',
    'noStop: true',
    'country: FR',
    ...(invalidNumbers === null ? [] : [`invalidNumbers: ${invalidNumbers}`]),
    'recipients:',
    `  - file: ${list}`,
    '',
  ].join('\n');
}

beforeAll(async () => {
  setUp = await cliWithFiles('sms-cli-skip-', {
    'campaigns/skip-test.yml': campaign(null),
    'lists/customers.csv': LIST,
    'lists/all-bad.csv': 'number\n0712345678\n0812\n',
  });
});

afterAll(async () => {
  await setUp?.remove();
});

async function cli(args: string[], yaml: string) {
  await writeFile(path.join(setUp.workspace, 'campaigns', 'skip-test.yml'), yaml);
  const run = await runCli(args, { script: setUp.script, cwd: setUp.workspace });
  expectCleanOutput(run, [...VALID, '+33712345678', '0712345678', '0612345603']);
  return run;
}

describe('invalidNumbers: skip', () => {
  it('by default an invalid number is an error and nothing is planned', async () => {
    const run = await cli(['validate', '--json'], campaign(null));
    expect(run.code).toBe(1);
    const plan = JSON.parse(run.stdout) as PlanJson;
    expect(plan.campaigns[0]!.action).toBe('invalid');
    expect(plan.campaigns[0]!.errors.map((error) => `${error.file}:${error.line}: ${error.message}`)).toEqual([
      'lists/customers.csv:5: row 5 has no number in column `number`',
      'lists/customers.csv:3: invalid phone number • ••• ••• •78: not a valid phone number for FR',
      'lists/customers.csv:6: invalid phone number ••• ••• •03: text beside the number (an extension, a note): write the number alone',
    ]);
  });

  it('apply sends to the valid numbers only, counts and warns about the others, and lists them in rejected.csv', async () => {
    const run = await cli(['apply', '--sandbox', '--json', '--out', 'report', '--overlap-guard', '0'], campaign('skip'));
    expect(run.code, run.stderr).toBe(0);
    const { plan, results } = JSON.parse(run.stdout) as ApplyJson & { plan: PlanJson };
    const entry = plan.campaigns[0]!;
    expect(entry).toMatchObject({ action: 'create', recipients: 3, invalidSkipped: 3, errors: [] });
    expect(entry.warnings).toEqual([
      {
        file: 'campaigns/skip-test.yml',
        line: 7,
        column: 17,
        field: 'invalidNumbers',
        message:
          '3 invalid numbers skipped (`invalidNumbers: skip`): lists/customers.csv row 3: • ••• ••• •78 (not a valid phone number for FR); ' +
          'lists/customers.csv row 5 (row 5 has no number in column `number`); lists/customers.csv row 6: ••• ••• •03 (text beside the number (an extension, a note): write the number alone); ' +
          "rejected.csv in the campaign's report folder lists them all",
      },
    ]);
    expect(results?.campaigns[0]).toMatchObject({ name: 'skip-test', status: 'COMPLETED' });

    const report = path.join(setUp.workspace, 'report');
    expect(await readFile(path.join(report, 'skip-test', 'rejected.csv'), 'utf8')).toBe(
      'source,row,reason,number\r\n' +
        'lists/customers.csv,3,not a valid phone number for FR,07 12 34 56 78\r\n' +
        'lists/customers.csv,5,row 5 has no number in column `number`,\r\n' +
        'lists/customers.csv,6,"text beside the number (an extension, a note): write the number alone",06 12 34 O5 03\r\n',
    );
    const planJson = JSON.parse(await readFile(path.join(report, 'plan.json'), 'utf8')) as PlanJson;
    expect(planJson.campaigns[0]!.invalidSkipped).toBe(3);
    // What OVH sent, from its export: exactly the valid numbers.
    const exported = await readFile(path.join(report, 'skip-test', 'outgoing.csv'), 'utf8');
    const receivers = [...exported.matchAll(/\+?\d{11,}/g)].map((match) => `+${match[0].replace(/^\+/, '')}`);
    expect(new Set(receivers)).toEqual(new Set(VALID));
  });

  it('a campaign left with no valid number is an error', async () => {
    const run = await cli(['validate', '--json'], campaign('skip', '../lists/all-bad.csv'));
    expect(run.code).toBe(1);
    const entry = (JSON.parse(run.stdout) as PlanJson).campaigns[0]!;
    expect(entry.action).toBe('invalid');
    expect(entry.errors).toEqual([
      expect.objectContaining({ field: 'invalidNumbers', message: 'no valid number left: all 2 were invalid and skipped' }),
    ]);
  });
});
