import { afterEach, describe, expect, it } from 'vitest';
import { connectSmsService } from '../../src/ovh/index.js';
import { RateLimiter, retryAfterMs } from '../../src/ovh/rate-limit.js';
import { sandboxSettings, startSandbox, type Sandbox } from '../../src/sandbox/index.js';

/** Virtual time: sleeping moves the clock. */
function virtualTime() {
  let ms = 0;
  return {
    now: () => ms,
    sleep: async (wait: number) => {
      ms += wait;
      await Promise.resolve();
    },
  };
}

describe('RateLimiter', () => {
  it('lets a burst through, then spaces calls at the rate', async () => {
    const time = virtualTime();
    const limiter = new RateLimiter({ perSecond: 10, burst: 3 }, time.now, time.sleep);
    const starts: number[] = [];
    for (let call = 0; call < 8; call += 1) {
      await limiter.take();
      starts.push(time.now());
    }
    expect(starts).toEqual([0, 0, 0, 100, 200, 300, 400, 500]);
  });

  it('serves callers in order when they queue at once', async () => {
    const time = virtualTime();
    const limiter = new RateLimiter({ perSecond: 2, burst: 1 }, time.now, time.sleep);
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3].map((index) => limiter.take().then(() => order.push(index))));
    expect(order).toEqual([0, 1, 2, 3]);
    expect(time.now()).toBe(1500);
  });

  it('a Retry-After pause holds every call, even without a rate limit', async () => {
    const time = virtualTime();
    const limiter = new RateLimiter(null, time.now, time.sleep);
    await limiter.take();
    limiter.pause(3_000);
    await limiter.take();
    expect(time.now()).toBe(3_000);
    limiter.pause(10 * 60_000);
    await limiter.take();
    expect(time.now()).toBe(3_000 + 120_000); // capped
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterMs('2')).toBe(2_000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(retryAfterMs(undefined)).toBeNull();
    expect(retryAfterMs('soon')).toBeNull();
  });
});

describe('429 with Retry-After against the sandbox', () => {
  let sandbox: Sandbox | null = null;
  afterEach(async () => {
    await sandbox?.stop();
    sandbox = null;
  });

  it('waits what OVH asked before the next call, whatever the retry backoff says', async () => {
    sandbox = await startSandbox();
    const api = await connectSmsService({
      ...sandboxSettings(sandbox),
      timeoutMs: 2000,
      retry: { attempts: 3, baseDelayMs: 5 },
      rateLimit: null,
    });
    sandbox.addFault({ method: 'GET', path: /\/batches$/, kind: 'status', status: 429, retryAfterSeconds: 1 });
    const started = Date.now();
    await api.listBatches();
    const listings = sandbox.requests.filter((request) => request.path.endsWith('/batches'));
    expect(listings.map((request) => request.status)).toEqual([429, 200]);
    // The retry's own backoff is 5 ms; the second listing came after the second OVH asked for (generous lower bound).
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });
});
