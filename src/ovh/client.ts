import https from 'node:https';
import tls from 'node:tls';
import ovh from '@ovhcloud/node-ovh';
import { DEFAULT_RETRY, OvhApiError, withRetry, type RetryPolicy, type SmsApi } from '../account/index.js';
import { normaliseRejection } from './errors.js';
import type {
  Batch,
  BatchParams,
  BatchStatistics,
  DestinationRate,
  JobEstimate,
  OvhDocument,
  ReceiversList,
  Sender,
  SmsAccount,
} from '../account/index.js';
import { DEFAULT_RATE_LIMIT, RateLimiter, retryAfterMs } from './rate-limit.js';
import { downloadToBuffer, downloadToFile, uploadDocument } from './transfer.js';
import { sendThrough, type NodeOvhClient } from './transport.js';
import { DEFAULT_TIMEOUT_MS, OvhConfigError, resolveEndpoint, type OvhSettings } from './settings.js';

type OvhClientOptions = Parameters<typeof ovh>[0];
type OvhRawClient = ReturnType<typeof ovh>;

/**
 * The agent of one connection: node-ovh's requests go through it (see transport.ts), and only it trusts
 * `settings.ca`, never the process (a trusted sandbox certificate must not reach other clients).
 * Connections are kept alive: a new TLS handshake per call costs about 3× the CPU of the call itself.
 * The inactivity timeout sits on the socket, with one listener per connection: node-ovh's own `timeout`
 * option adds a listener per request, which piles up on reused sockets, so it is not used.
 * Node lowers an idle socket's timeout to the server's `Keep-Alive: timeout` hint minus 1 s; a reused socket gets
 * the configured timeout back, else a slow call on it would be cut after the hint (a lost creation answer).
 */
class OvhAgent extends https.Agent {
  override createConnection(...args: Parameters<https.Agent['createConnection']>): ReturnType<https.Agent['createConnection']> {
    const socket = super.createConnection(...args);
    socket?.on('timeout', () => socket.destroy(new Error('socket timeout')));
    return socket;
  }

  override reuseSocket(socket: Parameters<https.Agent['reuseSocket']>[0], request: Parameters<https.Agent['reuseSocket']>[1]): void {
    super.reuseSocket(socket, request);
    (socket as import('node:net').Socket).setTimeout(this.options.timeout ?? 0);
  }
}

function ovhAgent(timeoutMs: number, ca: string | undefined): OvhAgent {
  // Built once: with `ca` alone every connection would parse the ~140 root certificates again (~25 ms each).
  const secureContext = ca ? tls.createSecureContext({ ca: [...tls.rootCertificates, ca] }) : undefined;
  return new OvhAgent({ keepAlive: true, timeout: timeoutMs, ...(secureContext ? { secureContext } : {}) });
}

function nodeOvhOptions(settings: OvhSettings): OvhClientOptions {
  const endpoint = resolveEndpoint(settings.endpoint);
  const { credentials } = settings;
  const options: OvhClientOptions =
    endpoint.kind === 'named' ? { endpoint: endpoint.name } : { host: endpoint.host, port: endpoint.port, basePath: endpoint.basePath };
  if (credentials.kind === 'application') {
    options.appKey = credentials.applicationKey;
    options.appSecret = credentials.applicationSecret;
    options.consumerKey = credentials.consumerKey;
  } else {
    options.clientID = credentials.clientId;
    options.clientSecret = credentials.clientSecret;
    if (endpoint.kind === 'url') options.tokenURL = settings.tokenUrl ?? `${endpoint.origin}/auth/`;
  }
  return options;
}

function createRawClient(settings: OvhSettings): OvhRawClient {
  const options = nodeOvhOptions(settings);
  try {
    // warn and debug silenced: node-ovh's debug output would print request bodies (phone numbers).
    return ovh({ ...options, warn: () => undefined, debug: false } as OvhClientOptions);
  } catch (error) {
    throw new OvhConfigError(`Invalid OVH client configuration: ${(error as Error).message.replace(/^\[OVH\]\s*/, '')}`);
  }
}

type Params = Record<string, unknown>;

