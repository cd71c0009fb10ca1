import type { ApplyResult, CampaignResult } from '../../src/apply/types.js';
import type { Campaign, Problem } from '../../src/campaign/types.js';
import type { CampaignPlan, Plan } from '../../src/plan/types.js';
import { campaign as planCampaign } from '../plan/fixtures.js';

/** The plan's campaign fixture, with the values these report tests read. */
export function campaign(overrides: Partial<Campaign> = {}): Campaign {
  return planCampaign({
    name: 'Spring sale',
    file: 'campaigns/spring.yml',
    message: 'Spring sale: -20% this weekend',
    recipients: ['+33612345678', '+33698765432'],
    country: 'FR',
    analysis: { encoding: 'GSM-7', characters: 41, parts: 1, nonGsmCharacters: [] },
    positions: {},
    ...overrides,
  });
}

export function problem(overrides: Partial<Problem> = {}): Problem {
  return { file: 'campaigns/spring.yml', line: 3, column: 5, field: 'message', message: 'something is wrong', ...overrides };
}

/** A plan entry for a campaign file that did not load: these errors, no campaign. */
export function invalidEntry(name: string | null, file: string, errors: Problem[]): CampaignPlan {
  return { action: 'invalid', campaign: null, invalid: { name, file, errors: [], warnings: [] }, errors };
}

export function plan(campaigns: CampaignPlan[], overrides: Partial<Plan> = {}): Plan {
  const creates = campaigns.filter((entry) => entry.action === 'create');
  const recipients = creates.reduce((sum, entry) => sum + (entry.campaign?.recipients.length ?? 0), 0);
  return {
    service: 'sms-ab12345-1',
    offline: false,
    createdAt: '2026-11-26T08:00:00Z',
    campaigns,
    unmanaged: [],
    digest: 'sha256:' + 'ab'.repeat(32),
    totals: { create: creates.length, recipients, estimatedCredits: recipients },
    ...overrides,
  };
}

export function result(overrides: Partial<CampaignResult> = {}): CampaignResult {
  return {
    name: 'Spring sale',
    file: 'campaigns/spring.yml',
    action: 'create',
    batchId: 'b-1',
    created: true,
    status: 'COMPLETED',
    outcome: 'completed',
    timings: { createdAt: null, startedAt: null, finishedAt: null, elapsedMs: 1200 },
    statistics: { id: 'b-1', credits: 2, estimatedCredits: 2, pending: 0, sent: 2, delivered: 1, failed: 1, stoplisted: 0 },
    receiverErrors: [],
    exportFile: null,
    exportWarning: null,
    message: null,
    warnings: [],
    ...overrides,
  };
}

export function applyResult(campaigns: CampaignResult[]): ApplyResult {
  return {
    service: 'sms-ab12345-1',
    startedAt: '2026-11-26T08:00:00Z',
    finishedAt: '2026-11-26T08:01:00Z',
    campaigns,
    created: campaigns.filter((entry) => entry.created).length,
    ok: campaigns.every((entry) => entry.outcome === 'completed'),
    warnings: [],
  };
}
