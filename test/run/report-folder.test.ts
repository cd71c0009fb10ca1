import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReportFolder, maskOutgoingCsv } from '../../src/report/index.js';
import { OvhApiError, type Batch, type SmsApi } from '../../src/ovh/index.js';
import { readStatus, STATUS_CONCURRENCY } from '../../src/run/index.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { useSandboxRun } from '../support/sandbox-run.js';

// Issue #8 items 9 (unwritable --out found before sending) and 18 (masked export, folder names equal up to case,
// status statistics with bounded concurrency).
const CAMPAIGN =
  'name: parcel-notice\ntype: transactional\nfrom: SHOP\nnoStop: true\nmessage: Your parcel ships today.\nto:\n  - "+33612345678"\n  - "+33612345679"\n';

const openRepository = useSandboxRun('sms-run-');
/** The sandbox and a repository holding CAMPAIGN as campaigns/parcel.yml; apply waits for the batches. */
const repository = () => openRepository({ 'parcel.yml': CAMPAIGN }, { batchDurationMs: 100, documentReadyAfterPolls: 1 }, { wait: true });
let sandbox: Sandbox;

const creations = () => sandbox.requests.filter((request) => request.method === 'POST' && /\/batches$/.test(request.path)).length;

describe('the report folder is checked before anything is sent', () => {
  it('exits 2 and creates no batch when --out cannot be written', async () => {
    const { dir: repo, run, sandbox: opened } = await repository();
    sandbox = opened;
    await writeFile(path.join(repo, 'not-a-folder'), '');
    const outcome = await run('apply', { reportDir: path.join(repo, 'not-a-folder', 'report') });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.message).toMatch(/report folder .* cannot be written \(ENOTDIR\): nothing was sent/);
    expect(creations()).toBe(0);
  });
});

describe('summary.md', () => {
  it('is written by the run, or left to a caller that writes its own once (the action)', async () => {
    const { dir: repo, run, sandbox: opened } = await repository();
    sandbox = opened;
    const byRun = await run('plan', { reportDir: path.join(repo, 'by-run') });
    expect(byRun.exitCode).toBe(0);
    expect((await readdir(path.join(repo, 'by-run'))).sort()).toEqual(['plan.json', 'summary.md']);
    const byCaller = await run('plan', { reportDir: path.join(repo, 'by-caller'), summaryWriter: 'caller' });
    expect(byCaller.exitCode).toBe(0);
    expect(await readdir(path.join(repo, 'by-caller'))).toEqual(['plan.json']);
  });
});

describe('outgoing.csv', () => {
  it('holds full numbers by default and none with --mask-export', async () => {
    const { dir: repo, run, sandbox: opened } = await repository();
    sandbox = opened;
    const full = await run('apply', { reportDir: path.join(repo, 'full') });
    expect(full.exitCode).toBe(0);
    expect(await readFile(path.join(repo, 'full', 'parcel-notice', 'outgoing.csv'), 'utf8')).toContain('+33612345678');

    await rm(path.join(repo, 'campaigns', 'parcel.yml'));
    await writeFile(path.join(repo, 'campaigns', 'second.yml'), CAMPAIGN.replace('parcel-notice', 'second-notice'));
    const masked = await run('apply', { reportDir: path.join(repo, 'masked'), maskExport: true });
    expect(masked.exitCode).toBe(0);
    const csv = await readFile(path.join(repo, 'masked', 'second-notice', 'outgoing.csv'), 'utf8');
    expect(csv.split('\n')[0]).toBe('id;date;sender;receiver;ptt;operatorCode;descriptionDlr;tag;message;sentAt;deliveredAt');
    expect(csv).toContain('+33 6•• ••• •78');
    expect(csv).not.toMatch(/612345678|612345679/);
    expect(csv.split('\n').filter(Boolean)).toHaveLength(3);
  });

  it('keeps ids, dates and the quoted multi-line message when masking', () => {
    const csv =
      'id;date;sender;receiver;ptt;operatorCode;descriptionDlr;tag;message;sentAt;deliveredAt\n' +
      '10000001;2021-09-28 15:57:30;SHOP;+33612345678;13;20801;Delivered;promo;"Call 06 12 34 56 79; ""now""\nSTOP 36184";2021-09-28 15:57:30;2021-09-28 15:57:35\n';
    const masked = maskOutgoingCsv(csv).text;
    expect(masked).toContain(
      '10000001;2021-09-28 15:57:30;SHOP;+33 6•• ••• •78;13;20801;Delivered;promo;"Call • ••• ••• •79; ""now""\nSTOP 36184";',
    );
  });
});

describe('campaign folders', () => {
  it('are distinct when names differ only by case, and never take a root file name', () => {
    const folder = new ReportFolder('/tmp/unused');
    expect(folder.folderFor('Promo')).toBe('Promo');
    expect(folder.folderFor('promo')).toBe('promo-2');
    expect(folder.folderFor('PROMO')).toBe('PROMO-3');
    expect(folder.folderFor('Summary.md')).toBe('Summary.md-2');
    expect(folder.folderFor('promo')).toBe('promo-2');
  });
});

describe('status', () => {
  it('fetches statistics a few at a time', async () => {
    let inFlight = 0;
    let most = 0;
    const batches = Array.from(
      { length: 30 },
      (_, index) =>
        ({ id: `b-${index}`, name: `n-${index}`, createdAt: `2026-11-${String(10 + (index % 10)).padStart(2, '0')}T00:00:00Z` }) as Batch,
    );
    const api = {
      listBatches: async () => batches,
      getStatistics: async () => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight -= 1;
        return { id: 'x', credits: 0, estimatedCredits: 0, pending: 0, sent: 0, delivered: 0, failed: 0, stoplisted: 0 };
      },
    } as unknown as SmsApi;
    const log: string[] = [];
    const statuses = await readStatus(api, null, (line) => log.push(line));
    expect(statuses).toHaveLength(30);
    expect(statuses.every((status) => status.statistics !== null)).toBe(true);
    expect(most).toBe(STATUS_CONCURRENCY);
    expect(log).toEqual([]);
  });

  it('a batch whose statistics cannot be read is listed without them, and the log says why', async () => {
    const batches = [
      { id: 'b-ok', name: 'fine', createdAt: '2026-11-10T00:00:00Z' },
      { id: 'b-bad', name: 'broken', createdAt: '2026-11-11T00:00:00Z' },
    ] as Batch[];
    const api = {
      listBatches: async () => batches,
      getStatistics: async (id: string) => {
        if (id === 'b-bad')
          throw new OvhApiError('OVH API GET /statistics failed with HTTP 403: This call has not been granted', 'http', 403);
        return { id, credits: 1, estimatedCredits: 1, pending: 0, sent: 1, delivered: 1, failed: 0, stoplisted: 0 };
      },
    } as unknown as SmsApi;
    const log: string[] = [];
    const statuses = await readStatus(api, null, (line) => log.push(line));
    expect(statuses.map((status) => [status.batch.id, status.statistics?.delivered ?? null])).toEqual([
      ['b-ok', 1],
      ['b-bad', null],
    ]);
    expect(log).toEqual([
      expect.stringMatching(/^warning: statistics of batch b-bad \(broken\) unavailable: .*HTTP 403.*not been granted/),
    ]);
  });
});
