import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCampaigns } from '../../src/campaign/index.js';
import { connectSmsService } from '../../src/ovh/index.js';
import { isTestBatchName, testBatchName } from '../../src/plan/index.js';
import { textBar } from '../../src/report/index.js';
import { sandboxSettings, type SandboxOptions } from '../../src/sandbox/index.js';
import { useSandboxRun } from '../support/sandbox-run.js';

const AUDIENCE = ['+33612345678', '+33612345679'];
const TESTERS = ['+33611111111', '+33622222222'];

const campaignFile = (message: string) => `name: promo
type: marketing
from: SHOP
message: ${message}
to: ["${AUDIENCE[0]}", "${AUDIENCE[1]}"]
testRecipients:
  - "${TESTERS[0]}"
  - env: QA_PHONES
`;

let dir: string | null = null;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = null;
});

const openRepository = useSandboxRun('test-status-');
const world = (files: Record<string, string>, options: SandboxOptions = {}) =>
  openRepository(files, options, { env: { QA_PHONES: TESTERS[1] } });

describe('testRecipients', () => {
  it('reads inline numbers and variables, apart from the audience; a bad one is an error at its line', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'test-recipients-'));
    await writeFile(path.join(dir, 'ok.yml'), campaignFile('Hello'));
    await writeFile(
      path.join(dir, 'bad.yml'),
      campaignFile('Hello').replace('name: promo', 'name: bad').replace(`"${TESTERS[0]}"`, '"+3361"'),
    );
    const [bad, ok] = await loadCampaigns(['*.yml'], { cwd: dir, env: { QA_PHONES: TESTERS[1] } });
    expect(ok).toMatchObject({ valid: true, campaign: { recipients: AUDIENCE, testRecipients: TESTERS } });
    expect(bad).toMatchObject({ valid: false, invalid: { errors: [{ file: 'bad.yml', line: 7, field: 'testRecipients[0]' }] } });
    expect(JSON.stringify(bad)).not.toContain('+3361"');
  });

  it('reads a `{ file }` test list like a recipients list: relative to the campaign file, inside the repository, errors at the CSV row', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'test-recipients-file-'));
    await mkdir(path.join(dir, 'campaigns', 'lists'), { recursive: true });
    await writeFile(
      path.join(dir, 'campaigns', 'lists', 'testers.csv'),
      `name,phone\nAnn,${TESTERS[0]}\nBob,${TESTERS[1]}\nAnn again,${TESTERS[0]}\n`,
    );
    await writeFile(path.join(dir, 'campaigns', 'lists', 'broken.csv'), `phone\n${TESTERS[0]}\n+3361\n`);
    const withList = (name: string, list: string) =>
      campaignFile('Hello')
        .replace('name: promo', `name: ${name}`)
        .replace(/testRecipients:[\s\S]*$/, `testRecipients:\n  - file: ${list}\n`);
    await writeFile(path.join(dir, 'campaigns', 'ok.yml'), withList('ok', 'lists/testers.csv'));
    await writeFile(path.join(dir, 'campaigns', 'broken.yml'), withList('broken', 'lists/broken.csv'));
    await writeFile(path.join(dir, 'campaigns', 'missing.yml'), withList('missing', 'lists/none.csv'));
    await writeFile(path.join(dir, 'campaigns', 'outside.yml'), withList('outside', '../../elsewhere.csv'));
    const [broken, missing, ok, outside] = await loadCampaigns(['campaigns/*.yml'], { cwd: dir, env: {} });

    expect(ok).toMatchObject({ valid: true, campaign: { recipients: AUDIENCE, testRecipients: TESTERS } });
    expect(broken).toMatchObject({
      valid: false,
      invalid: {
        errors: [
          {
            file: 'campaigns/lists/broken.csv',
            line: 3,
            field: 'testRecipients[0].file',
            message: expect.stringMatching(/^invalid phone number/),
          },
        ],
      },
    });
    expect(missing).toMatchObject({
      valid: false,
      invalid: {
        errors: [
          {
            file: 'campaigns/missing.yml',
            line: 7,
            field: 'testRecipients[0].file',
            message: 'CSV file not found: campaigns/lists/none.csv',
          },
        ],
      },
    });
    expect(outside).toMatchObject({
      valid: false,
      invalid: {
        errors: [
          {
            file: 'campaigns/outside.yml',
            field: 'testRecipients[0].file',
            message: expect.stringContaining('points outside the repository'),
          },
        ],
      },
    });
  });

  it('names a test batch after the campaign and its content, never like a campaign', () => {
    const base = { name: 'promo', from: 'SHOP', senderForResponse: false, message: 'Hello', noStop: false, testRecipients: TESTERS };
    expect(testBatchName(base)).toMatch(/^promo \[test [0-9a-f]{12}\]$/);
    expect(testBatchName({ ...base, testRecipients: [...TESTERS].reverse() })).toBe(testBatchName(base));
    expect(testBatchName({ ...base, message: 'Hello!' })).not.toBe(testBatchName(base));
    expect(isTestBatchName(testBatchName(base))).toBe(true);
    expect(isTestBatchName('promo')).toBe(false);
  });
});

