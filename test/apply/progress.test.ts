import { describe, expect, it } from 'vitest';
import { createPlainProgress, createTerminalProgress, formatProgressLine, type ApplyProgress } from '../../src/apply/index.js';
import { maskPhoneNumbersInText as maskPhoneNumbers } from '../../src/recipients/index.js';
import { campaignFolderName } from '../../src/report/index.js';

const event = (overrides: Partial<ApplyProgress> = {}): ApplyProgress => ({
  campaign: 'spring-sale',
  phase: 'running',
  batchId: 'b-1',
  status: 'INSERTING',
  processed: 3,
  total: 10,
  outcome: null,
  message: null,
  ...overrides,
});

describe('progress lines', () => {
  it('shows the campaign, its step, OVH status and counts', () => {
    expect(formatProgressLine(event())).toBe('spring-sale: running [INSERTING] 3/10 batch b-1');
    expect(formatProgressLine(event({ phase: 'done', outcome: 'completed', status: 'COMPLETED', processed: null, total: null }))).toBe(
      'spring-sale: completed batch b-1',
    );
  });

  it('masks phone numbers in messages', () => {
    const line = formatProgressLine(event({ message: 'receiver +33612345678 and 06 12 34 56 78 refused' }));
    expect(line).not.toMatch(/612345678|12 34 56/);
    expect(line).toContain('+33 6•• ••• •78');
  });

  it('leaves dates and times alone', () => {
    expect(maskPhoneNumbers('scheduled for 2027-01-04T10:00:00+01:00')).toBe('scheduled for 2027-01-04T10:00:00+01:00');
  });

  it('masks every phone-looking number but keeps short counts', () => {
    expect(maskPhoneNumbers('3 of 0033612345678 in 10 s')).toBe('3 of +33 6•• ••• •78 in 10 s');
  });

  it('plain renderer prints a line only when it changes', () => {
    const lines: string[] = [];
    const render = createPlainProgress((line) => lines.push(line));
    render(event());
    render(event());
    render(event({ processed: 4 }));
    expect(lines).toEqual(['spring-sale: running [INSERTING] 3/10 batch b-1', 'spring-sale: running [INSERTING] 4/10 batch b-1']);
  });

  it('terminal renderer rewrites one line per campaign in place', () => {
    let screen = '';
    const render = createTerminalProgress((text) => {
      screen += text;
    });
    render(event({ campaign: 'a' }));
    render(event({ campaign: 'b' }));
    screen = '';
    render(event({ campaign: 'a', processed: 10, status: 'COMPLETED' }));
    expect(screen.startsWith('\x1b[2A')).toBe(true);
    expect(screen.split('\n').filter(Boolean)).toHaveLength(2);
    expect(screen).toContain('a: running [COMPLETED] 10/10');
  });
});

describe('report folder names', () => {
  it.each([
    ['spring-sale', 'spring-sale'],
    ['Promo 2026: week 1', 'Promo_2026_week_1'],
    ['v1.2', 'v1.2'],
  ])('%s → %s', (name, folder) => expect(campaignFolderName(name)).toBe(folder));
});
