import { describe, expect, it } from 'vitest';
import type { LoadedCampaign } from '../../src/campaign/types.js';
import type { Batch } from '../../src/account/index.js';
import { makePlan, planExitCode, toPlanJson } from '../../src/plan/index.js';
import { batchFor, campaign, loaded, NOW, ucs2Analysis } from './fixtures.js';

const SERVICE = 'sms-ab12345-1';
const online = (batches: Batch[]) => ({ service: SERVICE, batches });
const single = (entries: LoadedCampaign[], batches: Batch[] | null) => makePlan(entries, batches && online(batches), NOW);

describe('makePlan: action per campaign', () => {
  const base = campaign();
  const cases: {
    title: string;
    batches: Batch[];
    campaign?: ReturnType<typeof campaign>;
    action: string;
    batchId?: string | null;
    warning?: RegExp;
    error?: RegExp;
  }[] = [
    { title: 'no batch with the name → create', batches: [], action: 'create', batchId: null },
    { title: 'COMPLETED matching batch → none', batches: [batchFor(base)], action: 'none', batchId: 'batch-spring-sale' },
    {
      title: 'CANCELED matching batch → none, saying it was cancelled and to rename',
      batches: [batchFor(base, { status: 'CANCELED' })],
      action: 'none',
      warning: /was cancelled \(CANCELED\): nothing was sent .* give it a new name/,
    },
    {
      title: 'FAILED matching batch → none with a warning',
      batches: [batchFor(base, { status: 'FAILED' })],
      action: 'none',
      warning: /FAILED/,
    },
    ...(['PENDING', 'INSERTING', 'INSERTED', 'TO_CANCEL', 'CANCELING'] as const).map((status) => ({
      title: `${status} matching batch → wait`,
      batches: [batchFor(base, { status, finishedAt: null })],
      action: 'wait',
    })),
    {
      title: 'unknown status → wait with a warning',
      batches: [batchFor(base, { status: 'ARCHIVED' })],
      action: 'wait',
      warning: /unknown/,
    },
    {
      title: 'cancel: true and a scheduled batch → cancel',
      campaign: campaign({ cancel: true, deferred: '2026-12-01T09:00:00+01:00' }),
      batches: [batchFor(base, { status: 'PENDING', startedAt: null, finishedAt: null, sentAt: '2026-12-01T08:00:00Z' })],
      action: 'cancel',
    },
    {
      title: 'cancel: true and a batch already sending → wait with a warning',
      campaign: campaign({ cancel: true }),
      batches: [batchFor(base, { status: 'INSERTING', finishedAt: null })],
      action: 'wait',
      warning: /can no longer be cancelled/,
    },
    {
      title: 'cancel: true and a batch already canceled → none',
      campaign: campaign({ cancel: true }),
      batches: [batchFor(base, { status: 'CANCELED' })],
      action: 'none',
    },
    {
      title: 'cancel: true and no batch → none with a warning',
      campaign: campaign({ cancel: true }),
      batches: [],
      action: 'none',
      warning: /nothing to send/,
    },
    {
      title: 'two batches with the name → conflict',
      batches: [batchFor(base), batchFor(base, { id: 'other' })],
      action: 'conflict',
      error: /2 batches/,
      batchId: null,
    },
    {
      title: "an overlap guard's leftovers: COMPLETED and CANCELED → none with the COMPLETED one",
      batches: [batchFor(base, { id: 'loser', status: 'CANCELED', createdAt: '2026-11-25T09:00:01Z' }), batchFor(base, { id: 'winner' })],
      action: 'none',
      batchId: 'winner',
    },
    {
      title: 'PENDING beside CANCELING and TO_CANCEL duplicates → wait for the PENDING one',
      batches: [
        batchFor(base, { id: 'kept', status: 'PENDING', startedAt: null, finishedAt: null }),
        batchFor(base, { id: 'going', status: 'CANCELING' }),
        batchFor(base, { id: 'to-go', status: 'TO_CANCEL' }),
      ],
      action: 'wait',
      batchId: 'kept',
    },
    {
      title: 'a cancelled batch with other content does not stand in the way of the live one',
      batches: [batchFor(base, { id: 'old', status: 'CANCELED', message: 'Winter sale' }), batchFor(base, { id: 'live' })],
      action: 'none',
      batchId: 'live',
    },
    {
      title: 'every batch cancelled → none with the most recent',
      batches: [
        batchFor(base, { id: 'newest', status: 'CANCELED', createdAt: '2026-11-25T10:00:00Z' }),
        batchFor(base, { id: 'oldest', status: 'CANCELED', createdAt: '2026-11-25T08:00:00Z' }),
      ],
      action: 'none',
      batchId: 'newest',
      warning: /newest was cancelled/,
    },
    {
      title: 'the live batch left among cancelled ones is still compared → conflict when it differs',
      batches: [batchFor(base, { id: 'gone', status: 'CANCELED' }), batchFor(base, { id: 'live', from: 'OTHER' })],
      action: 'conflict',
      error: /sender differs.*batch live/,
    },
    {
      title: 'two live batches (one COMPLETED, one PENDING) beside a cancelled one → conflict',
      batches: [
        batchFor(base),
        batchFor(base, { id: 'second', status: 'PENDING', startedAt: null, finishedAt: null }),
        batchFor(base, { id: 'third', status: 'CANCELED' }),
      ],
      action: 'conflict',
      error: /2 batches .* not cancelled/,
      batchId: null,
    },
    {
      title: 'other message → conflict',
      batches: [batchFor(base, { message: 'Winter sale\nSTOP 36184' })],
      action: 'conflict',
      error: /message differs/,
      batchId: 'batch-spring-sale',
    },
    { title: 'other sender → conflict', batches: [batchFor(base, { from: 'OTHER' })], action: 'conflict', error: /sender differs/ },
    {
      title: 'senderForResponse: the sender OVH picked is not compared',
      campaign: campaign({ from: null, senderForResponse: true }),
      batches: [batchFor(campaign({ from: null, senderForResponse: true }), { from: '36111' })],
      action: 'none',
    },
    {
      title: 'a recipient added → conflict naming the count',
      campaign: campaign({ recipients: [...base.recipients, '+33612345670'] }),
      batches: [batchFor(base)],
      action: 'conflict',
      error: /1 recipient added/,
    },
    {
      title: 'two recipients removed → conflict',
      campaign: campaign({ recipients: [] }),
      batches: [batchFor(base)],
      action: 'conflict',
      error: /2 recipients removed/,
    },
    {
      title: 'sent from a receivers list with as many records → none',
      batches: [batchFor(base, { receivers: null, slotID: '42' })],
      action: 'none',
    },
    {
      title: 'sent from a receivers list with another count → conflict',
      campaign: campaign({ recipients: [...base.recipients, '+33612345670'] }),
      batches: [batchFor(base, { receivers: null, slotID: '42' })],
      action: 'conflict',
      error: /3 recipients in the campaign, 2 in the receivers list/,
    },
    {
      title: 'sent from a list, message edited → conflict',
      campaign: campaign({ message: 'Other text' }),
      batches: [batchFor(base, { receivers: null, slotID: '42' })],
      action: 'conflict',
      error: /message differs/,
    },
    {
      title: 'no receivers and no list → conflict',
      batches: [batchFor(base, { receivers: null })],
      action: 'conflict',
      error: /neither receivers nor a receivers list/,
    },
  ];

  it.each(cases)('$title', ({ campaign: source = base, batches, action, batchId, warning, error }) => {
    const plan = single([loaded(source)], batches);
    const [json] = toPlanJson(plan).campaigns;
    expect(json?.action).toBe(action);
    if (batchId !== undefined) expect(json?.batchId).toBe(batchId);
    if (warning) expect(json?.warnings.map((w) => w.message).join('\n')).toMatch(warning);
    else expect(json?.warnings).toEqual([]);
    if (error) expect(json?.errors.map((e) => e.message).join('\n')).toMatch(error);
    else expect(json?.errors).toEqual([]);
  });

  it('never prints recipient numbers in conflict errors', () => {
    const plan = single([loaded(campaign({ recipients: ['+33611111111'] }))], [batchFor(base)]);
    const text = JSON.stringify(plan.campaigns[0]?.errors);
    expect(text).not.toMatch(/\+336/);
  });

  it('points errors at the field in the file', () => {
    const plan = single([loaded(base)], [batchFor(base, { message: 'other' })]);
    expect(plan.campaigns[0]?.errors[0]).toMatchObject({ file: 'campaigns/spring-sale.yml', line: 4, column: 10, field: 'message' });
  });

  it('passes invalid campaigns through as invalid', () => {
    const invalid: LoadedCampaign = {
      valid: false,
      invalid: {
        name: 'broken',
        file: 'campaigns/broken.yml',
        errors: [{ file: 'campaigns/broken.yml', line: 2, column: 1, field: 'type', message: 'type is required' }],
        warnings: [],
      },
    };
    const plan = single([invalid, loaded(base)], []);
    expect(plan.campaigns.map((entry) => entry.action)).toEqual(['invalid', 'create']);
    expect(toPlanJson(plan).campaigns[0]).toMatchObject({
      name: 'broken',
      file: 'campaigns/broken.yml',
      recipients: null,
      errors: [{ field: 'type' }],
    });
    expect(planExitCode(plan)).toBe(1);
  });
});

