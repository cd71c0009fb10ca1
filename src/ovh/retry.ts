import { OvhApiError } from '../account/index.js';
import { isRetryable } from './errors.js';

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
}

/** Delay before retry number `retry` (1-based): exponential, with jitter so parallel clients spread out. */
export function backoffDelayMs(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const exponential = policy.baseDelayMs * 2 ** (retry - 1);
  return Math.round(exponential * (0.5 + random() / 2));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs an idempotent operation, retrying the failures that may pass by themselves (see isRetryable). */
export async function withRetry<T>(policy: RetryPolicy, operation: () => Promise<T>): Promise<T> {
  const attempts = Math.max(1, Math.floor(policy.attempts));
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (attempt >= attempts || !(error instanceof OvhApiError) || !isRetryable(error)) throw error;
      await sleep(backoffDelayMs(policy, attempt));
    }
  }
}
