import { describe, expect, it } from 'vitest';
import { emitAnnotations, selectAnnotations, type Annotation } from '../../src/github/annotations.js';
import type { PlanJson, PlanJsonCampaign } from '../../src/plan/types.js';

function planWith(errors: number, warnings: number): PlanJson {
  const entry: PlanJsonCampaign = {
    name: 'x',
    file: 'campaigns/x.yml',
    action: 'invalid',
    digest: null,
    batchId: null,
    remoteStatus: null,
    recipients: null,
    duplicatesRemoved: null,
    invalidSkipped: null,
    encoding: null,
    characters: null,
    parts: null,
    nonGsmCharacters: [],
    estimatedCredits: null,
    stoplisted: null,
    byCountry: [],
    deferred: null,
    errors: Array.from({ length: errors }, (_, i) => ({ file: 'campaigns/x.yml', line: i + 1, column: 2, field: 'to', message: `e${i}` })),
    warnings: Array.from({ length: warnings }, (_, i) => ({
      file: 'campaigns/x.yml',
      line: null,
      column: null,
      field: null,
      message: `w${i}`,
    })),
  };
  return {
    version: 1,
    digest: 'sha256:0',
    service: null,
    offline: true,
    campaigns: [entry],
    unmanaged: [],
    totals: { create: 0, recipients: 0, estimatedCredits: 0 },
  };
}

describe('selectAnnotations', () => {
  it('keeps the first 10 errors and 10 warnings and counts the rest', () => {
    const selection = selectAnnotations(planWith(14, 3));
    expect(selection.annotations.filter((a) => a.severity === 'error')).toHaveLength(10);
    expect(selection.annotations.filter((a) => a.severity === 'warning')).toHaveLength(3);
    expect(selection.omitted).toEqual({ errors: 4, warnings: 0 });
    expect(selection.annotations[0]).toEqual({
      severity: 'error',
      message: 'e0',
      properties: { title: 'sms-campaigns: to', file: 'campaigns/x.yml', startLine: 1, startColumn: 2 },
    });
    expect(selection.annotations[10]?.properties).toEqual({ title: 'sms-campaigns', file: 'campaigns/x.yml' });
  });

  it('masks phone numbers in annotation messages', () => {
    const plan = planWith(1, 0);
    const [campaign] = plan.campaigns;
    if (campaign?.errors[0]) campaign.errors[0].message = 'duplicate +33612345678';
    const [annotation] = selectAnnotations(plan).annotations;
    expect(annotation?.message).toMatch(/^duplicate \+33 /);
    expect(annotation?.message).not.toContain('612345678');
  });

  it('sends each annotation to the matching sink method', () => {
    const seen: [string, Annotation['properties']][] = [];
    emitAnnotations(
      {
        error: (message, properties) => seen.push([`E ${message}`, properties]),
        warning: (message, properties) => seen.push([`W ${message}`, properties]),
      },
      selectAnnotations(planWith(1, 1)),
    );
    expect(seen.map(([message]) => message)).toEqual(['E e0', 'W w0']);
  });
});