describe('the test command', () => {
  it('sends a separate batch once per content, never taken for the campaign', async () => {
    const { run, write, sandbox, dir } = await world({ 'promo.yml': campaignFile('Winter sale, -20% this weekend.') });

    const first = await run('test');
    expect(first.exitCode).toBe(0);
    expect(first.tests).toMatchObject([{ kind: 'sent', campaign: 'promo', recipients: 2 }]);
    const [testBatch] = sandbox.batches();
    expect(isTestBatchName(testBatch!.name)).toBe(true);
    expect(testBatch!.receivers!.sort()).toEqual([...TESTERS].sort());
    expect(testBatch!.message).toBe('Winter sale, -20% this weekend.');

    const again = await run('test');
    expect(again.tests).toMatchObject([{ kind: 'already-tested', batchId: testBatch!.id }]);
    expect(sandbox.batches()).toHaveLength(1);

    const plan = await run('plan');
    expect(plan.planJson!.campaigns[0]).toMatchObject({ action: 'create', recipients: 2 });
    expect(plan.planJson!.unmanaged).toEqual([]);

    await write('promo.yml', campaignFile('Winter sale, -25% this weekend.'));
    const edited = await run('test');
    expect(edited.tests).toMatchObject([{ kind: 'sent' }]);
    expect(sandbox.batches()).toHaveLength(2);
    expect(await readFile(path.join(dir, 'report', 'summary.md'), 'utf8')).toContain('test sent to 2 number(s)');

    const applied = await run('apply');
    expect(applied.exitCode).toBe(0);
    const campaignBatches = sandbox.batches().filter((batch) => batch.name === 'promo');
    expect(campaignBatches).toHaveLength(1);
    expect(campaignBatches[0]!.receivers!.sort()).toEqual(AUDIENCE);
  });

  it('fails (exit 1) when OVH refuses the test, and names the invalid campaigns it could not test', async () => {
    const { run, sandbox } = await world({
      'promo.yml': campaignFile('Hello').replace('from: SHOP', 'from: SPAMSHOP'),
      'bad.yml': 'name: bad\n',
    });
    const outcome = await run('test');
    expect(outcome.exitCode).toBe(1);
    expect(outcome.tests).toMatchObject([{ kind: 'failed', message: expect.stringContaining('SPAMSHOP') }]);
    expect(outcome.message).toContain('1 campaign file(s) are invalid');
    expect(sandbox.batches()).toHaveLength(0);
  });

  it('without credentials exits 2', async () => {
    const { run } = await world({ 'promo.yml': campaignFile('Hello') });
    expect((await run('test', { ovh: null })).exitCode).toBe(2);
  });
});

describe('status --since', () => {
  it('refreshes the funnel of the campaigns sent in the period once delivery receipts arrive', async () => {
    let clock = Date.now();
    const { run, sandbox, dir } = await world({}, { now: () => clock, batchDurationMs: 1000 });
    const settings = sandboxSettings(sandbox);
    const api = await connectSmsService(settings);
    await api.createBatch({ name: 'old-news', message: 'Old', from: 'SHOP', to: [AUDIENCE[0]!] });
    clock += 3 * 86_400_000;
    const fresh = await connectSmsService(settings);
    await fresh.createBatch({ name: 'promo', message: 'Sale', from: 'SHOP', to: [...AUDIENCE, '+3361'] });
    await fresh.createBatch({ name: 'promo [test 0123456789ab]', message: 'Sale', from: 'SHOP', to: [TESTERS[0]!] });
    clock += 1100;
    const now = () => new Date(clock);

    const before = await run('status', { statusSinceDays: 1, now });
    expect(before.batches!.map((entry) => entry.batch.name)).toEqual(['promo']);
    expect(before.batches![0]!.statistics).toMatchObject({ sent: 2, delivered: 0, pending: 2, failed: 1 });
    const summaryBefore = await readFile(path.join(dir, 'report', 'summary.md'), 'utf8');
    expect(summaryBefore).toContain('delivered          0');

    clock += 1000;
    const after = await run('status', { statusSinceDays: 1, now });
    expect(after.batches![0]!.statistics).toMatchObject({ delivered: 2, pending: 0 });
    const summary = await readFile(path.join(dir, 'report', 'summary.md'), 'utf8');
    expect(summary).toBe(after.summaryMarkdown);
    expect(summary).toContain('## SMS campaigns: delivery in the last 1 day(s)');
    expect(summary).toContain(`delivered          2  ${textBar(2 / 3)}   66.7%`);
    expect(summary).toContain(`failed             1  ${textBar(1 / 3)}   33.3%`);
    expect(summary).not.toContain(AUDIENCE[0]);
    const statistics = JSON.parse(await readFile(path.join(dir, 'report', 'promo', 'statistics.json'), 'utf8'));
    expect(statistics).toMatchObject({ delivered: 2, pending: 0 });
    const status = JSON.parse(await readFile(path.join(dir, 'report', 'status.json'), 'utf8'));
    expect(status.campaigns.map((entry: { name: string }) => entry.name)).toEqual(['promo']);

    const longer = await run('status', { statusSinceDays: 5, now });
    expect(longer.batches!.map((entry) => entry.batch.name)).toEqual(['promo', 'old-news']);
  });

  it('draws bars in eighths of a character, padded to one width', () => {
    expect(textBar(0, 4)).toBe('    ');
    expect(textBar(1, 4)).toBe('████');
    expect(textBar(0.5, 4)).toBe('██  ');
    expect(textBar(1 / 8, 4)).toBe('▌   ');
    expect(textBar(1 / 16, 4)).toBe('▎   ');
  });
});
