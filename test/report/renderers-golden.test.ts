import { describe, expect, it } from 'vitest';
import { renderPlanText, renderValidateText } from '../../src/cli/render.js';
import { toPlanJson, type CampaignPlan, type Plan } from '../../src/plan/index.js';
import { renderPlanComment, renderSummaryMarkdown } from '../../src/report/index.js';
import { batchFor, ucs2Analysis } from '../plan/fixtures.js';
import { applyResult, campaign, plan, problem, result } from './fixtures.js';

// Every renderer of a plan, on plans that reach every branch, compared byte for byte with the output they gave before
// they read the plan view (test/report/golden/): a change of wording must show here as a changed golden file.

const warning = problem({ line: 7, column: 3, field: 'to[1]', message: 'number +33612345678 looks like a landline' });
const create = campaign({
  name: 'Spring sale',
  recipients: ['+33612345678', '+33698765432', '+32470123456', '+33611111111'],
  duplicatesRemoved: 1,
  skipped: [{ source: 'to', row: 3, reason: 'not a number', number: '06 12' }],
  warnings: [warning],
  message: 'Spring sale: -20% this weekend at www.shop.fr\nCall +33 6 12 34 56 78 or `reply`',
});
const deferred = campaign({
  name: 'Winter €',
  file: 'campaigns/winter.yml',
  deferred: '2026-12-01T09:00:00+01:00',
  senderForResponse: true,
  from: null,
  noStop: true,
  type: 'transactional',
  analysis: ucs2Analysis(80, 2, '€', [7, 9]),
});
const sent = campaign({ name: 'Welcome', file: 'campaigns/welcome.yml' });
const cancelled = campaign({ name: 'Old news', file: 'campaigns/old.yml' });
const running = campaign({ name: 'Flash', file: 'campaigns/flash.yml' });
const toCancel = campaign({ name: 'Stop it', file: 'campaigns/stop.yml', cancel: true, deferred: '2026-12-02T10:00:00Z' });
const moved = campaign({ name: 'Moved', file: 'campaigns/moved.yml', deferred: '2026-12-03T10:00:00Z' });
const clash = campaign({ name: 'Clash', file: 'campaigns/clash.yml', message: 'Not what was sent' });

const entries: CampaignPlan[] = [
  { action: 'create', campaign: create, errors: [] },
  { action: 'create', campaign: deferred, errors: [] },
  { action: 'none', campaign: sent, batch: batchFor(sent), errors: [] },
  { action: 'none', campaign: cancelled, batch: batchFor(cancelled, { status: 'CANCELED' }), errors: [] },
  { action: 'none', campaign: campaign({ name: 'Nobody', file: 'campaigns/nobody.yml', recipients: [] }), batch: null, errors: [] },
  { action: 'wait', campaign: running, batch: batchFor(running, { status: 'INSERTING' }), errors: [] },
  { action: 'cancel', campaign: toCancel, batch: batchFor(toCancel, { status: 'PENDING', sentAt: '2026-12-02T10:00:00Z' }), errors: [] },
  { action: 'reschedule', campaign: moved, batch: batchFor(moved, { status: 'PENDING', sentAt: '2026-12-01T10:00:00Z' }), errors: [] },
  {
    action: 'conflict',
    campaign: clash,
    batches: [batchFor(clash, { id: 'b-1' }), batchFor(clash, { id: 'b-2' })],
    errors: [problem({ file: 'campaigns/clash.yml', field: 'message', message: 'differs from batch b-1 | @team' })],
  },
  {
    action: 'invalid',
    invalid: {
      name: null,
      file: 'campaigns/broken.yml',
      errors: [problem({ file: 'campaigns/broken.yml', line: null, column: null, field: null })],
      warnings: [],
    },
    campaign: null,
    errors: [problem({ file: 'campaigns/broken.yml', line: null, column: null, field: null })],
  },
  {
    action: 'invalid',
    invalid: {
      name: 'Late',
      file: 'campaigns/late.yml',
      errors: [problem({ file: 'campaigns/late.yml', field: 'deferred' })],
      warnings: [warning],
    },
    campaign: campaign({ name: 'Late', file: 'campaigns/late.yml', warnings: [warning] }),
    errors: [problem({ file: 'campaigns/late.yml', field: 'deferred' })],
  },
];

const online: Plan = plan(entries, {
  unmanaged: [{ name: 'hand-made', id: 'b-9', status: 'COMPLETED' }],
  totals: { create: 2, recipients: 6, estimatedCredits: 9.4 },
  review: {
    creditsLeft: 5,
    rates: null,
    campaigns: new Map([
      [
        create.file,
        {
          byCountry: [
            { country: 'FR', recipients: 3, creditsPerPart: 1, estimatedCredits: 3, rate: 'ovh' as const },
            { country: 'BE', recipients: 1, creditsPerPart: 1, estimatedCredits: 1, rate: 'default' as const },
          ],
          stoplisted: 2,
        },
      ],
      [
        deferred.file,
        { byCountry: [{ country: null, recipients: 2, creditsPerPart: 1.2, estimatedCredits: 4.8, rate: 'ovh' as const }], stoplisted: 0 },
      ],
    ]),
  },
});
const offline: Plan = plan([{ action: 'create', campaign: campaign(), errors: [] }], { offline: true, service: null });
const empty: Plan = plan([]);
const applied = applyResult([
  result(),
  result({
    name: 'Winter €',
    file: 'campaigns/winter.yml',
    outcome: 'failed',
    status: 'FAILED',
    statistics: null,
    message: 'OVH said: no | way',
    receiverErrors: [{ receiver: '+33612345678', message: 'invalid receiver +33612345678' }],
  }),
]);

function renderings(name: string, value: Plan): [string, string][] {
  return [
    [`${name}.validate.txt`, renderValidateText(value)],
    [`${name}.plan.txt`, renderPlanText(value)],
    [`${name}.summary.md`, renderSummaryMarkdown(value, null)],
    [`${name}.comment.md`, renderPlanComment(value)],
    [`${name}.plan.json`, JSON.stringify(toPlanJson(value), null, 2) + '\n'],
  ];
}

describe('every plan renderer, byte for byte', () => {
  const cases = [...renderings('online', online), ...renderings('offline', offline), ...renderings('empty', empty)];
  cases.push(['online.apply-summary.md', renderSummaryMarkdown(online, applied)]);
  cases.push(['online.cut-comment.md', renderPlanComment(online, { maxChars: 3000 })]);
  it.each(cases)('%s', async (file, text) => {
    await expect(text).toMatchFileSnapshot(`golden/${file}`);
  });
});
