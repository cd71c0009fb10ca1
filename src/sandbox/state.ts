import { randomUUID } from 'node:crypto';
import type { Batch, BatchStatistics, BatchStatus, OvhDocument, ReceiversList } from '../account/index.js';
import { countParts, deliveredText, isAcceptedReceiver } from './messages.js';

/** An API-level refusal, rendered as OVH's `{class, message}` body. */
export class SandboxHttpError extends Error {
  constructor(
    readonly status: number,
    readonly errorClass: string,
    message: string,
  ) {
    super(message);
  }
}

const badRequest = (message: string) => new SandboxHttpError(400, 'Client::BadRequest', message);
const notFound = (message: string) => new SandboxHttpError(404, 'Client::NotFound', message);

/** Sender OVH would pick for senderForResponse (a French short number). */
const SHORT_NUMBER_SENDER = '38100';

interface StoredBatch {
  id: string;
  name: string;
  message: string;
  from: string | null;
  receivers: string[];
  /** The receivers list the batch was created from (its numbers copied at creation), or null for `to`. */
  slotID: string | null;
  valid: string[];
  invalid: string[];
  stoplisted: string[];
  noStop: boolean;
  tag: string;
  createdAt: number;
  startAt: number;
  canceledAt: number | null;
  parts: number;
  firstOutgoingId: number;
}

interface ServiceState {
  name: string;
  accountID: number;
  initialCredits: number;
  blacklist: Map<string, { since: number; batchID: string | null }>;
  batches: StoredBatch[];
  receivers: Map<number, StoredReceivers>;
}

interface StoredReceivers {
  slotId: number;
  description: string;
  createdAt: number;
  numbers: string[];
}

/** An export OVH generates (`/sms/{sn}/document`), or a file a client uploads (`POST /me/document` then PUT). */
type StoredDocument =
  | { kind: 'export'; id: string; serviceName: string; batchID: string | null; createdAt: number; polls: number; readyAt: number | null; size: number }
  | { kind: 'upload'; id: string; name: string; createdAt: number; content: Buffer | null };

export interface SimulatorOptions {
  services: string[];
  creditsLeft: number;
  batchDurationMs: number;
  documentReadyAfterPolls: number;
  /** An export is also ready once this long has passed since it was requested (OVH builds it in its own time). */
  documentReadyAfterMs: number | null;
  /** Receivers lists a service keeps at most (POST …/receivers beyond it is refused). */
  maxReceiversLists: number;
  blacklist: string[];
  /** Why a batch from this sender is refused (not an enabled sender), or null. */
  senderRefusal?: (sender: string) => string | null;
  receiversHiddenForMs: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** 'YYYY-MM-DD HH:mm:ss' as in OVH's CSV exports. */
const csvDate = (ms: number) => iso(ms).slice(0, 19).replace('T', ' ');

const csvQuoted = (text: string) => `"${text.replace(/"/g, '""')}"`;

const BATCH_PARAMS: Record<string, 'string' | 'boolean' | 'string[]' | 'datetime'> = {
  name: 'string',
  message: 'string',
  from: 'string',
  senderForResponse: 'boolean',
  to: 'string[]',
  slotID: 'string',
  noStop: 'boolean',
  deferred: 'datetime',
  tag: 'string',
  class: 'string',
};

function checkParamTypes(body: Record<string, unknown>): void {
  const unknown = Object.keys(body).filter((key) => !(key in BATCH_PARAMS));
  if (unknown.length > 0) throw badRequest(`Unknown parameter(s): ${unknown.join(', ')}`);
  for (const [key, value] of Object.entries(body)) {
    const type = BATCH_PARAMS[key];
    const ok =
      type === 'string[]'
        ? Array.isArray(value) && value.every((item) => typeof item === 'string')
        : type === 'datetime'
          ? typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value))
          : typeof value === type;
    if (!ok) throw badRequest(`Invalid parameter [${key}]: expected ${type}, got ${value === null ? 'null' : typeof value}`);
  }
  if (body.class !== undefined && !['FLASH', 'PHONE', 'SIM'].includes(body.class as string)) {
    throw badRequest(`Invalid parameter [class]: ${String(body.class)} is not a sms.BatchClassEnum`);
  }
}

/** The simulated accounts. Status and statistics are derived from the clock on every read, so no timers run. */
export class SmsSimulator {
  private readonly services = new Map<string, ServiceState>();
  private readonly documents = new Map<string, StoredDocument>();
  private nextOutgoingId = 10_000_001;

