import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CANCELLING_STATUSES, type Batch, type SmsApi } from '../account/index.js';
import { errorText } from '../common/index.js';
import { campaignFolderName, pool, sendTests, type TestOutcome } from '../apply/index.js';
import type { LoadedCampaign } from '../campaign/types.js';
import { isTestBatchName } from '../plan/index.js';
import { renderFunnelSummary, renderTestSummary, type FunnelEntry } from '../report/index.js';

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
  input: { sinceDays: number; name: string | null; now: Date; reportDir: string; log: (line: string) => void },
): Promise<{ entries: FunnelEntry[]; markdown: string }> {
  const since = input.now.getTime() - input.sinceDays * 86_400_000;
  const batches = (await api.listBatches())
    .filter((batch) => !isTestBatchName(batch.name) && !CANCELLING_STATUSES.has(batch.status))
    .filter((batch) => input.name === null || batch.name === input.name)
    .filter((batch) => Date.parse(batch.sentAt ?? batch.createdAt) >= since)
    .sort((a, b) => Date.parse(b.sentAt ?? b.createdAt) - Date.parse(a.sentAt ?? a.createdAt));
  const entries: FunnelEntry[] = await readStatistics(api, batches, input.log);
  const markdown = renderFunnelSummary({ service: api.serviceName, sinceDays: input.sinceDays, now: input.now, entries });
  await mkdir(input.reportDir, { recursive: true });
  const folders = new Map<string, number>();
  for (const { batch, statistics } of entries) {
    if (!statistics) continue;
    // Two batches of one name (an older cancelled one is already left out): the newest keeps the plain folder.
    const base = campaignFolderName(batch.name);
    const seen = folders.get(base) ?? 0;
    folders.set(base, seen + 1);
    const folder = path.join(input.reportDir, seen === 0 ? base : `${base}-${seen + 1}`);
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'statistics.json'), `${JSON.stringify(statistics, null, 2)}\n`);
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
  await writeFile(
    path.join(input.reportDir, 'status.json'),
    `${JSON.stringify({ service: api.serviceName, sinceDays: input.sinceDays, readAt: input.now.toISOString(), campaigns: status }, null, 2)}\n`,
  );
  await writeFile(path.join(input.reportDir, 'summary.md'), markdown);
  return { entries, markdown };
}

/** `test`: test sends of every valid campaign; an invalid campaign file is reported and tests nothing. */
export async function runTests(
  api: SmsApi,
  loaded: LoadedCampaign[],
  reportDir: string,
): Promise<{ outcomes: TestOutcome[]; markdown: string; invalid: number }> {
  const valid = loaded.flatMap((entry) => (entry.valid ? [entry.campaign] : []));
  const outcomes = await sendTests(valid, api);
  const markdown = renderTestSummary(outcomes);
  await mkdir(reportDir, { recursive: true });
  await writeFile(path.join(reportDir, 'summary.md'), markdown);
  return { outcomes, markdown, invalid: loaded.length - valid.length };
}
