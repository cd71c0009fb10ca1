import { CANCELLING_STATUSES, type Batch, type SmsApi } from '../account/index.js';
import { errorText } from '../common/index.js';
import { pool, sendTests, type TestOutcome } from '../apply/index.js';
import type { LoadedCampaign } from '../campaign/types.js';
import { isTestBatchName } from '../plan/index.js';
import { renderFunnelSummary, renderTestSummary, type FunnelEntry, type ReportFolder, type SummaryFile } from '../report/index.js';

/** `status`: statistics calls in flight at once (an account holds thousands of batches). */
export const STATUS_CONCURRENCY = 4;

/**
 * Each batch with its statistics, a few calls at a time (an account holds thousands of batches). A batch whose
 * statistics cannot be read is shown without them, and the log says why.
 */
export function readStatistics(api: SmsApi, batches: Batch[], log: (line: string) => void): Promise<FunnelEntry[]> {
  const limit = pool(STATUS_CONCURRENCY);
  return Promise.all(
    batches.map(async (batch) => ({
      batch,
      statistics: await limit(() => api.getStatistics(batch.id)).catch((error: unknown) => {
        log(`warning: statistics of batch ${batch.id} (${batch.name}) unavailable: ${errorText(error)}`);
        return null;
      }),
    })),
  );
}

/**
 * `status --since <days>`: the statistics of every campaign batch sent in the period (test batches and cancelled
 * ones left out), read again, written as `<campaign>/statistics.json` and `status.json`, and the funnel summary.
 */
export async function refreshDelivery(
  api: SmsApi,
  input: { sinceDays: number; name: string | null; now: Date; report: ReportFolder; summary: SummaryFile; log: (line: string) => void },
): Promise<{ entries: FunnelEntry[]; markdown: string }> {
  const since = input.now.getTime() - input.sinceDays * 86_400_000;
  const batches = (await api.listBatches())
    .filter((batch) => !isTestBatchName(batch.name) && !CANCELLING_STATUSES.has(batch.status))
    .filter((batch) => input.name === null || batch.name === input.name)
    .filter((batch) => Date.parse(batch.sentAt ?? batch.createdAt) >= since)
    .sort((a, b) => Date.parse(b.sentAt ?? b.createdAt) - Date.parse(a.sentAt ?? a.createdAt));
  const entries: FunnelEntry[] = await readStatistics(api, batches, input.log);
  const markdown = renderFunnelSummary({ service: api.serviceName, sinceDays: input.sinceDays, now: input.now, entries });
  for (const { batch, statistics } of entries) {
    // Two batches of one name (an older cancelled one is already left out): the newest keeps the plain folder.
    if (statistics) await input.report.writeStatistics(batch.name, statistics, batch.id);
  }
  const status = entries.map(({ batch, statistics }) => ({
    name: batch.name,
    id: batch.id,
    status: batch.status,
    createdAt: batch.createdAt,
    sentAt: batch.sentAt,
    recipients: batch.totalRecords,
    statistics,
  }));
  await input.report.writeStatus({
    service: api.serviceName,
    sinceDays: input.sinceDays,
    readAt: input.now.toISOString(),
    campaigns: status,
  });
  if (input.summary === 'summary.md') await input.report.writeSummary(markdown);
  return { entries, markdown };
}

/** `test`: test sends of every valid campaign; an invalid campaign file is reported and tests nothing. */
export async function runTests(
  api: SmsApi,
  loaded: LoadedCampaign[],
  report: ReportFolder,
  summary: SummaryFile,
): Promise<{ outcomes: TestOutcome[]; markdown: string; invalid: number }> {
  const valid = loaded.flatMap((entry) => (entry.valid ? [entry.campaign] : []));
  const outcomes = await sendTests(valid, api);
  const markdown = renderTestSummary(outcomes);
  if (summary === 'summary.md') await report.writeSummary(markdown);
  return { outcomes, markdown, invalid: loaded.length - valid.length };
}