  constructor(private readonly options: SimulatorOptions) {
    options.services.forEach((name, index) => {
      const blacklist = new Map(options.blacklist.map((number) => [number, { since: 0, batchID: null }]));
      this.services.set(name, {
        name,
        accountID: 100_000 + index,
        initialCredits: options.creditsLeft,
        blacklist,
        batches: [],
        receivers: new Map(),
      });
    });
  }

  serviceNames(): string[] {
    return [...this.services.keys()];
  }

  service(name: string): ServiceState {
    const service = this.services.get(name);
    if (!service) throw notFound(`The requested object (serviceName = ${name}) does not exist`);
    return service;
  }

  private batch(serviceName: string, id: string): StoredBatch {
    const batch = this.service(serviceName).batches.find((candidate) => candidate.id === id);
    if (!batch) throw notFound(`The requested object (id = ${id}) does not exist`);
    return batch;
  }

  private phase(batch: StoredBatch, now: number): { status: BatchStatus; at: number } {
    const duration = this.options.batchDurationMs;
    if (batch.canceledAt !== null) {
      const since = now - batch.canceledAt;
      if (since < duration / 10) return { status: 'TO_CANCEL', at: batch.canceledAt };
      if (since < duration / 5) return { status: 'CANCELING', at: batch.canceledAt + duration / 10 };
      return { status: 'CANCELED', at: batch.canceledAt + duration / 5 };
    }
    const elapsed = now - batch.startAt;
    if (elapsed < duration / 4) return { status: 'PENDING', at: batch.createdAt };
    if (elapsed < duration / 2) return { status: 'INSERTING', at: batch.startAt + duration / 4 };
    if (elapsed < duration) return { status: 'INSERTED', at: batch.startAt + duration / 2 };
    return { status: batch.valid.length === 0 ? 'FAILED' : 'COMPLETED', at: batch.startAt + duration };
  }

  private finished(batch: StoredBatch, now: number): boolean {
    return batch.canceledAt === null && now - batch.startAt >= this.options.batchDurationMs;
  }

  private deliveredAt(batch: StoredBatch): number {
    return batch.startAt + this.options.batchDurationMs * 1.5;
  }

  private credits(batch: StoredBatch): number {
    return batch.parts * batch.valid.length;
  }

  private estimatedCredits(batch: StoredBatch): number {
    return batch.parts * batch.receivers.length;
  }

  view(serviceName: string, batch: StoredBatch, now: number): Batch {
    const service = this.service(serviceName);
    const { status, at } = this.phase(batch, now);
    const duration = this.options.batchDurationMs;
    const started = batch.canceledAt === null && now - batch.startAt >= duration / 4;
    const done = this.finished(batch, now);
    const insertedShare = Math.min(1, Math.max(0, (now - batch.startAt - duration / 2) / (duration / 2)));
    return {
      accountID: service.accountID,
      createdAt: iso(batch.createdAt),
      errors: done
        ? [
            ...batch.invalid.map((receiver) => ({ receiver, message: 'Invalid receiver' })),
            ...batch.stoplisted.map((receiver) => ({ receiver, message: 'Receiver is blacklisted (STOP)' })),
          ]
        : [],
      estimatedCredits: this.estimatedCredits(batch),
      finishedAt: done ? iso(batch.startAt + duration) : null,
      from: batch.from,
      id: batch.id,
      message: batch.message,
      name: batch.name,
      processedRecords: done ? batch.receivers.length : Math.floor(batch.receivers.length * insertedShare),
      receivers: batch.slotID !== null || now - batch.createdAt < this.options.receiversHiddenForMs ? null : [...batch.receivers],
      // As OVH: a deferred batch carries its send time from the start ("based on deferred time if exists").
      sentAt: started || batch.startAt > batch.createdAt ? iso(batch.startAt) : null,
      slotID: batch.slotID,
      startedAt: started ? iso(batch.startAt + duration / 4) : null,
      status,
      totalRecords: batch.receivers.length,
      updatedAt: iso(at),
    };
  }

  account(serviceName: string, now: number) {
    const service = this.service(serviceName);
    const spent = service.batches.reduce((total, batch) => {
      if (batch.canceledAt !== null) return total;
      return total + (this.finished(batch, now) ? this.credits(batch) : this.estimatedCredits(batch));
    }, 0);
    return {
      automaticRecreditAmount: null,
      callBack: null,
      channel: 'both',
      creditThresholdForAutomaticRecredit: 0,
      creditsHoldByQuota: 0,
      creditsLeft: service.initialCredits - spent,
      description: 'sms-campaigns sandbox',
      iam: null,
      name: service.name,
      smpp: false,
      smsResponse: { cgiUrl: null, responseType: 'cgi', text: null, trackingDefaultSmsSender: null, trackingOptions: [] },
      status: 'enable',
      stopCallBack: null,
      templates: {
        customizedEmailMode: false,
        customizedSmsMode: false,
        emailBody: null,
        emailFrom: null,
        emailSubject: null,
        smsBody: null,
      },
      userQuantityWithQuota: 0,
    };
  }

