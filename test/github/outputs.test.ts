import { describe, expect, it } from 'vitest';
import { actionOutputs, batchesByName, planOutput } from '../../src/github/outputs.js';
import { renderJobSummary } from '../../src/github/summary.js';
import type { PlanJson, PlanJsonCampaign } from '../../src/plan/types.js';
import { applyResult, plan, result } from '../report/fixtures.js';

function entry(name: string, batchId: string | null): PlanJsonCampaign {
  return {
    name,
    file: `campaigns/${name}.yml`,
    action: batchId ? 'none' : 'create',
    digest: batchId ? null : `sha256:${name}`,
    batchId,
    remoteStatus: null,
    recipients: 3,
    duplicatesRemoved: 0,
    invalidSkipped: 0,
    encoding: 'GSM-7',
    characters: 10,
    parts: 1,
    nonGsmCharacters: [],
    estimatedCredits: 3,
    stoplisted: null,
    byCountry: [],
    deferred: null,
    warnings: [{ file: `campaigns/${name}.yml`, line: 1, column: 1, field: null, message: 'w'.repeat(200) }],
    errors: [],
  };
}
const planJson = (campaigns: PlanJsonCampaign[]): PlanJson => ({
  version: 1,
  digest: 'sha256:1',
  service: 's',
  offline: false,
  campaigns,
  unmanaged: [],
  totals: { create: 0, recipients: 0, estimatedCredits: 0 },
});

describe('planOutput', () => {
  it('is the plan JSON when it fits, compact lines then totals only when it does not', () => {
    const small = planJson([entry('a', null)]);
    expect(JSON.parse(planOutput(small))).toEqual(small);
    const big = planJson(Array.from({ length: 50 }, (_, index) => entry(`c${index}`, null)));
    const compact = JSON.parse(planOutput(big, 6000));
    expect(compact.truncated).toBe(true);
    expect(compact.campaigns).toHaveLength(50);
    expect(compact.campaigns[0]).toEqual({
      name: 'c0',
      file: 'campaigns/c0.yml',
      action: 'create',
      batchId: null,
      recipients: 3,
      estimatedCredits: 3,
    });
    const bare = JSON.parse(planOutput(big, 1000));
    expect(bare).toMatchObject({ truncated: true, campaigns: [], digest: 'sha256:1' });
    expect(planOutput(null)).toBe('');
  });
});

describe('batchesByName', () => {
  it('maps names to batch ids from the plan, apply results winning', () => {
    const apply = applyResult([result({ name: 'b', batchId: 'new-b' })]);
    expect(batchesByName(planJson([entry('a', 'id-a'), entry('b', null)]), apply)).toEqual({ a: 'id-a', b: 'new-b' });
  });

  it('become string outputs', () => {
    const outputs = actionOutputs({ plan: null, apply: null, reportDir: '/r', artifactId: null, commentId: 12 });
    expect(outputs).toEqual({
      plan: '',
      digest: '',
      created: '0',
      batches: '{}',
      'report-dir': '/r',
      'artifact-id': '',
      'comment-id': '12',
    });
  });
});

describe('renderJobSummary', () => {
  it('puts the failure first and the run notes last, escaped', () => {
    const markdown = renderJobSummary({
      plan: plan([]),
      apply: null,
      command: 'apply',
      message: 'Nothing was sent: <b>over budget</b>',
      notes: ['Plan comment created (comment 5).', 'No artifact: artifact-name is empty.'],
    });
    expect(markdown.startsWith('> [!IMPORTANT]\n> Nothing was sent: &lt;b&gt;over budget&lt;/b&gt;')).toBe(true);
    expect(markdown).toMatch(/#### This run\n\n- Plan comment created \(comment 5\)\.\n- No artifact/);
  });

  it('still says what ran when no plan could be made', () => {
    const markdown = renderJobSummary({ plan: null, apply: null, command: 'plan', message: 'Incomplete OVH credentials', notes: [] });
    expect(markdown).toContain('## SMS campaigns: plan');
    expect(markdown).toContain('Incomplete OVH credentials');
  });
});
