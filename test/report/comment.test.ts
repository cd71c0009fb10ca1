import { describe, expect, it } from 'vitest';
import { campaignDigest } from '../../src/plan/index.js';
import { COMMENT_MAX_CHARS, parseCommentMarker, renderPlanComment } from '../../src/report/index.js';
import { campaign, plan, problem } from './fixtures.js';

describe('renderPlanComment', () => {
  it('starts with a hidden marker carrying the digest, which parses back', () => {
    const entry = { action: 'create' as const, campaign: campaign(), errors: [] };
    const body = renderPlanComment(plan([entry, { action: 'none', campaign: campaign({ name: 'Sent' }), batch: null, errors: [] }]));
    expect(body.startsWith('<!-- sms-campaigns:plan {"digest":"sha256:abab')).toBe(true);
    expect(parseCommentMarker(body)).toEqual({ digest: 'sha256:' + 'ab'.repeat(32), campaigns: [campaignDigest(entry)] });
    expect(campaignDigest(entry)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(body).toContain('Spring sale');
  });

  it('stays under 65,536 characters however many campaigns', () => {
    const campaigns = Array.from({ length: 5000 }, (_, index) => ({
      action: 'create' as const,
      campaign: campaign({ name: `Campaign ${index}`, warnings: [problem({ message: '✓'.repeat(100) })] }),
      errors: [],
    }));
    const body = renderPlanComment(plan(campaigns));
    expect(body.length).toBeLessThanOrEqual(COMMENT_MAX_CHARS);
    expect(body.length).toBeGreaterThan(COMMENT_MAX_CHARS - 2000);
    expect(body).toContain('This comment was cut');
    expect(parseCommentMarker(body)).toEqual({ digest: 'sha256:' + 'ab'.repeat(32), campaigns: [] });
  });
});

describe('parseCommentMarker', () => {
  it('ignores comments without the marker, with it elsewhere, or with broken JSON', () => {
    expect(parseCommentMarker('LGTM')).toBeNull();
    expect(parseCommentMarker(null)).toBeNull();
    expect(parseCommentMarker('quote: <!-- sms-campaigns:plan {"digest":"x"} -->')).toBeNull();
    expect(parseCommentMarker('<!-- sms-campaigns:plan {"digest": -->')).toBeNull();
    expect(parseCommentMarker('<!-- sms-campaigns:plan {"other":1} -->')).toBeNull();
    expect(parseCommentMarker('<!-- sms-campaigns:plan {"digest":"sha256:00"} -->\nbody')).toEqual({ digest: 'sha256:00', campaigns: [] });
    expect(parseCommentMarker('<!-- sms-campaigns:plan {"digest":"sha256:00","campaigns":["sha256:01",2]} -->')).toEqual({
      digest: 'sha256:00',
      campaigns: ['sha256:01'],
    });
  });
});

describe('who gets what', () => {
  it('shows the sender, masked recipients and the message of each campaign to create or in conflict', () => {
    const promo = campaign({
      name: 'Promo',
      message: 'Code `BF30` ```tick``` -30%',
      recipients: ['+33612345610', '+33612345611', '+33612345612', '+33612345613'],
    });
    const notice = campaign({ name: 'Notice', type: 'transactional', noStop: true, from: 'SHOP', message: 'Your parcel ships today' });
    const sent = campaign({ name: 'Sent already', message: 'Old news' });
    const body = renderPlanComment(
      plan([
        { action: 'create', campaign: promo, errors: [] },
        { action: 'conflict', campaign: notice, batches: [], errors: [] },
        { action: 'none', campaign: sent, batch: null, errors: [] },
      ]),
    );
    const messages = body.slice(body.indexOf('### Messages'));
    expect(messages).toContain('<b>Promo</b> (marketing) from ACME to 4: +33 6•• ••• •10, +33 6•• ••• •11, +33 6•• ••• •12 and 1 more');
    expect(messages).toContain('````text\nCode `BF30` ```tick``` -30%\n````');
    expect(messages).toContain('<b>Notice</b> (transactional) from SHOP to 2');
    expect(messages).toContain('Your parcel ships today');
    expect(messages).not.toContain('Old news');
    expect(messages.match(/OVH appends `STOP 36184`/g)).toHaveLength(1);
    expect(body).not.toMatch(/\+3361234561\d/);
  });
});
