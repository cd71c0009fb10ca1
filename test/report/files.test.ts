import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeReportFiles } from '../../src/report/index.js';
import { applyResult, campaign, plan, result } from './fixtures.js';

describe('writeReportFiles', () => {
  it('writes plan.json, summary.md and results.json with receivers masked', async () => {
    const dir = path.join(await mkdtemp(path.join(tmpdir(), 'report-')), 'out');
    const thePlan = plan([{ action: 'create', campaign: campaign(), errors: [] }]);
    await writeReportFiles(
      dir,
      thePlan,
      applyResult([result({ receiverErrors: [{ receiver: '+33612345678', message: 'failed for +33612345678' }] })]),
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
    await writeReportFiles(dir, plan([]), null);
    expect((await readdir(dir)).sort()).toEqual(['plan.json', 'summary.md']);
  });
});
