import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReportFolder } from '../../src/report/index.js';
import { applyResult, campaign, plan, result } from './fixtures.js';

describe('ReportFolder.writeReport', () => {
  it('writes plan.json, summary.md and results.json with receivers masked', async () => {
    const dir = path.join(await mkdtemp(path.join(tmpdir(), 'report-')), 'out');
    const thePlan = plan([{ action: 'create', campaign: campaign(), errors: [] }]);
    await new ReportFolder(dir).writeReport(
      thePlan,
      applyResult([result({ receiverErrors: [{ receiver: '+33612345678', message: 'failed for +33612345678' }] })]),
      'summary.md',
    );
    expect((await readdir(dir)).sort()).toEqual(['plan.json', 'results.json', 'summary.md']);
    const planJson = JSON.parse(await readFile(path.join(dir, 'plan.json'), 'utf8'));
    expect(planJson).toMatchObject({ version: 1, digest: thePlan.digest, totals: { create: 1, recipients: 2 } });
    expect(planJson.campaigns[0]).toMatchObject({ name: 'Spring sale', action: 'create', recipients: 2 });
    const results = await readFile(path.join(dir, 'results.json'), 'utf8');
    expect(JSON.parse(results)).toMatchObject({ version: 1, ok: true, created: 1, campaigns: [{ batchId: 'b-1' }] });
    expect(results).not.toContain('612345678');
    expect(await readFile(path.join(dir, 'summary.md'), 'utf8')).toContain('### Results');
  });

  it('writes only the plan files when nothing was applied', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'report-'));
    await new ReportFolder(dir).writeReport(plan([]), null, 'summary.md');
    expect((await readdir(dir)).sort()).toEqual(['plan.json', 'summary.md']);
  });
});

describe('ReportFolder: one writer, one folder per campaign', () => {
  it("keeps a campaign's rejected.csv and statistics.json in one folder, even when names differ only by case", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'report-'));
    const skipped = [{ source: 'to', row: null, reason: 'not a phone number', number: '12' }];
    const upper = campaign({ name: 'Promo', skipped });
    const lower = campaign({ name: 'promo', skipped });
    const folder = new ReportFolder(dir);
    await folder.writeReport(
      plan([
        { action: 'create', campaign: upper, errors: [] },
        { action: 'create', campaign: lower, errors: [] },
      ]),
      null,
      'no summary',
    );
    const statistics = { id: 'b-2', credits: 1, estimatedCredits: 1, pending: 0, sent: 1, delivered: 1, failed: 0, stoplisted: 0 };
    expect(await folder.writeStatistics('promo', statistics)).toBe('promo-2/statistics.json');
    expect((await readdir(path.join(dir, 'promo-2'))).sort()).toEqual(['rejected.csv', 'statistics.json']);
    expect(await readdir(path.join(dir, 'Promo'))).toEqual(['rejected.csv']);
    // summary.md is left to the caller (the action writes the job summary once).
    expect((await readdir(dir)).sort()).toEqual(['Promo', 'plan.json', 'promo-2']);
  });

  it('a masked export that is not the CSV known is masked as text, and the note says so', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'report-'));
    const folder = new ReportFolder(dir, { maskNumbers: true });
    const target = await folder.placeExport('promo');
    await writeFile(target.path, 'id;receiver\n1;"+33612345678\n');
    expect(await folder.settleExport(target.path)).toMatch(
      /^outgoing.csv could not be read as OVH's CSV \(.+\): its numbers were masked as free text$/,
    );
    const text = await readFile(target.path, 'utf8');
    expect(text).not.toContain('612345678');
    expect(await new ReportFolder(dir).settleExport(target.path)).toBeNull();
  });
});