/** Copies params without absent values: node-ovh mutates what it is given, and OVH wants absent fields omitted. */
function copyParams(params: Params | undefined): Params | undefined {
  if (!params) return undefined;
  const copy: Params = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    if (value instanceof Date) throw new TypeError(`OVH parameter ${key}: pass an ISO string, not a Date`);
    copy[key] = Array.isArray(value) ? [...value] : value;
  }
  return Object.keys(copy).length > 0 ? copy : undefined;
}

/** Every segment encoded: node-ovh neither encodes nor validates paths. */
export function apiPath(...segments: string[]): string {
  return segments.map((segment) => `/${encodeURIComponent(segment)}`).join('');
}

/** One OVH API connection: timeouts, error normalisation and GET retries around node-ovh. */
export class OvhConnection {
  private readonly raw: OvhRawClient;
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  readonly agent: https.Agent;
  private clockOffset: Promise<number> | null = null;
  /** Every call, downloads included, waits its turn here; a 429's Retry-After pauses them all. */
  readonly limiter: RateLimiter;

  constructor(private readonly settings: OvhSettings) {
    this.timeoutMs = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.retry = settings.retry ?? DEFAULT_RETRY;
    this.agent = ovhAgent(this.timeoutMs, settings.ca);
    this.raw = createRawClient(settings);
    this.limiter = new RateLimiter(settings.rateLimit === undefined ? DEFAULT_RATE_LIMIT : settings.rateLimit);
    // node-ovh would drop an error's headers: a 429's Retry-After is read as the answer arrives.
    sendThrough(this.raw as unknown as NodeOvhClient, this.agent, (response) => {
      if (response.statusCode !== 429) return;
      const wait = retryAfterMs(response.headers['retry-after']);
      if (wait !== null) this.limiter.pause(wait);
    });
  }

  get<T>(path: string, query?: Params): Promise<T> {
    return withRetry(this.retry, () => this.once<T>('GET', path, query));
  }

  /** A POST that only reads (e.g. /sms/estimate), so it is retried like a GET. */
  postRead<T>(path: string, body: Params): Promise<T> {
    return withRetry(this.retry, () => this.once<T>('POST', path, body));
  }

