export interface RateLimit {
  /** Calls started per second at most, on average. */
  perSecond: number;
  /** Calls that may start at once after a quiet spell. */
  burst: number;
}

/** OVH documents no limit ("fair use"); 20 calls a second keeps a large apply well below what it answers with 429. */
export const DEFAULT_RATE_LIMIT: RateLimit = { perSecond: 20, burst: 20 };

/** Longest Retry-After honoured: a larger value is more likely a mistake than a wish to stall a run for hours. */
const MAX_RETRY_AFTER_MS = 120_000;

/**
 * A token bucket in front of every OVH call, plus a pause when OVH answers 429 with Retry-After.
 * `now` and `sleep` are injectable so the schedule is tested without waiting.
 */
export class RateLimiter {
  private tokens: number;
  private refilledAt: number;
  private pausedUntil = 0;
  /** Callers queue in order, so a burst of calls cannot starve an early one. */
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly limit: RateLimit | null,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    this.tokens = limit?.burst ?? 0;
    this.refilledAt = now();
  }

  /** Resolves when the next call may start. */
  take(): Promise<void> {
    const turn = this.tail.then(() => this.wait());
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  /** OVH asked to wait (429 with Retry-After): no call starts before then. */
  pause(ms: number): void {
    if (!(ms > 0)) return;
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + Math.min(ms, MAX_RETRY_AFTER_MS));
  }

  private async wait(): Promise<void> {
    for (;;) {
      const now = this.now();
      if (now < this.pausedUntil) {
        await this.sleep(this.pausedUntil - now);
        continue;
      }
      if (this.limit === null) return;
      const { perSecond, burst } = this.limit;
      this.tokens = Math.min(burst, this.tokens + ((now - this.refilledAt) * perSecond) / 1000);
      this.refilledAt = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.sleep(Math.ceil(((1 - this.tokens) * 1000) / perSecond));
    }
  }
}

/** Retry-After as seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined, now: number = Date.now()): number | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return null;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
