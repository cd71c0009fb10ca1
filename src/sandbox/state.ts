import { randomUUID } from 'node:crypto';
import type { Batch, BatchStatistics, OvhDocument, ReceiversList } from '../account/index.js';
import { batchStatistics, batchView, checkParamTypes, credits, estimatedCredits, finished, phase, type StoredBatch } from './batches.js';
import { DocumentStore, outgoingCsv } from './documents.js';
import { badRequest, notFound } from './http-error.js';
import { countParts, isAcceptedReceiver } from './messages.js';
import { createReceiversList, deleteReceiversList, getReceiversList, listSlots, slotFor, type ReceiversSlots } from './receivers-lists.js';

export { SandboxHttpError } from './http-error.js';

interface ServiceState {
  name: string;
  accountID: number;
  initialCredits: number;
  blacklist: Map<string, { since: number; batchID: string | null }>;
  batches: StoredBatch[];
  receivers: ReceiversSlots;
}

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

/** The simulated accounts. Status and statistics are derived from the clock on every read, so no timers run. */
export class SmsSimulator {
  private readonly services = new Map<string, ServiceState>();
  private readonly documents: DocumentStore;
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
    this.documents = new DocumentStore(options, (serviceName, batchID, now) => this.outgoingCsv(serviceName, batchID, now));
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

  view(serviceName: string, batch: StoredBatch, now: number): Batch {
    return batchView(this.service(serviceName).accountID, batch, now, this.options);
  }

  account(serviceName: string, now: number) {
    const service = this.service(serviceName);
    const spent = service.batches.reduce((total, batch) => {
      if (batch.canceledAt !== null) return total;
      return total + (finished(batch, now, this.options.batchDurationMs) ? credits(batch) : estimatedCredits(batch));
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
    const receivers = slotID === null ? ((params.to as string[] | undefined) ?? []) : slotFor(service.receivers, slotID).numbers;
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
    const { status } = phase(batch, now, this.options.batchDurationMs);
    if (status === 'INSERTING' || status === 'INSERTED') {
      throw badRequest('The batch is being processed and cannot be deleted');
    }
    service.batches = service.batches.filter((candidate) => candidate !== batch);
  }

  statistics(serviceName: string, id: string, now: number): BatchStatistics {
    return batchStatistics(this.batch(serviceName, id), now, this.options.batchDurationMs);
  }

  requestDocument(serviceName: string, query: URLSearchParams, now: number): string {
    this.service(serviceName);
    const wayType = query.get('wayType');
    if (!wayType) throw badRequest('Missing parameter(s): wayType');
    if (wayType !== 'outgoing') throw badRequest(`The sandbox only exports wayType=outgoing, not ${wayType}`);
    const batchID = query.get('batchID');
    if (batchID !== null) this.batch(serviceName, batchID);
    return this.documents.requestExport(serviceName, batchID, now);
  }

  /** POST /me/document: an empty document whose content the client PUTs to its putUrl. */
  createDocument(body: unknown, now: number, url: (id: string) => string): OvhDocument {
    const params = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    if (typeof params.name !== 'string' || params.name === '') throw badRequest('Missing parameter(s): name');
    return this.documents.create(params.name, now, url);
  }

  /** PUT to a putUrl; false when there is no such document. */
  uploadDocument(id: string, content: Buffer): boolean {
    return this.documents.upload(id, content);
  }

  deleteDocument(id: string): void {
    this.documents.delete(id);
  }

  /** GET /me/document/{id}: see DocumentStore.get for when an export is ready. */
  getDocument(id: string, now: number, downloadUrl: string): OvhDocument {
    return this.documents.get(id, now, downloadUrl);
  }

  /** A document's content, produced piece by piece (a 1M-row export is never one string); null when unknown. */
  documentContent(id: string, now: number): Iterable<string | Buffer> | null {
    return this.documents.content(id, now);
  }

  /** The `;` CSV of OVH's outgoing export, one row per SMS handed to operators, in chunks of rows. */
  *outgoingCsv(serviceName: string, batchID: string | null, now: number): Generator<string> {
    yield* outgoingCsv(this.service(serviceName).batches, batchID, now, this.options.batchDurationMs);
  }

  listReceivers(serviceName: string): number[] {
    return listSlots(this.service(serviceName).receivers);
  }

  getReceivers(serviceName: string, slotId: string): ReceiversList {
    return getReceiversList(this.service(serviceName).receivers, slotId);
  }

  /** POST /sms/{sn}/receivers: the numbers of an uploaded document (first column; a header line is skipped) into a slot. */
  createReceivers(serviceName: string, body: unknown, now: number): ReceiversList {
    const service = this.service(serviceName);
    return createReceiversList(service.receivers, body, now, this.options.maxReceiversLists, (documentId) =>
      this.documents.uploaded(documentId),
    );
  }

  deleteReceivers(serviceName: string, slotId: string): void {
    deleteReceiversList(this.service(serviceName).receivers, slotId);
  }

  /** Internal view for tests and the CLI: batches of one service, or of all. */
  allBatches(serviceName: string | undefined, now: number): Batch[] {
    const names = serviceName === undefined ? this.serviceNames() : [serviceName];
    return names.flatMap((name) => this.listBatches(name, now));
  }
}