describe('makePlan: STOP clause and recipient set', () => {
  const base = campaign();
  it.each([
    ['OVH short code 36184', `${base.message}\nSTOP 36184`, 'none'],
    ['another short code', `${base.message}\nSTOP 36111`, 'none'],
    ['no clause stored', base.message, 'none'],
    ['clause without a newline is another text', `${base.message} STOP 36184`, 'conflict'],
    ['text added before the clause', `${base.message}!\nSTOP 36184`, 'conflict'],
  ])('noStop false, remote message with %s → %s', (_title, remoteMessage, action) => {
    expect(single([loaded(base)], [batchFor(base, { message: remoteMessage })]).campaigns[0]?.action).toBe(action);
  });

  it('with noStop true, a trailing STOP line is part of the message', () => {
    const transactional = campaign({ noStop: true, type: 'transactional' });
    expect(
      single([loaded(transactional)], [batchFor(transactional, { message: `${transactional.message}\nSTOP 36184` })]).campaigns[0]?.action,
    ).toBe('conflict');
    expect(single([loaded(transactional)], [batchFor(transactional)]).campaigns[0]?.action).toBe('none');
  });

  it('compares recipients as a set, whatever their order or spelling', () => {
    const remote = batchFor(base, { receivers: ['0033612345679', '+33612345678'] });
    expect(single([loaded(base)], [remote]).campaigns[0]?.action).toBe('none');
  });
});

