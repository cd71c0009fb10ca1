import { OvhApiError } from './port.js';

// The one retry policy of every call to the account: what may be tried again, after how long, and the rule for a
// call that changes the account: a failure whose outcome is unknown is looked up before anything is tried again.

export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  attempts: number;
  /** Delay before the first retry; each next one doubles, with jitter. */
  baseDelayMs: number;
  /** Jitter source, [0, 1); Math.random by default. */
  random?: () => number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 500 };

/**
 * What a failed call says about its effect.
 * - busy: OVH refused for now (429) and did nothing: safe to try again after a pause.
 * - unknown: the call may have reached OVH and taken effect (timeout, dropped connection, 5xx, unreadable answer).
 * - refused: a final answer (any other 4xx), or not an account error at all: trying again would not help.
 */
export type FailureKind = 'busy' | 'unknown' | 'refused';

export function failureKind(error: unknown): FailureKind {
  if (!(error instanceof OvhApiError)) return 'refused';
  if (error.kind === 'http' && error.status === 429) return 'busy';
  return error.outcomeUnknown ? 'unknown' : 'refused';
}

/** A repeatable call (a read, a cancel) is tried again on what may pass by itself: rate limiting, 5xx, lost connections. */
export function isRetryable(error: unknown): boolean {
  return failureKind(error) !== 'refused';
}

/**
 * A call is `repeatable` when doing it twice does no more than once (reads, a cancel, a document PUT), or `once`
 * when a second one would do it twice (creating a batch, a receivers list, a document).
 * The next step after attempt number `attempt` (1-based) of a call failed with `error`:
 * - retry after `delayMs`;
 * - look-up: a `once` call whose outcome is unknown; the caller reads the account to learn whether it landed, and
 *   never repeats it blindly;
 * - give-up: refused, or attempts used up.
 */
export type CallKind = 'repeatable' | 'once';

export type NextStep = { kind: 'retry'; delayMs: number } | { kind: 'look-up' } | { kind: 'give-up' };

export function nextStep(policy: RetryPolicy, call: CallKind, error: unknown, attempt: number): NextStep {
  const failure = failureKind(error);
  if (call === 'once' && failure === 'unknown') return { kind: 'look-up' };
  if (failure === 'refused' || attempt >= Math.max(1, Math.floor(policy.attempts))) return { kind: 'give-up' };
  return { kind: 'retry', delayMs: backoffDelayMs(policy, attempt) };
}

/** Delay before retry number `retry` (1-based): exponential, with jitter so parallel clients spread out. */
export function backoffDelayMs(policy: RetryPolicy, retry: number, random: () => number = policy.random ?? Math.random): number {
  const exponential = policy.baseDelayMs * 2 ** (retry - 1);
  return Math.round(exponential * (0.5 + random() / 2));
}

/**
 * The pauses between looks while an outcome is looked up (a lost creation, a batch whose receivers are not listed
 * yet, a check during the hold): doubling from `first`, never more than `max`. Pure and endless: the caller's
 * deadline ends the look-up.
 */
export function* lookUpDelays(first: number, max: number): Generator<number, never> {
  for (let delay = first; ; delay = Math.min(delay * 2, max)) yield delay;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface RetryHooks {
  /** `repeatable` (default) or `once`: a `once` call is retried only when busy; its unknown outcome is thrown, to look up. */
  call?: CallKind;
  sleep?: (ms: number) => Promise<void>;
  /** Told of each failure that is tried again, before the pause. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/** Runs a call under the policy (see nextStep): retried after a pause while it says so, else the error is thrown. */
export async function withRetry<T>(policy: RetryPolicy, operation: () => Promise<T>, hooks: RetryHooks = {}): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      const step = nextStep(policy, hooks.call ?? 'repeatable', error, attempt);
      if (step.kind !== 'retry') throw error;
      hooks.onRetry?.(error, attempt, step.delayMs);
      await (hooks.sleep ?? realSleep)(step.delayMs);
    }
  }
}
