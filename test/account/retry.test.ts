import { describe, expect, it } from 'vitest';
import { failureKind, lookUpDelays, nextStep, OvhApiError, withRetry, type RetryPolicy } from '../../src/account/index.js';

// The one retry policy (account/retry.ts): what is retried, after how long, and "outcome unknown: look it up first".

const policy: RetryPolicy = { attempts: 3, baseDelayMs: 100, random: () => 1 };
const busy = new OvhApiError('Too many requests', 'http', 429);
const lost = new OvhApiError('timed out', 'timeout');
const serverError = new OvhApiError('Internal error', 'http', 500);
const refused = new OvhApiError('Invalid sender', 'http', 400);

describe('the retry policy', () => {
  it('tells what a failure says about its effect', () => {
    expect([busy, lost, serverError, refused, new OvhApiError('x', 'network'), new Error('bug')].map(failureKind)).toEqual([
      'busy',
      'unknown',
      'unknown',
      'refused',
      'unknown',
      'refused',
    ]);
  });

  it('retries a repeatable call on busy and unknown failures, with a doubling delay, until the attempts are used', () => {
    expect(nextStep(policy, 'repeatable', busy, 1)).toEqual({ kind: 'retry', delayMs: 100 });
    expect(nextStep(policy, 'repeatable', lost, 2)).toEqual({ kind: 'retry', delayMs: 200 });
    expect(nextStep(policy, 'repeatable', lost, 3)).toEqual({ kind: 'give-up' });
    expect(nextStep(policy, 'repeatable', refused, 1)).toEqual({ kind: 'give-up' });
  });

  it('never repeats a once call whose outcome is unknown: it is looked up; a 429 (nothing done) is retried', () => {
    expect(nextStep(policy, 'once', lost, 1)).toEqual({ kind: 'look-up' });
    expect(nextStep(policy, 'once', serverError, 3)).toEqual({ kind: 'look-up' });
    expect(nextStep(policy, 'once', busy, 1)).toEqual({ kind: 'retry', delayMs: 100 });
    expect(nextStep(policy, 'once', busy, 3)).toEqual({ kind: 'give-up' });
    expect(nextStep(policy, 'once', refused, 1)).toEqual({ kind: 'give-up' });
  });

  it('spreads parallel clients with jitter between half and all of the delay', () => {
    const low = nextStep({ ...policy, random: () => 0 }, 'repeatable', busy, 2);
    expect(low).toEqual({ kind: 'retry', delayMs: 100 });
  });

  it('withRetry repeats a read through its sleep and tells of each retry, then gives the last error', async () => {
    const slept: number[] = [];
    const told: string[] = [];
    let calls = 0;
    const failing = withRetry(
      policy,
      async () => {
        calls += 1;
        throw serverError;
      },
      { sleep: async (ms) => void slept.push(ms), onRetry: (error, attempt) => told.push(`${attempt}: ${(error as Error).message}`) },
    );
    await expect(failing).rejects.toBe(serverError);
    expect(calls).toBe(3);
    expect(slept).toEqual([100, 200]);
    expect(told).toEqual(['1: Internal error', '2: Internal error']);

    calls = 0;
    const refusedOnce = withRetry(policy, async () => {
      calls += 1;
      throw refused;
    });
    await expect(refusedOnce).rejects.toBe(refused);
    expect(calls).toBe(1);
  });
});

describe('withRetry on a once call', () => {
  it('retries only while busy; an unknown outcome is thrown at once, for the caller to look up', async () => {
    const failures = [busy, lost];
    let calls = 0;
    const creation = withRetry(
      policy,
      async () => {
        calls += 1;
        throw failures.shift() ?? refused;
      },
      { call: 'once', sleep: async () => {} },
    );
    await expect(creation).rejects.toBe(lost);
    expect(calls).toBe(2);
  });
});

describe('look-up delays', () => {
  it('double from the first pause and stay at the most', () => {
    const delays = lookUpDelays(250, 1_000);
    expect(Array.from({ length: 5 }, () => delays.next().value)).toEqual([250, 500, 1_000, 1_000, 1_000]);
  });
});
