import { writeFile } from 'node:fs/promises';
import { OvhApiError, type SmsApi } from '../../src/account/index.js';
import type { Batch, BatchParams, BatchStatistics, OvhDocument, ReceiversList, SmsAccount } from '../../src/account/index.js';

/** A virtual clock: sleeping advances it at once, so timeouts of minutes take microseconds. */
export class VirtualClock {
  ms = Date.parse('2026-11-26T10:00:00Z');
  now = (): Date => new Date(this.ms);
  sleep = async (ms: number): Promise<void> => {
    this.ms += ms;
    await new Promise((resolve) => setImmediate(resolve));
  };
}

/**
 * An in-memory stand-in for one OVH SMS service, on the virtual clock: a batch runs `durationMs`
 * after creation, unless deferred. Used for the clock-driven cases; the sandbox tests cover HTTP.
 */
export class FakeSmsApi implements SmsApi {
  readonly serviceName = 'sms-fake-1';
  readonly calls: string[] = [];
  readonly createParams: BatchParams[] = [];
  readonly batches: Batch[] = [];
  creditsLeft = 1000;
  durationMs = 3_000;
  activeCreations = 0;
  maxActiveCreations = 0;
  /** Called before each creation; may throw to inject a failure. */
  beforeCreate: (params: BatchParams) => void = () => {};

  constructor(private readonly clock: VirtualClock) {}

  async getAccount(): Promise<SmsAccount> {
    this.calls.push('getAccount');
    return { name: this.serviceName, creditsLeft: this.creditsLeft, status: 'enable' };
  }

  async listBatches(): Promise<Batch[]> {
    this.calls.push('listBatches');
    return this.batches.map((batch) => this.advance(batch));
  }

  async getBatch(id: string): Promise<Batch> {
    this.calls.push('getBatch');
    return this.advance(this.find(id));
  }

  async createBatch(params: BatchParams): Promise<Batch> {
    this.calls.push('createBatch');
    this.createParams.push(params);
    this.activeCreations += 1;
    this.maxActiveCreations = Math.max(this.maxActiveCreations, this.activeCreations);
    try {
      await new Promise((resolve) => setImmediate(resolve));
      this.beforeCreate(params);
      const created = this.clock.now().toISOString();
      const batch: Batch = {
        accountID: 1,
        createdAt: created,
        errors: [],
        estimatedCredits: params.to?.length ?? 0,
        finishedAt: null,
        from: params.from ?? null,
        id: `batch-${this.batches.length + 1}`,
        message: params.noStop ? params.message : `${params.message}\nSTOP 36184`,
        name: params.name ?? '',
        processedRecords: 0,
        receivers: params.to ?? null,
        sentAt: params.deferred ?? null,
        slotID: null,
        startedAt: null,
        status: 'PENDING',
        totalRecords: params.to?.length ?? 0,
        updatedAt: created,
      };
      this.batches.push(batch);
      return { ...batch };
    } finally {
      this.activeCreations -= 1;
    }
  }

  /** As OVH: only a deferred batch that has not started can be cancelled. */
  async cancelBatch(id: string): Promise<Batch> {
    this.calls.push('cancelBatch');
    const batch = this.advance(this.find(id));
    if (batch.status === 'CANCELED') throw new OvhApiError('This batch is already canceled', 'http', 400, 'Client::BadRequest');
    if (batch.status !== 'PENDING' || batch.sentAt === null || this.clock.ms >= Date.parse(batch.sentAt)) {
      throw new OvhApiError('Only a deferred batch that has not started sending can be canceled', 'http', 400, 'Client::BadRequest');
    }
    const stored = this.find(id);
    stored.status = 'CANCELED';
    return { ...stored };
  }

  async getStatistics(id: string): Promise<BatchStatistics> {
    this.calls.push('getStatistics');
    const batch = this.find(id);
    return {
      id,
      credits: batch.totalRecords,
      estimatedCredits: batch.totalRecords,
      pending: 0,
      sent: batch.totalRecords,
      delivered: batch.totalRecords,
      failed: 0,
      stoplisted: 0,
    };
  }

  async requestOutgoingExport(batchId: string): Promise<string> {
    this.calls.push('requestOutgoingExport');
    return `doc-${batchId}`;
  }

  async getDocument(id: string): Promise<OvhDocument> {
    this.calls.push('getDocument');
    return {
      id,
      name: id,
      size: 10,
      getUrl: `https://fake/${id}`,
      putUrl: '',
      creationDate: '',
      expirationDate: null,
      validationDate: null,
      tags: [],
    };
  }

  async download(url: string): Promise<Buffer> {
    this.calls.push('download');
    return Buffer.from(`id;receiver\n1;${url}\n`);
  }

  async downloadToFile(url: string, file: string): Promise<number> {
    const content = await this.download(url);
    await writeFile(file, content);
    return content.length;
  }

  async createDocument(name: string): Promise<OvhDocument> {
    this.calls.push('createDocument');
    return {
      id: `upload-${name}`,
      name,
      size: 0,
      getUrl: '',
      putUrl: `https://fake/put/${name}`,
      creationDate: '',
      expirationDate: null,
      validationDate: null,
      tags: [],
    };
  }

  async uploadDocument(): Promise<void> {
    this.calls.push('uploadDocument');
  }

  async deleteDocument(): Promise<void> {
    this.calls.push('deleteDocument');
  }

  async listReceiversLists(): Promise<number[]> {
    this.calls.push('listReceiversLists');
    return [];
  }

  async getReceiversList(slotId: number): Promise<ReceiversList> {
    this.calls.push('getReceiversList');
    throw new OvhApiError(`slot ${slotId} not found`, 'http', 404);
  }

  async createReceiversList(params: { slotId: number; description: string }): Promise<ReceiversList> {
    this.calls.push('createReceiversList');
    return {
      autoUpdate: false,
      canAutoUpdate: false,
      datetime: this.clock.now().toISOString(),
      description: params.description,
      records: 0,
      slotId: params.slotId,
    };
  }

  async deleteReceiversList(): Promise<void> {
    this.calls.push('deleteReceiversList');
  }

  count(call: string): number {
    return this.calls.filter((name) => name === call).length;
  }

  private find(id: string): Batch {
    const batch = this.batches.find((candidate) => candidate.id === id);
    if (!batch) throw new OvhApiError(`batch ${id} not found`, 'http', 404);
    return batch;
  }

  private advance(batch: Batch): Batch {
    const start = batch.sentAt ? Date.parse(batch.sentAt) : Date.parse(batch.createdAt);
    if (batch.status === 'PENDING' && this.clock.ms >= start + this.durationMs) {
      batch.status = 'COMPLETED';
      batch.startedAt = new Date(start).toISOString();
      batch.finishedAt = new Date(start + this.durationMs).toISOString();
      batch.processedRecords = batch.totalRecords;
    }
    return { ...batch };
  }
}