describe('makePlan: deferred time', () => {
  const past = campaign({ deferred: '2026-11-26T09:00:00+00:00' });
  const future = campaign({ deferred: '2026-11-26T11:00:00+00:00' });

  it('online, a campaign to create with a past deferred time is invalid', () => {
    const plan = single([loaded(past)], []);
    expect(plan.campaigns[0]?.action).toBe('invalid');
    expect(plan.campaigns[0]?.errors[0]).toMatchObject({ field: 'deferred', line: 8, message: expect.stringMatching(/at once/) });
    expect(plan.totals.create).toBe(0);
    expect(planExitCode(plan)).toBe(1);
  });

  it('online, a past deferred time of a campaign already sent is history, not an error', () => {
    const plan = single([loaded(past)], [batchFor(past)]);
    expect(plan.campaigns[0]?.action).toBe('none');
    expect(planExitCode(plan)).toBe(0);
  });

  it('offline, a past deferred time is a warning and the campaign is create', () => {
    const plan = single([loaded(past)], null);
    const [json] = toPlanJson(plan).campaigns;
    expect(json).toMatchObject({ action: 'create', errors: [], deferred: past.deferred });
    expect(json?.warnings[0]).toMatchObject({ field: 'deferred' });
  });

  it('offline, a deferred warning the loader already gave is not repeated', () => {
    const warned = campaign({ ...past, warnings: [{ file: past.file, line: 8, column: 11, field: 'deferred', message: 'past' }] });
    expect(toPlanJson(single([loaded(warned)], null)).campaigns[0]?.warnings).toHaveLength(1);
  });

  it('a future deferred time is create, online and offline', () => {
    expect(single([loaded(future)], []).campaigns[0]?.action).toBe('create');
    expect(single([loaded(future)], null).campaigns[0]?.action).toBe('create');
  });
});

