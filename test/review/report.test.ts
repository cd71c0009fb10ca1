import { describe, expect, it } from 'vitest';

import { renderPlanComment, renderSummaryMarkdown } from '../../src/report/index.js';
import { makePlan, leaveOutStoplisted, reviewPlan, type AccountChecks, type Checked } from '../../src/plan/index.js';
import { NOW, batchFor, campaign, loaded } from '../plan/fixtures.js';

const checked = <T>(value: T): Checked<T> => ({ status: 'checked', value });
const STOPPED = '+33698765432';

function reviewed(creditsLeft: number) {
  const checks: AccountChecks = {
    rates: new Map([
      ['FR', checked(1)],
      ['BE', checked(1.6)],
    ]),
    blacklist: checked(new Set([STOPPED])),
    senders: new Map(),
    estimates: new Map(),
    creditsLeft: checked(creditsLeft),
  };
  const promo = campaign({
    name: 'promo',
    recipients: ['+33612345678', '+33612345679', '+32470123456', STOPPED],
    analysis: { encoding: 'GSM-7', characters: 170, parts: 2, nonGsmCharacters: [] },
  });
  const sent = campaign({ name: 'welcome', file: 'campaigns/welcome.yml' });
  const audience = leaveOutStoplisted([loaded(promo), loaded(sent)], [batchFor(sent)], checks.blacklist);
  return reviewPlan(makePlan(audience.loaded, { service: 'sms-x', batches: [batchFor(sent)] }, NOW), checks, audience.stoplisted);
}

describe('cost by destination in the summary and the comment', () => {
  it('shows a table by country and the total against the credits left', () => {
    const markdown = renderSummaryMarkdown(reviewed(1000), null);
    const table = markdown.split('### Cost by destination\n\n')[1]!.split('\n\n')[0];
    expect(table).toBe(
      [
        '| Country | Recipients | SMS | Credits per SMS | Credits |',
        '| --- | ---: | ---: | ---: | ---: |',
        '| FR | 2 | 4 | 1 | 4 |',
        '| BE | 1 | 2 | 1.6 | 3.2 |',
        '| **Total** | **3** | **6** |  | **7.2** |',
      ].join('\n'),
    );
    expect(markdown).toContain(
      "The account has **1,000** credits left (992.8 after this plan). 1 recipient(s) on the service's STOP list are left out: not sent, not paid.",
    );
    expect(markdown).not.toContain(STOPPED);
  });

  it('says when the account has too few credits', () => {
    expect(renderSummaryMarkdown(reviewed(5), null)).toContain(
      '❌ The account has **5** credits left: not enough, apply will refuse to send.',
    );
  });

  it('opens the comment with whether merging sends, how many SMS and credits', () => {
    const comment = renderPlanComment(reviewed(1000));
    expect(comment.split('\n')[1]).toBe('**Merging will send 6 SMS** to 3 recipient(s) in 1 campaign(s), about **7.2 credits**.');
    const nothing = renderPlanComment(
      reviewPlan(makePlan([loaded(campaign())], { service: 's', batches: [batchFor(campaign())] }, NOW), null),
    );
    expect(nothing.split('\n')[1]).toBe('**Merging will send nothing**: every campaign is already sent or running.');
    const blocked = renderPlanComment(
      reviewPlan(
        makePlan([loaded(campaign()), { valid: false, invalid: { name: 'x', file: 'x.yml', errors: [], warnings: [] } }], null, NOW),
        null,
      ),
    );
    expect(blocked.split('\n')[1]).toBe('**Merging will send nothing**: 1 campaign(s) are invalid or in conflict (see the errors).');
  });
});
