import { describe, expect, it } from 'vitest';
import { renderApplyText, renderTestText } from '../../src/cli/render.js';
import { maskPhoneNumbersInText } from '../../src/recipients/index.js';
import { applyResult, result } from '../report/fixtures.js';

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

  it("shows apply's warnings: each campaign's under its result line, the run's after the campaigns", () => {
    const apply = {
      ...applyResult([
        result({
          name: 'promo',
          warnings: [
            maskPhoneNumbersInText('receivers list rl-1 left on the account (HTTP 503): delete it in the OVH manager'),
            maskPhoneNumbersInText('document doc-9 for +33612345678 left on the account'),
          ],
        }),
        result({ name: 'quiet', batchId: 'b-2' }),
      ]),
      warnings: [maskPhoneNumbersInText("OVH's clock could not be read (ECONNREFUSED): batch times are compared on the local clock")],
    };
    const lines = renderApplyText(apply).split('\n');
    const promo = lines.findIndex((line) => line.includes(' promo batch b-1'));
    expect(lines.slice(promo + 1, promo + 3)).toEqual([
      '      warning: receivers list rl-1 left on the account (HTTP 503): delete it in the OVH manager',
      '      warning: document doc-9 for +33 6•• ••• •78 left on the account',
    ]);
    expect(lines[promo + 3]).toContain(' quiet batch b-2');
    expect(lines.at(-2)).toBe("  warning: OVH's clock could not be read (ECONNREFUSED): batch times are compared on the local clock");
    expect(lines.at(-1)).toMatch(/^2 batches created\./);
  });

  it('shows no warning line when apply raised none', () => {
    expect(renderApplyText(applyResult([result()]))).not.toContain('warning');
  });
});
