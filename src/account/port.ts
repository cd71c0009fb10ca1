import type {
  Batch,
  BatchParams,
  BatchStatistics,
  DestinationRate,
  JobEstimate,
  OvhDocument,
  ReceiversList,
  Sender,
  SenderType,
  SmsAccount,
} from './models.js';

/**
 * One SMS service of an OVH account, as plan and apply see it.
 * Idempotent reads retry on 429, 5xx and network errors; createBatch is never retried here
 * (apply decides, after looking the name up, whether a second attempt is safe).
 */
export interface SmsApi {
  readonly serviceName: string;
  /** OVH's clock minus the local one (ms), read once: batch times (`sentAt`, `deferred`) are on OVH's clock. Absent: 0. */
  clockOffsetMs?(): Promise<number>;
  getAccount(): Promise<SmsAccount>;
  listBatches(): Promise<Batch[]>;
  getBatch(id: string): Promise<Batch>;
  createBatch(params: BatchParams): Promise<Batch>;
  cancelBatch(id: string): Promise<Batch>;
  getStatistics(id: string): Promise<BatchStatistics>;
  /** GET /sms/{sn}/document?wayType=outgoing&batchID=…: the id of a /me/document being generated. */
  requestOutgoingExport(batchId: string): Promise<string>;
  getDocument(id: string): Promise<OvhDocument>;
  /** Downloads a document's getUrl. */
  download(url: string): Promise<Buffer>;
  /** Streams a document's getUrl to a file (via `<file>.part`); fails when no byte comes for `idleTimeoutMs`. Returns the bytes. */
  downloadToFile(url: string, file: string, idleTimeoutMs?: number): Promise<number>;
  /** POST /me/document: an empty document to PUT content into. */
  createDocument(name: string): Promise<OvhDocument>;
  /** PUT to a document's putUrl, the content streamed from `chunks`. */
  uploadDocument(putUrl: string, chunks: () => Iterable<string> | AsyncIterable<string>): Promise<void>;
  deleteDocument(id: string): Promise<void>;
  /** GET /sms/{sn}/receivers: the slots that hold a receivers list. */
  listReceiversLists(): Promise<number[]>;
  getReceiversList(slotId: number): Promise<ReceiversList>;
  /** POST /sms/{sn}/receivers from an uploaded document, into a slot the caller picks. Not retried. */
  createReceiversList(params: { slotId: number; documentId: string; description: string }): Promise<ReceiversList>;
  deleteReceiversList(slotId: number): Promise<void>;
  /** The reviewer's checks (rates, estimate, STOP list, senders); absent on a client that cannot make them. */
  readonly review?: SmsReviewApi;
}

/** Reads a plan's review makes besides the batches; every one may be refused (403) without harm. */
export interface SmsReviewApi {
  /** GET /sms/rates/destinations?country= (lower-case sms.CountryEnum) */
  destinationRate(country: string): Promise<DestinationRate>;
  /** POST /sms/estimate */
  estimate(params: { message: string; noStopClause: boolean; senderType: SenderType }): Promise<JobEstimate>;
  /** GET /sms/{sn}/blacklists: the numbers on the service's STOP list. */
  blacklist(): Promise<string[]>;
  /** GET /sms/{sn}/senders/{sender} */
  sender(name: string): Promise<Sender>;
}

export type OvhErrorKind = 'http' | 'network' | 'timeout' | 'config';

/** Every failure of an OVH call, whatever node-ovh rejected with. */
export class OvhApiError extends Error {
  constructor(
    message: string,
    readonly kind: OvhErrorKind,
    /** HTTP status, when OVH answered. */
    readonly status: number | null = null,
    /** OVH error class, e.g. `Client::BadRequest`, when known. */
    readonly errorClass: string | null = null,
  ) {
    super(message);
    this.name = 'OvhApiError';
  }

  /**
   * True when the request may have reached OVH and taken effect: timeout, dropped connection, 5xx, or an answer
   * whose status was lost (a proxy's HTML error page cannot be read as OVH's verdict).
   */
  get outcomeUnknown(): boolean {
    if (this.kind === 'network' || this.kind === 'timeout') return true;
    return this.kind === 'http' && (this.status === null || this.status >= 500);
  }
}