  /** Not retried: the first attempt may have taken effect. */
  post<T>(path: string, body?: Params): Promise<T> {
    return this.once<T>('POST', path, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.once<T>('DELETE', path);
  }

  private async once<T>(method: string, path: string, params?: Params): Promise<T> {
    await this.limiter.take();
    const started = Date.now();
    const context = () => ({ method, path, elapsedMs: Date.now() - started, timeoutMs: this.timeoutMs });
    let timer: NodeJS.Timeout | undefined;
    // The agent's socket timeout is per inactivity; this bounds the whole call (time sync, token, body).
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new OvhApiError(`OVH API ${method} ${path} timed out after ${this.timeoutMs} ms`, 'timeout')),
        this.timeoutMs,
      );
    });
    const request = Promise.resolve()
      .then(() => this.raw.requestPromised(method, path, copyParams(params)))
      .then(
        (value) => value as T,
        (rejection: unknown) => {
          throw normaliseRejection(rejection, context());
        },
      );
    try {
      return await Promise.race([request, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * OVH's clock minus the local one, in ms, from GET /auth/time (whole seconds, so within about a second).
   * node-ovh reads it for request signatures; an OAuth2 client never does, so it is read here then.
   */
  clockOffsetMs(): Promise<number> {
    const known = (this.raw as { apiTimeDiff?: unknown }).apiTimeDiff;
    if (typeof known === 'number') return Promise.resolve(known * 1000);
    this.clockOffset ??= (async () => {
      const before = Date.now();
      const serverSeconds = await this.get<number>('/auth/time');
      return typeof serverSeconds === 'number' ? Math.round(serverSeconds * 1000 - (before + Date.now()) / 2) : 0;
    })();
    // A failed read is tried again by the next caller rather than remembered.
    this.clockOffset.catch(() => {
      this.clockOffset = null;
    });
    return this.clockOffset;
  }

  /** HTTPS GET of a document URL (trusting `ca`), with the same timeout and retries as API reads. */
  download(url: string): Promise<Buffer> {
    return withRetry(this.retry, async () => {
      await this.limiter.take();
      return downloadToBuffer(url, { idleTimeoutMs: this.timeoutMs, ca: this.settings.ca });
    });
  }

  /** Streams a document to a file; `idleTimeoutMs` (default the call timeout) bounds a stall, not the size. Not retried here. */
  async downloadToFile(url: string, file: string, idleTimeoutMs = this.timeoutMs): Promise<number> {
    await this.limiter.take();
    return downloadToFile(url, file, { idleTimeoutMs, ca: this.settings.ca });
  }

  /** PUT to a document's putUrl, streamed; idempotent, so retried like a read. */
  upload(url: string, chunks: () => Iterable<string> | AsyncIterable<string>): Promise<void> {
    return withRetry(this.retry, async () => {
      await this.limiter.take();
      await uploadDocument(url, chunks, { idleTimeoutMs: this.timeoutMs, ca: this.settings.ca });
    });
  }
}

/** The SmsApi of one service over a connection. */
export function smsApi(connection: OvhConnection, serviceName: string): SmsApi {
  const service = (...rest: string[]) => apiPath('sms', serviceName, ...rest);
  return {
    serviceName,
    clockOffsetMs: () => connection.clockOffsetMs(),
    getAccount: () => connection.get<SmsAccount>(service()),
    listBatches: () => connection.get<Batch[]>(service('batches')),
    getBatch: (id) => connection.get<Batch>(service('batches', id)),
    createBatch: (params: BatchParams) => connection.post<Batch>(service('batches'), { ...params }),
    cancelBatch: (id) => connection.post<Batch>(service('batches', id, 'cancel')),
    getStatistics: (id) => connection.get<BatchStatistics>(service('batches', id, 'statistics')),
    requestOutgoingExport: (batchId) => connection.get<string>(service('document'), { wayType: 'outgoing', batchID: batchId }),
    getDocument: (id) => connection.get<OvhDocument>(apiPath('me', 'document', id)),
    download: (url) => connection.download(url),
    downloadToFile: (url, file, idleTimeoutMs) => connection.downloadToFile(url, file, idleTimeoutMs),
    createDocument: (name) => connection.post<OvhDocument>(apiPath('me', 'document'), { name }),
    uploadDocument: (putUrl, chunks) => connection.upload(putUrl, chunks),
    deleteDocument: (id) => connection.delete<void>(apiPath('me', 'document', id)),
    listReceiversLists: () => connection.get<number[]>(service('receivers')),
    getReceiversList: (slotId) => connection.get<ReceiversList>(service('receivers', String(slotId))),
    createReceiversList: ({ slotId, documentId, description }) =>
      connection.post<ReceiversList>(service('receivers'), { autoUpdate: false, description, documentId, slotId }),
    deleteReceiversList: (slotId) => connection.delete<void>(service('receivers', String(slotId))),
    review: {
      destinationRate: (country) => connection.get<DestinationRate>('/sms/rates/destinations', { country }),
      estimate: (params) => connection.postRead<JobEstimate>('/sms/estimate', { ...params }),
      blacklist: () => connection.get<string[]>(service('blacklists')),
      sender: (name) => connection.get<Sender>(service('senders', name)),
    },
  };
}

/** Picks the SMS service: the named one, or the only one; several without a choice is a configuration error. */
export function chooseService(available: string[], wanted: string | null): string {
  if (wanted !== null) {
    if (available.includes(wanted)) return wanted;
    const listed = available.length > 0 ? `available: ${available.join(', ')}` : 'the account has no SMS service';
    throw new OvhConfigError(`SMS service "${wanted}" (OVH_SMS_SERVICE_NAME) is not on this account; ${listed}`);
  }
  if (available.length === 1) return available[0]!;
  if (available.length === 0) throw new OvhConfigError('This OVH account has no SMS service');
  throw new OvhConfigError(
    `This OVH account has ${available.length} SMS services (${available.join(', ')}): choose one with OVH_SMS_SERVICE_NAME (action input service-name)`,
  );
}

/** Resolves the SMS service (GET /sms: one → it; several → needs serviceName) and returns its SmsApi. */
export async function connectSmsService(settings: OvhSettings): Promise<SmsApi> {
  const connection = new OvhConnection(settings);
  const services = await connection.get<string[]>('/sms');
  return smsApi(connection, chooseService(Array.isArray(services) ? services : [], settings.serviceName));
}