describe('makePlan: totals, unmanaged, offline', () => {
  const a = campaign({
    name: 'a',
    recipients: ['+33612345678', '+33612345679', '+33612345670'],
    analysis: ucs2Analysis(80, 2, 'ç', [3, 9]),
  });
  const b = campaign({ name: 'b' });

  it('totals count only what would be created; credits are parts × recipients', () => {
    const plan = single([loaded(a), loaded(b)], [batchFor(b), batchFor(campaign({ name: 'manual' }))]);
    expect(plan.totals).toEqual({ create: 1, recipients: 3, estimatedCredits: 6 });
    const json = toPlanJson(plan);
    expect(json.campaigns.map((entry) => [entry.name, entry.action, entry.estimatedCredits])).toEqual([
      ['a', 'create', 6],
      ['b', 'none', 2],
    ]);
    expect(json.campaigns[0]).toMatchObject({ encoding: 'UCS-2', characters: 80, parts: 2, nonGsmCharacters: ['ç'], recipients: 3 });
    expect(json.unmanaged).toEqual([{ name: 'manual', id: 'batch-manual', status: 'COMPLETED' }]);
    expect(json).toMatchObject({ version: 1, service: SERVICE, offline: false });
  });

  it('offline: every valid campaign is create, nothing is unmanaged', () => {
    const plan = single([loaded(a), loaded(b)], null);
    expect(plan.campaigns.map((entry) => entry.action)).toEqual(['create', 'create']);
    expect(toPlanJson(plan)).toMatchObject({
      service: null,
      offline: true,
      unmanaged: [],
      totals: { create: 2, recipients: 5, estimatedCredits: 8 },
    });
    expect(planExitCode(plan)).toBe(0);
  });

  it('exit code is 1 for a conflict', () => {
    expect(planExitCode(single([loaded(b)], [batchFor(b, { message: 'x' })]))).toBe(1);
  });
});

describe('plan digest', () => {
  const a = campaign({ name: 'a' });
  const b = campaign({ name: 'b', recipients: ['+33600000001', '+33600000002', '+33600000003'] });
  const digest = (entries: ReturnType<typeof campaign>[], batches: Batch[] = []) => single(entries.map(loaded), batches).digest;

  it('is a sha256 and equal for equal plans', () => {
    expect(digest([a, b])).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(digest([a, b])).toBe(digest([campaign({ name: 'a' }), campaign({ name: 'b', recipients: [...b.recipients] })]));
  });

  it('does not depend on file order, recipient order, the clock or file paths', () => {
    const reordered = campaign({ ...b, recipients: [...b.recipients].reverse(), file: 'elsewhere/b.yml' });
    expect(digest([b, a])).toBe(digest([a, reordered]));
    expect(makePlan([loaded(a)], online([]), new Date('2030-01-01T00:00:00Z')).digest).toBe(digest([a]));
  });

  it.each([
    ['message', { message: 'Other text' }],
    ['sender', { from: 'OTHER' }],
    ['a recipient', { recipients: ['+33600000009'] }],
    ['deferral', { deferred: '2026-12-24T10:00:00+01:00' }],
    ['noStop', { noStop: true }],
    ['tag', { tag: 'xmas' }],
    ['name', { name: 'a2' }],
  ])('changes when the %s changes', (_title, change) => {
    expect(digest([campaign({ ...a, ...change }), b])).not.toBe(digest([a, b]));
  });

  it('covers only what would be sent: campaigns already sent do not change it', () => {
    expect(digest([a, b], [batchFor(b)])).toBe(digest([a]));
  });
});

describe('toPlanJson', () => {
  it('builds each plan value once: every reader of the same plan gets the same JSON', () => {
    const plan = makePlan([], null, new Date('2026-11-26T10:00:00Z'));
    expect(toPlanJson(plan)).toBe(toPlanJson(plan));
    const other = makePlan([], null, new Date('2026-11-26T10:00:00Z'));
    expect(toPlanJson(other)).not.toBe(toPlanJson(plan));
    expect(toPlanJson(other)).toEqual(toPlanJson(plan));
  });
});
