import { describe, expect, it } from 'vitest';
import { renderTestText } from '../../src/cli/render.js';

describe('the terminal renderer', () => {
  it('masks a number that OVH quotes in a failed test send (the terminal is a log in CI)', () => {
    const text = renderTestText([
      {
        kind: 'failed',
        campaign: 'promo',
        file: 'campaigns/promo.yml',
        batchName: 'test-promo',
        message: 'Invalid receiver +33612345678 (HTTP 400)',
      },
    ]);
    expect(text).toBe('  failed       promo: Invalid receiver +33 6•• ••• •78 (HTTP 400)');
  });
});
