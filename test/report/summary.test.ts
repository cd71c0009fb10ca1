import { describe, expect, it } from 'vitest';
import { renderSummaryMarkdown, SUMMARY_MAX_BYTES } from '../../src/report/index.js';
import { maskPhoneNumbersInText } from '../../src/recipients/index.js';
import { applyResult, campaign, invalidEntry, plan, problem, result } from './fixtures.js';

describe('renderSummaryMarkdown', () => {
  it('shows one plan row per campaign with recipients, encoding, parts, credits and schedule', () => {
    const markdown = renderSummaryMarkdown(
      plan([
        { action: 'create', campaign: campaign({ deferred: '2026-12-01T09:00:00+01:00' }), errors: [] },
        { action: 'none', campaign: campaign({ name: 'Welcome', file: 'campaigns/welcome.yml' }), batch: null, errors: [] },
      ]),
      null,
    );
    const rows = markdown
      .split('### Cost by destination')[0]!
      .split('\n')
      .filter((line) => line.startsWith('| '));
    expect(rows).toHaveLength(4);
    expect(rows[2]).toContain('Spring sale');
    expect(rows[2]).toContain('create');
    expect(rows[2]).toContain('| 2 | GSM-7 | 1 | 2 |');
    expect(rows[2]).toContain('2026-12-01T09:00:00+01:00');
    expect(rows[3]).toContain('Welcome');
    expect(rows[3]).toContain('none');
  });

  it('escapes HTML, table pipes and mentions taken from campaign files', () => {
    const hostile = 'Evil | <img src=x onerror=alert(1)> @team #12 **bold**';
    const markdown = renderSummaryMarkdown(
      plan([invalidEntry(hostile, 'campaigns/evil|<b>.yml', [problem({ file: 'campaigns/evil|<b>.yml', message: hostile })])]),
      null,
    );
    expect(markdown).not.toContain('<img');
    expect(markdown).not.toContain('<b>');
    expect(markdown).not.toContain('@team');
    expect(markdown).not.toMatch(/[^\\]\*\*bold/);
    expect(markdown).toContain('&lt;img src=x onerror=alert(1)&gt;');
    for (const row of markdown.split('\n').filter((line) => line.startsWith('| ') && line.includes('Evil'))) {
      expect(row.replace(/\\\|/g, '').split('|')).toHaveLength(11);
    }
  });

  it('lists every error and warning with file:line:column', () => {
    const markdown = renderSummaryMarkdown(
      plan([
        invalidEntry('Broken', 'campaigns/broken.yml', [
          problem({ file: 'campaigns/broken.yml', line: 4, column: 7, message: 'unknown field' }),
        ]),
        {
          action: 'create',
          campaign: campaign({ warnings: [problem({ line: 2, column: 10, message: 'needs UCS-2' })] }),
          errors: [],
        },
      ]),
      null,
    );
    expect(markdown).toMatch(/Errors \(1\)[\s\S]*campaigns\/broken\.yml:4:7\*\* \(message\): unknown field/);
    expect(markdown).toMatch(/Warnings \(1\)[\s\S]*campaigns\/spring\.yml:2:10\*\*/);
  });

  it('after apply shows statistics and masked per-receiver errors', () => {
    const markdown = renderSummaryMarkdown(
      plan([{ action: 'create', campaign: campaign(), errors: [] }]),
      applyResult([result({ receiverErrors: [{ receiver: '+33612345678', message: 'unreachable +33612345678' }] })]),
    );
    expect(markdown).toContain('### Results');
    expect(markdown).toMatch(/\| Spring sale \| b-1 \| ✅ completed \| 2 \| 1 \| 1 \| 0 \| 0 \| 2 \/ 2 \|/);
    expect(markdown).toContain('1 receiver error(s)');
    expect(markdown).not.toContain('612345678');
    expect(markdown).not.toContain('33612345678');
  });

  it("after apply lists each campaign's warnings as ⚠️ lines under its message, then the run's, escaped", () => {
    const markdown = renderSummaryMarkdown(plan([{ action: 'create', campaign: campaign(), errors: [] }]), {
      ...applyResult([
        result({
          message: '⚠️ CSV export not fetched (no outgoing.csv): HTTP 404',
          warnings: [
            maskPhoneNumbersInText('receivers list rl-1 left on the account: delete it in the <b>OVH</b> manager'),
            maskPhoneNumbersInText('document doc-9 for +33612345678 left on the account'),
          ],
        }),
      ]),
      warnings: [maskPhoneNumbersInText("OVH's clock could not be read: batch times are compared on the local clock")],
    });
    const results = markdown.split('### Results')[1]!.split('### Plan')[0]!;
    const notes = results.split('\n').filter((line) => line.startsWith('- '));
    expect(notes).toEqual([
      '- **Spring sale**: ⚠️ CSV export not fetched (no outgoing.csv): HTTP 404',
      '- **Spring sale**: ⚠️ receivers list rl-1 left on the account: delete it in the &lt;b&gt;OVH&lt;/b&gt; manager',
      '- **Spring sale**: ⚠️ document doc-9 for +33 6•• ••• •78 left on the account',
      "- ⚠️ OVH's clock could not be read: batch times are compared on the local clock",
    ]);
    expect(markdown).not.toContain('612345678');
  });

  it('masks phone numbers that appear in problem messages', () => {
    const markdown = renderSummaryMarkdown(
      plan([invalidEntry('x', 'campaigns/x.yml', [problem({ message: 'duplicate recipient +33698765432' })])]),
      null,
    );
    expect(markdown).toContain('duplicate recipient');
    expect(markdown).not.toContain('698765432');
  });

  it('stays under 1 MiB with 5,000 campaigns and points at the artifact', () => {
    const campaigns = Array.from({ length: 5000 }, (_, index) => ({
      action: 'create' as const,
      campaign: campaign({
        name: `Campaign number ${index} with a rather long name to fill the row`,
        file: `campaigns/region-${index % 50}/campaign-number-${index}-with-a-long-file-name.yml`,
        warnings: [problem({ message: `warning ${index}: ${'é'.repeat(120)}` })],
      }),
      errors: [problem({ message: `error ${index}: ${'<>'.repeat(60)}` })],
    }));
    const markdown = renderSummaryMarkdown(plan(campaigns), null, { artifactHint: 'the artifact "sms-campaign-report"' });
    expect(Buffer.byteLength(markdown)).toBeLessThanOrEqual(SUMMARY_MAX_BYTES);
    expect(Buffer.byteLength(markdown)).toBeGreaterThan(SUMMARY_MAX_BYTES - 10_000);
    expect(markdown).toMatch(/cut to stay under GitHub's size limit \(\d+ more line\(s\) not shown\)/);
    expect(markdown).toContain('the artifact &quot;sms-campaign-report&quot;');
  });

  it('honours a smaller limit', () => {
    const campaigns = Array.from({ length: 200 }, (_, index) => ({
      action: 'create' as const,
      campaign: campaign({ name: `C${index}` }),
      errors: [],
    }));
    const markdown = renderSummaryMarkdown(plan(campaigns), null, { maxBytes: 5000 });
    expect(Buffer.byteLength(markdown)).toBeLessThanOrEqual(5000);
    expect(markdown).toContain('C0 ');
    expect(markdown).not.toContain('C199 ');
  });

  it('says when the plan was made offline', () => {
    const markdown = renderSummaryMarkdown(plan([], { offline: true, service: null }), null);
    expect(markdown).toContain('Offline plan');
    expect(markdown).toContain('No campaign files matched');
  });
});
