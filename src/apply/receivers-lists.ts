import type { Campaign } from '../campaign/types.js';
import { failureKind, OvhApiError, withRetry, type Batch, type CallKind, type RetryPolicy, type SmsApi } from '../account/index.js';
import { errorText } from '../common/index.js';

/**
 * Campaigns with at least this many recipients are sent through an OVH receivers list (slotID) rather than a
 * `to` array: 10,000 numbers are a 170 kB JSON body; a 1M-number body (16 MB) times out at OVH's front.
 */
export const DEFAULT_RECEIVERS_LIST_THRESHOLD = 10_000;

/** Lists this tool creates carry this description prefix, so its leftovers are recognised and nobody else's are touched. */
export const RECEIVERS_LIST_MARK = 'sms-campaigns:';

/** A leftover of ours that no pending creation of this run explains is deleted once it is this old. */
const LEFTOVER_AGE_MS = 60 * 60_000;

const UNFINISHED = (batch: Batch) => !['COMPLETED', 'FAILED', 'CANCELED'].includes(batch.status);

/** A 404: the list (or slot) is not there, which is what deleting it wants anyway. */
function isGone(error: unknown): boolean {
  return error instanceof OvhApiError && error.status === 404;
}

export function listDescription(campaignName: string): string {
  return `${RECEIVERS_LIST_MARK} ${campaignName}`;
}

/** The list's CSV: a `number` header, then one E.164 number a line, in chunks (a 1M list is never one string). */
export function* receiversCsv(recipients: readonly string[], linesPerChunk = 10_000): Generator<string> {
  yield 'number\n';
  for (let start = 0; start < recipients.length; start += linesPerChunk) {
    yield `${recipients.slice(start, start + linesPerChunk).join('\n')}\n`;
  }
}

/** Calls are made straight, not through apply's pool: they run inside a creation, which holds a pool slot. */
export interface ReceiversListsOptions {
  now: () => number;
  /** Names of the campaigns this run is about to create: a list of ours left for one of them is garbage. */
  creating: ReadonlySet<string>;
  retry: RetryPolicy;
  sleep: (ms: number) => Promise<void>;
}

/** Told of a problem that changes nothing sent but leaves something behind on the account. */
export type Warn = (text: string) => void;

/**
 * The receivers lists of one apply run. OVH keeps only a few lists per service, so before the first upload
 * the lists this tool left behind (crash between upload and creation, or a batch finished without clean-up)
 * are deleted; then each big campaign gets a free slot, its list is uploaded (`POST /me/document`, PUT),
 * registered (`POST …/receivers`), and the document deleted (the slot holds its own copy).
 */
export class ReceiversLists {
  private cleaned: Promise<void> | null = null;
  private readonly taken = new Set<number>();

  constructor(
    private readonly api: SmsApi,
    private readonly options: ReceiversListsOptions,
  ) {}

  /** Uploads the campaign's recipients as a list and returns its slot. Nothing is sent yet. */
  async prepare(campaign: Campaign, listing: () => Promise<Batch[]>, warn: Warn): Promise<number> {
    const { api } = this;
    this.cleaned ??= this.cleanLeftovers(listing, warn);
    await this.cleaned;
    const slotId = this.nextFreeSlot();
    const description = listDescription(campaign.name);
    try {
      const name = `${campaign.name.replace(/[^A-Za-z0-9_.-]+/g, '_')}.csv`;
      const document = await this.retry(() => api.createDocument(name), 'once');
      try {
        await api.uploadDocument(document.putUrl, () => receiversCsv(campaign.recipients));
        await this.register(slotId, document.id, description);
      } finally {
        // The document holds every number: it does not stay on the account longer than needed.
        await this.retry(() => api.deleteDocument(document.id)).catch((error: unknown) => {
          if (!isGone(error))
            warn(
              `the uploaded recipients document ${document.id} could not be deleted (${errorText(error)}): delete it from the account's documents`,
            );
        });
      }
      return slotId;
    } catch (error) {
      this.taken.delete(slotId);
      throw error;
    }
  }

  /** Deletes a campaign's list once its batch no longer needs it; a list that is not ours (or gone) is left alone. */
  async release(slotId: number, campaignName: string, warn: Warn): Promise<void> {
    const { api } = this;
    try {
      const list = await api.getReceiversList(slotId);
      if (list.description !== listDescription(campaignName)) return;
      await this.retry(() => api.deleteReceiversList(slotId));
    } catch (error) {
      if (isGone(error)) return;
      warn(`receivers list ${slotId} could not be deleted (${errorText(error)}): the next run that needs a slot deletes it`);
    } finally {
      this.taken.delete(slotId);
    }
  }

  /** Creating a list is a `once` call: a lost answer is looked up (the list may be there all the same), never repeated. */
  private async register(slotId: number, documentId: string, description: string): Promise<void> {
    const { api } = this;
    try {
      await this.retry(() => api.createReceiversList({ slotId, documentId, description }), 'once');
    } catch (error) {
      if (failureKind(error) !== 'unknown') throw error;
      const landed = await api.getReceiversList(slotId).catch((lookError: unknown) => {
        throw new Error(`${errorText(error)}; looking the list up afterwards failed too: ${errorText(lookError)}`);
      });
      if (landed.description !== description) throw error;
    }
  }

  /** A write under the one retry policy (the account adapter already retries its reads with it). */
  private retry<T>(operation: () => Promise<T>, call: CallKind = 'repeatable'): Promise<T> {
    return withRetry(this.options.retry, operation, { call, sleep: this.options.sleep });
  }

  private nextFreeSlot(): number {
    let slot = 1;
    while (this.taken.has(slot)) slot += 1;
    this.taken.add(slot);
    return slot;
  }

  private async cleanLeftovers(listing: () => Promise<Batch[]>, warn: Warn): Promise<void> {
    const { api, options } = this;
    const [slots, batches] = await Promise.all([api.listReceiversLists(), listing()]);
    const slotBatches = batches.filter((batch) => batch.slotID !== null);
    const inUse = new Set(slotBatches.filter(UNFINISHED).map((batch) => String(batch.slotID)));

    await Promise.all(
      slots.map(async (slotId) => {
        this.taken.add(slotId);
        if (inUse.has(String(slotId))) return;
        const list = await api.getReceiversList(slotId).catch((error: unknown) => {
          if (!isGone(error)) warn(`receivers list ${slotId} could not be read (${errorText(error)}): left as it is`);
          return null;
        });
        if (list === null || !list.description.startsWith(RECEIVERS_LIST_MARK)) return;
        const name = list.description.slice(RECEIVERS_LIST_MARK.length).trim();
        // Unused by any batch, it may be an overlapping run's list about to be used: only ours to re-create, or old.
        const old = options.now() - Date.parse(list.datetime) > LEFTOVER_AGE_MS;
        // A finished batch created after the list was registered has used it (slot numbers are reused).
        const usedAndDone = slotBatches.some(
          (batch) => String(batch.slotID) === String(slotId) && Date.parse(batch.createdAt) >= Date.parse(list.datetime),
        );
        if (!usedAndDone && !old && !options.creating.has(name)) return;
        await this.retry(() => api.deleteReceiversList(slotId)).then(
          () => this.taken.delete(slotId),
          (error: unknown) => warn(`leftover receivers list ${slotId} could not be deleted (${errorText(error)}): another slot is used`),
        );
      }),
    );
  }
}