  listBatches(serviceName: string, now: number): Batch[] {
    return this.service(serviceName).batches.map((batch) => this.view(serviceName, batch, now));
  }

  getBatch(serviceName: string, id: string, now: number): Batch {
    return this.view(serviceName, this.batch(serviceName, id), now);
  }

  createBatch(serviceName: string, body: unknown, now: number): Batch {
    const service = this.service(serviceName);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw badRequest('Missing parameter(s): message');
    }
    const params = body as Record<string, unknown>;
    checkParamTypes(params);
    if (params.message === undefined || params.message === '') throw badRequest('Missing parameter(s): message');
    const message = params.message as string;
    const senderForResponse = params.senderForResponse === true;
    if (params.from === undefined && !senderForResponse) {
      throw badRequest('Either "from" or "senderForResponse" must be passed');
    }
    if (params.slotID !== undefined && params.to !== undefined) throw badRequest('Pass either "to" or "slotID", not both');
    const refusal = params.from === undefined ? null : (this.options.senderRefusal?.(params.from as string) ?? null);
    if (refusal !== null) throw badRequest(refusal);
    const slotID = (params.slotID as string | undefined) ?? null;
    const receivers = slotID === null ? ((params.to as string[] | undefined) ?? []) : this.slot(service, slotID).numbers;
    if (receivers.length === 0) throw badRequest('Either "to" or "slotID" must be passed');
    if (senderForResponse && /\b(https?:\/\/|www\.)/i.test(message)) {
      throw badRequest('cannot send contact information with shortcode');
    }
    const noStop = params.noStop === true;
    const parts = countParts(message, noStop);
    const estimated = parts * receivers.length;
    const creditsLeft = this.account(serviceName, now).creditsLeft;
    if (estimated > creditsLeft) {
      throw badRequest(`Not enough credits: this batch needs ${estimated}, ${creditsLeft} left`);
    }
    const deferred = params.deferred === undefined ? null : Date.parse(params.deferred as string);
    const accepted = receivers.filter(isAcceptedReceiver);
    const batch: StoredBatch = {
      id: randomUUID(),
      name: (params.name as string | undefined) ?? '',
      message,
      from: senderForResponse && params.from === undefined ? null : (params.from as string),
      receivers: [...receivers],
      slotID,
      valid: accepted.filter((receiver) => !service.blacklist.has(receiver)),
      invalid: receivers.filter((receiver) => !isAcceptedReceiver(receiver)),
      stoplisted: accepted.filter((receiver) => service.blacklist.has(receiver)),
      noStop,
      tag: (params.tag as string | undefined) ?? '',
      createdAt: now,
      startAt: deferred !== null && deferred > now ? deferred : now,
      canceledAt: null,
      parts,
      firstOutgoingId: this.nextOutgoingId,
    };
    this.nextOutgoingId += receivers.length;
    service.batches.push(batch);
    return this.view(serviceName, batch, now);
  }

  cancelBatch(serviceName: string, id: string, now: number): Batch {
    const batch = this.batch(serviceName, id);
    const deferred = batch.startAt > batch.createdAt;
    if (batch.canceledAt !== null) throw badRequest('This batch is already canceled');
    if (!deferred || now >= batch.startAt) {
      throw badRequest('Only a deferred batch that has not started sending can be canceled');
    }
    batch.canceledAt = now;
    return this.view(serviceName, batch, now);
  }

  deleteBatch(serviceName: string, id: string, now: number): void {
    const service = this.service(serviceName);
    const batch = this.batch(serviceName, id);
    const { status } = this.phase(batch, now);
    if (status === 'INSERTING' || status === 'INSERTED') {
      throw badRequest('The batch is being processed and cannot be deleted');
    }
    service.batches = service.batches.filter((candidate) => candidate !== batch);
  }

  statistics(serviceName: string, id: string, now: number): BatchStatistics {
    const batch = this.batch(serviceName, id);
    const base = { id: batch.id, estimatedCredits: this.estimatedCredits(batch) };
    if (batch.canceledAt !== null) {
      return { ...base, credits: 0, pending: 0, sent: 0, delivered: 0, failed: 0, stoplisted: 0 };
    }
    if (!this.finished(batch, now)) {
      return { ...base, credits: 0, pending: batch.valid.length, sent: 0, delivered: 0, failed: 0, stoplisted: 0 };
    }
    const delivered = now >= this.deliveredAt(batch) ? batch.valid.length : 0;
    return {
      ...base,
      credits: this.credits(batch),
      pending: batch.valid.length - delivered,
      sent: batch.valid.length,
      delivered,
      failed: batch.invalid.length,
      stoplisted: batch.stoplisted.length,
    };
  }

  requestDocument(serviceName: string, query: URLSearchParams, now: number): string {
    this.service(serviceName);
    const wayType = query.get('wayType');
    if (!wayType) throw badRequest('Missing parameter(s): wayType');
    if (wayType !== 'outgoing') throw badRequest(`The sandbox only exports wayType=outgoing, not ${wayType}`);
    const batchID = query.get('batchID');
    if (batchID !== null) this.batch(serviceName, batchID);
    const id = randomUUID();
    this.documents.set(id, { kind: 'export', id, serviceName, batchID, createdAt: now, polls: 0, readyAt: null, size: 0 });
    return id;
  }

  /** POST /me/document: an empty document whose content the client PUTs to its putUrl. */
  createDocument(body: unknown, now: number, url: (id: string) => string): OvhDocument {
    const params = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    if (typeof params.name !== 'string' || params.name === '') throw badRequest('Missing parameter(s): name');
    const id = randomUUID();
    this.documents.set(id, { kind: 'upload', id, name: params.name, createdAt: now, content: null });
    return this.getDocument(id, now, url(id));
  }

  /** PUT to a putUrl; false when there is no such document. */
  uploadDocument(id: string, content: Buffer): boolean {
    const document = this.documents.get(id);
    if (document?.kind !== 'upload') return false;
    document.content = content;
    return true;
  }

  deleteDocument(id: string): void {
    if (!this.documents.delete(id)) throw notFound(`The requested object (id = ${id}) does not exist`);
  }

  /**
   * GET /me/document/{id}: an export is empty until ready (after `documentReadyAfterPolls` GETs, or
   * `documentReadyAfterMs`), as OVH generates exports asynchronously; its content is frozen at that time.
   */
  getDocument(id: string, now: number, downloadUrl: string): OvhDocument {
    const document = this.documents.get(id);
    if (!document) throw notFound(`The requested object (id = ${id}) does not exist`);
    const base = {
      id,
      getUrl: downloadUrl,
      putUrl: downloadUrl,
      creationDate: iso(document.createdAt),
      expirationDate: iso(document.createdAt + 24 * 3600_000),
      validationDate: null,
      tags: [],
    };
    if (document.kind === 'upload') return { ...base, name: document.name, size: document.content?.length ?? 0 };
    document.polls += 1;
    const { documentReadyAfterMs } = this.options;
    const ready = document.polls > this.options.documentReadyAfterPolls || (documentReadyAfterMs !== null && now - document.createdAt >= documentReadyAfterMs);
    if (document.readyAt === null && ready) {
      document.readyAt = now;
      for (const chunk of this.outgoingCsv(document.serviceName, document.batchID, now)) document.size += Buffer.byteLength(chunk);
    }
    return { ...base, name: `sms-outgoing-${document.batchID ?? 'all'}.csv`, size: document.size };
  }

  /** A document's content, produced piece by piece (a 1M-row export is never one string); null when unknown. */
  documentContent(id: string, now: number): Iterable<string | Buffer> | null {
    const document = this.documents.get(id);
    if (!document) return null;
    if (document.kind === 'upload') return document.content === null ? [] : [document.content];
    return this.outgoingCsv(document.serviceName, document.batchID, document.readyAt ?? now);
  }

  /** The `;` CSV of OVH's outgoing export, one row per SMS handed to operators, in chunks of rows. */
  *outgoingCsv(serviceName: string, batchID: string | null, now: number): Generator<string> {
    yield 'id;date;sender;receiver;ptt;operatorCode;descriptionDlr;tag;message;sentAt;deliveredAt\n';
    for (const batch of this.service(serviceName).batches) {
      if (batchID !== null && batch.id !== batchID) continue;
      if (!this.finished(batch, now)) continue;
      const delivered = now >= this.deliveredAt(batch);
      const sentAt = csvDate(batch.startAt + this.options.batchDurationMs);
      const skipped = new Set([...batch.invalid, ...batch.stoplisted]);
      const fixed = [csvDate(batch.createdAt), csvQuoted(batch.from ?? SHORT_NUMBER_SENDER)].join(';');
      const tail = [
        delivered ? '0' : '1',
        '20815',
        csvQuoted(delivered ? 'Success' : 'Pending'),
        csvQuoted(batch.tag),
        csvQuoted(deliveredText(batch.message, batch.noStop)),
        sentAt,
        delivered ? csvDate(this.deliveredAt(batch)) : '',
      ].join(';');
      let chunk = '';
      for (let index = 0; index < batch.receivers.length; index += 1) {
        const receiver = batch.receivers[index]!;
        if (skipped.has(receiver)) continue;
        chunk += `${batch.firstOutgoingId + index};${fixed};${receiver};${tail}\n`;
        if (chunk.length > 65_536) {
          yield chunk;
          chunk = '';
        }
      }
      if (chunk.length > 0) yield chunk;
    }
  }

  private slot(service: ServiceState, slotID: string): StoredReceivers {
    const list = /^\d+$/.test(slotID) ? service.receivers.get(Number(slotID)) : undefined;
    if (!list) throw badRequest(`Invalid slotID: no receivers list in slot ${slotID}`);
    return list;
  }

  listReceivers(serviceName: string): number[] {
    return [...this.service(serviceName).receivers.keys()].sort((a, b) => a - b);
  }

  getReceivers(serviceName: string, slotId: string): ReceiversList {
    const list = this.service(serviceName).receivers.get(Number(slotId));
    if (!/^\d+$/.test(slotId) || !list) throw notFound(`The requested object (slotId = ${slotId}) does not exist`);
    return receiversView(list);
  }

  /** POST /sms/{sn}/receivers: the numbers of an uploaded document (first column; a header line is skipped) into a slot. */
  createReceivers(serviceName: string, body: unknown, now: number): ReceiversList {
    const service = this.service(serviceName);
    const params = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const missing = ['autoUpdate', 'description', 'slotId'].filter((key) => params[key] === undefined);
    if (missing.length > 0) throw badRequest(`Missing parameter(s): ${missing.join(', ')}`);
    if (typeof params.autoUpdate !== 'boolean') throw badRequest('Invalid parameter [autoUpdate]: expected boolean');
    if (typeof params.description !== 'string') throw badRequest('Invalid parameter [description]: expected string');
    const slotId = params.slotId;
    if (typeof slotId !== 'number' || !Number.isInteger(slotId) || slotId < 1) throw badRequest('Invalid parameter [slotId]: expected a positive long');
    if (params.csvUrl !== undefined) throw badRequest('The sandbox only imports receivers from a documentId');
    if (typeof params.documentId !== 'string') throw badRequest('Either "csvUrl" or "documentId" must be passed');
    if (service.receivers.has(slotId)) throw badRequest(`Slot ${slotId} already holds a receivers list`);
    if (service.receivers.size >= this.options.maxReceiversLists) {
      throw badRequest(`This service already has ${service.receivers.size} receivers lists, the most it keeps: delete one first`);
    }
    const document = this.documents.get(params.documentId);
    if (document?.kind !== 'upload' || document.content === null) throw badRequest(`Document ${params.documentId} has no content`);
    const numbers = readReceiversCsv(document.content);
    if (numbers.length === 0) throw badRequest('The document holds no receiver');
    const list: StoredReceivers = { slotId, description: params.description, createdAt: now, numbers };
    service.receivers.set(slotId, list);
    return receiversView(list);
  }

  deleteReceivers(serviceName: string, slotId: string): void {
    const service = this.service(serviceName);
    if (!/^\d+$/.test(slotId) || !service.receivers.delete(Number(slotId))) {
      throw notFound(`The requested object (slotId = ${slotId}) does not exist`);
    }
  }

  /** Internal view for tests and the CLI: batches of one service, or of all. */
  allBatches(serviceName: string | undefined, now: number): Batch[] {
    const names = serviceName === undefined ? this.serviceNames() : [serviceName];
    return names.flatMap((name) => this.listBatches(name, now));
  }
}

function receiversView(list: StoredReceivers): ReceiversList {
  return {
    autoUpdate: false,
    canAutoUpdate: false,
    datetime: iso(list.createdAt),
    description: list.description,
    records: list.numbers.length,
    slotId: list.slotId,
  };
}

/** First cell of each line, a header (a first line that is not a number) skipped. */
function readReceiversCsv(content: Buffer): string[] {
  const numbers: string[] = [];
  for (const line of content.toString('utf8').split(/\r?\n/)) {
    const cell = line.split(/[;,\t]/)[0]!.trim().replace(/^"|"$/g, '');
    if (cell === '') continue;
    if (numbers.length === 0 && !/^\+?\d/.test(cell)) continue;
    numbers.push(cell);
  }
  return numbers;
}
