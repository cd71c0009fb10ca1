import {
  CANCELLING_STATUSES,
  DEFAULT_RETRY,
  failureKind,
  withRetry,
  type Batch,
  type BatchParams,
  type RetryPolicy,
  type SmsApi,
} from '../account/index.js';
import type { Campaign } from '../campaign/types.js';
import { testBatchName } from '../plan/index.js';
import { errorText } from '../common/index.js';

/** What the `test` command did for one campaign. */
export type TestOutcome =
  | { kind: 'sent'; campaign: string; file: string; batchName: string; batchId: string; recipients: number }
  | { kind: 'already-tested'; campaign: string; file: string; batchName: string; batchId: string; status: string }
  | { kind: 'no-test-recipients'; campaign: string; file: string }
  | { kind: 'failed'; campaign: string; file: string; batchName: string; message: string };

export interface TestSendOptions {
  /** A creation refused for now (429) is tried again under this policy; a lost answer is looked up, never repeated. */
  policy?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
}

/** A test batch that stands: one cancelled or failed at OVH does not count as the test having been sent. */
function standing(batches: Batch[], name: string): Batch | undefined {
  return batches.find((batch) => batch.name === name && !CANCELLING_STATUSES.has(batch.status) && batch.status !== 'FAILED');
}

/**
 * Sends each campaign's exact message to its test numbers, as a batch named after the campaign and the content
 * (testBatchName): a content already tested is not sent again. A creation whose outcome is unknown is looked up by
 * name, never retried blindly, so a re-run finishes the work without sending twice.
 */
export async function sendTests(campaigns: readonly Campaign[], api: SmsApi, options: TestSendOptions = {}): Promise<TestOutcome[]> {
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
    const params: BatchParams = {
      name: batchName,
      message: campaign.message,
      ...(campaign.senderForResponse ? { senderForResponse: true } : { from: campaign.from ?? undefined }),
      to: [...campaign.testRecipients],
      noStop: campaign.noStop,
      ...(campaign.tag ? { tag: campaign.tag } : {}),
    };
    const created = await createTestBatch(api, params, options, async () => {
      batches = await api.listBatches();
      return standing(batches, batchName);
    });
    outcomes.push(
      'batchId' in created
        ? { kind: 'sent', ...base, batchName, batchId: created.batchId, recipients: campaign.testRecipients.length }
        : { kind: 'failed', ...base, batchName, message: created.failed },
    );
  }
  return outcomes;
}

/** A creation under the retry policy: 429 tried again after a pause; a lost answer looked up by name, never repeated. */
async function createTestBatch(
  api: SmsApi,
  params: BatchParams,
  { policy = DEFAULT_RETRY, sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)) }: TestSendOptions,
  lookUp: () => Promise<Batch | undefined>,
): Promise<{ batchId: string } | { failed: string }> {
  try {
    return { batchId: (await withRetry(policy, () => api.createBatch(params), { call: 'once', sleep })).id };
  } catch (error) {
    if (failureKind(error) !== 'unknown') return { failed: errorText(error) };
    const why = await lookUp().then(
      (found) => found ?? 'no test batch was found afterwards',
      (lookError: unknown) => `looking the test batch up failed too (${errorText(lookError)})`,
    );
    if (typeof why !== 'string') return { batchId: why.id };
    return { failed: `${errorText(error)}: ${why}; run \`test\` again to send it` };
  }
}
