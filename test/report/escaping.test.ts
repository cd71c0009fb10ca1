import { describe, expect, it } from 'vitest';
import { renderSummaryMarkdown } from '../../src/report/index.js';
import { escapeMarkdown } from '../../src/report/markdown.js';
import type { Batch } from '../../src/account/index.js';
import { campaign, plan } from './fixtures.js';

// Issue #8 items 8 (a cancelled batch is not "already sent"), 7 (reschedule shown as its own action) and 18
// (a campaign named like a domain must not become a link).
const batch = (status: string): Batch => ({
  accountID: 1,
  createdAt: '2026-11-25T09:00:00Z',
  errors: [],
  estimatedCredits: 2,
  finishedAt: null,
  from: 'ACME',
  id: 'b-1',
  message: 'hi',
  name: 'x',
  processedRecords: 0,
  receivers: [],
  sentAt: '2026-11-27T09:00:00Z',
  slotID: null,
  startedAt: null,
  status,
  totalRecords: 2,
  updatedAt: '2026-11-25T09:00:00Z',
});

describe('plan table labels', () => {
  it('says cancelled, not already sent, for a cancelled batch; reschedule has its own label', () => {
    const markdown = renderSummaryMarkdown(
      plan([
        { action: 'none', campaign: campaign({ name: 'gone' }), batch: batch('CANCELED'), errors: [] },
        { action: 'reschedule', campaign: campaign({ name: 'moved' }), batch: batch('PENDING'), errors: [] },
      ]),
      null,
    );
    const rows = markdown.split('\n').filter((line) => line.startsWith('| gone') || line.startsWith('| moved'));
    expect(rows[0]).toContain('none (cancelled, not sent)');
    expect(rows[0]).not.toContain('already sent');
    expect(rows[1]).toContain('reschedule (cancel, create again)');
    expect(markdown).toContain('1 reschedule');
  });
});

describe('escapeMarkdown', () => {
  it.each(['www.shop.fr', 'shop.example.com', 'promo:https://evil.example'])('leaves no autolink in %s', (text) => {
    const escaped = escapeMarkdown(text);
    expect(escaped).not.toMatch(/www\.|\w\.\w|:\/\//);
    expect(escaped.replace(/&#46;/g, '.').replace(/&#58;/g, ':')).toBe(text);
  });

  it('keeps campaign file paths readable', () => {
    expect(escapeMarkdown('campaigns/promo.yml')).toBe('campaigns/promo.yml');
  });
});
