import { CANCELLING_STATUSES, OvhApiError, type Batch, type SmsApi } from '../account/index.js';
import type { Campaign } from '../campaign/types.js';
import { testBatchName } from '../plan/index.js';
import { errorText } from '../common/index.js';

/** What the `test` command did for one campaign. */
export type TestOutcome =
  | { kind: 'sent'; campaign: string; file: string; batchName: string; batchId: string; recipients: number }
  | { kind: 'already-tested'; campaign: string; file: string; batchName: string; batchId: string; status: string }
  | { kind: 'no-test-recipients'; campaign: string; file: string }
  | { kind: 'failed'; campaign: string; file: string; batchName: string; message: string };

/** A test batch that stands: one cancelled or failed at OVH does not count as the test having been sent. */
function standing(batches: Batch[], name: string): Batch | undefined {
  return batches.find((batch) => batch.name === name && !CANCELLING_STATUSES.has(batch.status) && batch.status !== 'FAILED');
}

/**
 * Sends each campaign's exact message to its test numbers, as a batch named after the campaign and the content
 * (testBatchName): a content already tested is not sent again. A creation whose outcome is unknown is looked up by
 * name, never retried blindly, so a re-run finishes the work without sending twice.
 */
export async function sendTests(campaigns: readonly Campaign[], api: SmsApi): Promise<TestOutcome[]> {
  let batches = await api.listBatches();
  const outcomes: TestOutcome[] = [];
  for (const campaign of campaigns) {
    const base = { campaign: campaign.name, file: campaign.file };
    if (campaign.testRecipients.length === 0) {
      outcomes.push({ kind: 'no-test-recipients', ...base });
      continue;
    }
    const batchName = testBatchName(campaign);
    const existing = standing(batches, batchName);
    if (existing) {
      outcomes.push({ kind: 'already-tested', ...base, batchName, batchId: existing.id, status: existing.status });
      continue;
    }
    try {
      const batch = await api.createBatch({
        name: batchName,
        message: campaign.message,
        ...(campaign.senderForResponse ? { senderForResponse: true } : { from: campaign.from ?? undefined }),
        to: [...campaign.testRecipients],
        noStop: campaign.noStop,
        ...(campaign.tag ? { tag: campaign.tag } : {}),
      });
      outcomes.push({ kind: 'sent', ...base, batchName, batchId: batch.id, recipients: campaign.testRecipients.length });
    } catch (error) {
      const unknown = error instanceof OvhApiError && error.outcomeUnknown;
      if (unknown) {
        batches = await api.listBatches().catch(() => batches);
        const created = standing(batches, batchName);
        if (created) {
          outcomes.push({ kind: 'sent', ...base, batchName, batchId: created.id, recipients: campaign.testRecipients.length });
          continue;
        }
      }
      const message = errorText(error) + (unknown ? ': no test batch was found afterwards; run `test` again to send it' : '');
      outcomes.push({ kind: 'failed', ...base, batchName, message });
    }
  }
  return outcomes;
}
