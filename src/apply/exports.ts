import { failureKind, OvhApiError, type SmsApi } from '../account/index.js';
import { errorText } from '../common/index.js';

/** OVH builds an export in its own time (the Manager polls every second): the first look waits that long. */
export const EXPORT_FIRST_POLL_MS = 1_000;
export const EXPORT_MAX_POLL_MS = 15_000;
/** Even past the run's timeout, an export gets this long from its request: a look, a retry, a download. */
const MIN_EXPORT_WINDOW_MS = 10_000;

export interface ExportFetcherOptions {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Runs one call in apply's pool. */
  limit: <T>(task: () => Promise<T>) => Promise<T>;
  /** Retries stop here (apply's wait timeout); every export gets at least MIN_EXPORT_WINDOW_MS. */
  deadlineMs: number;
  firstPollMs?: number;
  maxPollMs?: number;
}

interface PendingExport {
  batchId: string;
  file: string;
  documentId: string | null;
  dueMs: number;
  intervalMs: number;
  /** Every export gets one full try (request, polls, download) even when the run's deadline has passed. */
  deadlineMs: number;
  lastError: string | null;
  /** Told of each failure that is tried again (a progress line). */
  onRetry: (why: string) => void;
  resolve: (bytes: number) => void;
  reject: (error: Error) => void;
}

/**
 * Every batch's CSV export, fetched by one shared loop: each document is looked at when it is due, with its own
 * backoff, and every due document is looked at in the same round. A failed request, look or download is tried
 * again (a new export when the document is gone) until the deadline; the download is streamed to the file.
 */
export class ExportFetcher {
  private readonly pending = new Set<PendingExport>();
  private running: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private readonly firstPollMs: number;
  private readonly maxPollMs: number;

  constructor(
    private readonly api: SmsApi,
    private readonly options: ExportFetcherOptions,
  ) {
    this.firstPollMs = options.firstPollMs ?? EXPORT_FIRST_POLL_MS;
    this.maxPollMs = options.maxPollMs ?? EXPORT_MAX_POLL_MS;
  }

  /** Resolves with the bytes written to `file`, or rejects with why the export could not be fetched. */
  fetch(batchId: string, file: string, onRetry: (why: string) => void = () => {}): Promise<number> {
    return new Promise((resolve, reject) => {
      const now = this.options.now();
      const item: PendingExport = {
        batchId,
        file,
        documentId: null,
        dueMs: now,
        intervalMs: this.firstPollMs,
        lastError: null,
        onRetry,
        resolve,
        reject,
        deadlineMs: Math.max(this.options.deadlineMs, now + MIN_EXPORT_WINDOW_MS),
      };
      this.pending.add(item);
      this.wake?.();
      this.running ??= this.loop().finally(() => {
        this.running = null;
      });
    });
  }

  private async loop(): Promise<void> {
    while (this.pending.size > 0) {
      const now = this.options.now();
      const due = [...this.pending].filter((item) => item.dueMs <= now);
      if (due.length === 0) {
        const next = Math.min(...[...this.pending].map((item) => item.dueMs));
        // A new export wakes the loop: it is requested at once, not at the end of the current wait.
        await Promise.race([this.options.sleep(next - now), new Promise<void>((resolve) => (this.wake = resolve))]);
        this.wake = null;
        continue;
      }
      await Promise.all(due.map((item) => this.step(item)));
    }
  }

  private async step(item: PendingExport): Promise<void> {
    const { api, limit } = { api: this.api, limit: this.options.limit };
    let downloading = false;
    try {
      if (item.documentId === null) {
        item.documentId = await limit(() => api.requestOutgoingExport(item.batchId));
        item.intervalMs = this.firstPollMs;
        item.dueMs = this.options.now() + item.intervalMs;
        return;
      }
      const documentId = item.documentId;
      const document = await limit(() => api.getDocument(documentId));
      if (document.size === 0) {
        this.later(item, 'the export was not ready before the timeout');
        return;
      }
      downloading = true;
      const bytes = await limit(() => api.downloadToFile(document.getUrl, item.file));
      this.pending.delete(item);
      item.resolve(bytes);
    } catch (error) {
      const why = errorText(error);
      const gone = error instanceof OvhApiError && error.status === 404;
      // Refused for good (e.g. 403 on /me/document): no use asking again until the deadline.
      if (failureKind(error) === 'refused' && !gone && !downloading) {
        this.pending.delete(item);
        item.reject(new Error(why));
        return;
      }
      // The document is gone (expired, deleted) or its link refused: ask for a new one.
      if (gone || failureKind(error) === 'refused') item.documentId = null;
      this.later(item, why);
      if (this.pending.has(item)) item.onRetry(`fetching the CSV export failed (${why}); trying again`);
    }
  }

  private later(item: PendingExport, why: string): void {
    item.lastError = why;
    const now = this.options.now();
    if (now + item.intervalMs > item.deadlineMs) {
      this.pending.delete(item);
      item.reject(new Error(why));
      return;
    }
    item.dueMs = now + item.intervalMs;
    item.intervalMs = Math.min(item.intervalMs * 2, this.maxPollMs);
  }
}
