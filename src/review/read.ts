import { OvhApiError, type SmsApi } from '../account/index.js';
import type { Campaign } from '../campaign/types.js';
import { countByCountry, estimateKey, normaliseReceiver, senderTypeOf } from '../plan/index.js';
import type { AccountChecks, Checked, OvhEstimate, SenderCheck } from '../plan/index.js';
import { errorText } from '../common/index.js';

export interface ReadChecksOptions {
  /** The whole review's budget: what has not answered by then is reported unchecked, and the plan goes on. */
  timeoutMs: number;
  /** Names of the account's batches: campaigns among them are not sent again, so their sender and parts are not asked. */
  batchNames: ReadonlySet<string>;
  /** Calls in flight at once. */
  concurrency?: number;
}

export const DEFAULT_REVIEW_TIMEOUT_MS = 20_000;

/** Why a check could not be made, in words a reviewer can act on (never the request body). */
export function describeFailure(error: unknown): string {
  if (error instanceof OvhApiError) {
    if (error.status === 403) return 'OVH answered 403: this token is not granted that call';
    if (error.kind === 'timeout') return 'OVH did not answer in time';
    if (error.kind === 'network') return 'OVH could not be reached';
    return error.message;
  }
  return errorText(error);
}

class Deadline {
  private readonly expired: Promise<never>;
  private timer: NodeJS.Timeout | undefined;

  constructor(timeoutMs: number) {
    this.expired = new Promise<never>((_, reject) => {
      this.timer = setTimeout(() => reject(new Error(`OVH did not answer within ${timeoutMs / 1000} s`)), timeoutMs);
    });
    this.expired.catch(() => undefined);
  }

  race<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.expired]);
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}

/** Runs tasks with at most `limit` in flight. */
function limiter(limit: number) {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((resolve) => queue.push(resolve));
    active += 1;
    try {
      return await task();
    } finally {
      active -= 1;
      queue.shift()?.();
    }
  };
}

/**
 * Reads what the plan's review needs from the account: the rate of every destination, the STOP list, and, for
 * campaigns not sent yet, their senders and OVH's count of their messages. Never throws: a refused, failed or slow
 * call leaves that check `unchecked` with the reason.
 */
export async function readAccountChecks(api: SmsApi, campaigns: readonly Campaign[], options: ReadChecksOptions): Promise<AccountChecks> {
  const review = api.review;
  const deadline = new Deadline(options.timeoutMs);
  const limit = limiter(options.concurrency ?? 4);
  const ask = async <T>(call: () => Promise<T>, needsReview = true): Promise<Checked<T>> => {
    if (!review && needsReview) return { status: 'unchecked', reason: 'this OVH client cannot make the check' };
    try {
      return { status: 'checked', value: await deadline.race(limit(call)) };
    } catch (error) {
      return { status: 'unchecked', reason: describeFailure(error) };
    }
  };
  /** A 404 is an answer: the thing does not exist. */
  const askOrMissing = async <T, M>(call: () => Promise<T>, missing: M): Promise<Checked<T | M>> =>
    ask(() =>
      call().catch((error: unknown) => {
        if (error instanceof OvhApiError && error.status === 404) return missing;
        throw error;
      }),
    );

  const countries = new Set<string>();
  for (const campaign of campaigns) {
    for (const country of countByCountry(campaign.recipients).keys()) if (country !== null) countries.add(country);
  }
  const unsent = campaigns.filter((campaign) => !options.batchNames.has(campaign.name));
  const senders = new Set(unsent.flatMap((campaign) => (campaign.senderForResponse || campaign.from === null ? [] : [campaign.from])));
  const messages = new Map(unsent.map((campaign) => [estimateKey(campaign), campaign]));

  try {
    const [rates, blacklist, senderChecks, estimates, creditsLeft] = await Promise.all([
      Promise.all(
        [...countries].map(
          async (country) =>
            [country, await askOrMissing(async () => (await review!.destinationRate(country.toLowerCase())).credit, null)] as const,
        ),
      ),
      ask(async () => new Set((await review!.blacklist()).map(normaliseReceiver))),
      Promise.all(
        [...senders].map(
          async (sender) =>
            [
              sender,
              await askOrMissing<SenderCheck, SenderCheck>(
                async () => {
                  const found = await review!.sender(sender);
                  return { kind: 'found', sender, status: found.status, comment: found.comment ?? null };
                },
                { kind: 'missing', sender },
              ),
            ] as const,
        ),
      ),
      Promise.all(
        [...messages].map(
          async ([key, campaign]) =>
            [
              key,
              await ask(async (): Promise<OvhEstimate> => {
                const estimate = await review!.estimate({
                  message: campaign.message,
                  noStopClause: campaign.noStop,
                  senderType: senderTypeOf(campaign),
                });
                return { parts: estimate.parts, encoding: estimate.charactersClass === '7bits' ? 'GSM-7' : 'UCS-2' };
              }),
            ] as const,
        ),
      ),
      ask(async () => (await api.getAccount()).creditsLeft, false),
    ]);
    return {
      rates: new Map(rates),
      blacklist,
      senders: new Map(senderChecks),
      estimates: new Map(estimates),
      creditsLeft,
    };
  } finally {
    deadline.clear();
  }
}
