import { createHash } from 'node:crypto';
import type { Campaign } from '../campaign/types.js';

/** Campaign names cannot hold brackets, so no campaign can ever be named like a test batch. */
const TEST_BATCH_NAME = / \[test [0-9a-f]{12}\]$/;

/** What a test sends, hashed: an edited message (or sender, or test list) is a new test, the same one is not. */
export function testContentHash(campaign: Pick<Campaign, 'from' | 'senderForResponse' | 'message' | 'noStop' | 'testRecipients'>): string {
  const content = JSON.stringify([
    campaign.senderForResponse ? null : campaign.from,
    campaign.senderForResponse,
    campaign.message,
    campaign.noStop,
    [...campaign.testRecipients].sort(),
  ]);
  return createHash('sha256').update(content, 'utf8').digest('hex').slice(0, 12);
}

/** The test batch's name: the campaign's, marked as a test of this content, e.g. `promo [test 3f9a2c1e04b7]`. */
export function testBatchName(campaign: Parameters<typeof testContentHash>[0] & Pick<Campaign, 'name'>): string {
  return `${campaign.name} [test ${testContentHash(campaign)}]`;
}

export function isTestBatchName(name: string): boolean {
  return TEST_BATCH_NAME.test(name);
}
