import type { Campaign, LoadedCampaign } from '../../src/campaign/types.js';
import type { Batch } from '../../src/account/index.js';

export const NOW = new Date('2026-11-26T10:00:00Z');

export function campaign(overrides: Partial<Campaign> = {}): Campaign {
  const name = overrides.name ?? 'spring-sale';
  return {
    name,
    file: `campaigns/${name}.yml`,
    type: 'marketing',
    from: 'ACME',
    senderForResponse: false,
    message: 'Spring sale: -20% this weekend.',
    recipients: ['+33612345678', '+33612345679'],
    duplicatesRemoved: 0,
    testRecipients: [],
    country: null,
    deferred: null,
    noStop: false,
    tag: null,
    encoding: 'auto',
    maxParts: 6,
    cancel: false,
    description: null,
    analysis: { encoding: 'GSM-7', characters: 42, parts: 1, nonGsmCharacters: [] },
    warnings: [],
    positions: {
      name: { line: 1, column: 7 },
      from: { line: 3, column: 7 },
      message: { line: 4, column: 10 },
      to: { line: 5, column: 1 },
      deferred: { line: 8, column: 11 },
      cancel: { line: 9, column: 9 },
    },
    ...overrides,
  };
}

/** The analysis of a message that needs UCS-2 because of `char`, found at each of `indexes`. */
export function ucs2Analysis(characters: number, parts: number, char: string, indexes: number[]): Campaign['analysis'] {
  return { encoding: 'UCS-2', characters, parts, nonGsmCharacters: indexes.map((index) => ({ char, index })) };
}

export function loaded(value: Campaign): LoadedCampaign {
  return { valid: true, campaign: value };
}

/** The batch OVH would hold after sending `source`, STOP clause appended as OVH does. */
export function batchFor(source: Campaign, overrides: Partial<Batch> = {}): Batch {
  return {
    accountID: 1,
    createdAt: '2026-11-25T09:00:00Z',
    errors: [],
    estimatedCredits: source.recipients.length,
    finishedAt: '2026-11-25T09:00:05Z',
    from: source.senderForResponse ? '36111' : source.from,
    id: `batch-${source.name}`,
    message: source.noStop ? source.message : `${source.message}\nSTOP 36184`,
    name: source.name,
    processedRecords: source.recipients.length,
    receivers: [...source.recipients],
    sentAt: '2026-11-25T09:00:01Z',
    slotID: null,
    startedAt: '2026-11-25T09:00:01Z',
    status: 'COMPLETED',
    totalRecords: source.recipients.length,
    updatedAt: '2026-11-25T09:00:05Z',
    ...overrides,
  };
}
