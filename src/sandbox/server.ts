import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Batch } from '../account/index.js';
import type { OvhSettings } from '../ovh/settings.js';
import { checkApplicationRequest, unauthenticated, type AuthFailure } from './auth.js';
import { SANDBOX_CERTIFICATE, SANDBOX_PRIVATE_KEY } from './certificate.js';
import { ReviewRoutes, SANDBOX_DEFAULT_RULES, SANDBOX_RATES, type SandboxAccessRule, type SandboxSender } from './review-routes.js';
import { SandboxHttpError, SmsSimulator } from './state.js';

/**
 * What a fault does to a matching request; "before" faults leave the account untouched, "after" ones act on it first.
 * - latency: waits `delayMs`, then handles the request (it takes effect late).
 * - slow-answer: handles the request at once, answers `delayMs` later.
 * - status: answers `status` (default 500) as OVH would, without handling the request.
 * - html: answers `status` (default 502) with a proxy's HTML page; handled first when `afterCommit`.
 * - drop: closes the connection without handling the request.
 * - lose-response: handles the request, then closes the connection without answering.
 */
export type SandboxFaultKind = 'latency' | 'slow-answer' | 'status' | 'html' | 'drop' | 'lose-response';

export interface SandboxFault {
  method?: string;
  /** Tested against the request path with its /1.0 prefix and without the query, e.g. /1.0/sms/x/batches. */
  path: RegExp;
  kind: SandboxFaultKind;
  status?: number;
  /** The error message of a `status` fault (default "Sandbox fault: HTTP <status>"). */
  message?: string;
  /** With status 429: the Retry-After header, in seconds. */
  retryAfterSeconds?: number;
  delayMs?: number;
  /** For `html`: the request takes effect before the error page is answered. */
  afterCommit?: boolean;
  /** How many matching requests it affects; default 1. */
  times?: number;
}

/** A fault as it was applied to one request. */
export interface InjectedFault {
  kind: SandboxFaultKind;
  method: string;
  path: string;
  status: number | null;
  afterCommit: boolean;
}

export interface SandboxOptions {
  /** 0 = random */
  port?: number;
  /** Default ['sms-sandbox-1']. */
  services?: string[];
  /** Per service; default 1000. */
  creditsLeft?: number;
  /** PENDING→INSERTING→INSERTED→COMPLETED spread over this (default 3000). */
  batchDurationMs?: number;
  /** /me/document size 0 for this many GETs (default 2)… */
  documentReadyAfterPolls?: number;
  /** …or until this long after the export was requested, whichever comes first (default 1000 ms; null: polls only). */
  documentReadyAfterMs?: number | null;
  /** Receivers lists (slots) a service keeps at most; default 5 (OVH's own limit is not documented). */
  maxReceiversLists?: number;
  /** Server clock skew vs local. */
  clockOffsetSeconds?: number;
  faults?: SandboxFault[];
  /** Injectable clock (ms). */
  now?: () => number;
  /** Numbers on every service's STOP list: batches skip them and count them as stoplisted. */
  blacklist?: string[];
  /** The senders of every service; default: any sender is enabled except the demo ones (SANDBOX_DEMO_SENDERS). */
  senders?: SandboxSender[];
  /** Credits per SMS by destination (lower-case country code); default SANDBOX_RATES. */
  rates?: Record<string, { country: string; credit: number }>;
  /** The consumer key's access rules (GET /auth/currentCredential); default the rules this tool needs. */
  accessRules?: SandboxAccessRule[];
  /** The server's idle keep-alive time, announced in `Keep-Alive: timeout=…` (Node's default 5000). */
  keepAliveTimeoutMs?: number;
  /** A new batch is listed with `receivers: null` this long, as OVH does while it inserts them (default 0). */
  receiversHiddenForMs?: number;
}

export interface SandboxRequest {
  method: string;
  /** Path and query as received, e.g. /1.0/sms/sms-sandbox-1/document?wayType=outgoing&batchID=… */
  path: string;
  /** HTTP status answered; 0 when the connection was dropped without an answer. */
  status: number;
}

export interface Sandbox {
  /** 'https://127.0.0.1:<port>/1.0' */
  url: string;
  port: number;
  credentials: { applicationKey: string; applicationSecret: string; consumerKey: string };
  /** OAuth2 client-credentials pair accepted at POST /auth/oauth2/token. */
  oauth2: { clientId: string; clientSecret: string; tokenUrl: string };
  /** PEM to trust. */
  ca: string;
  /** Every request, for counting calls. */
  requests: SandboxRequest[];
  /** Every fault applied, in order. */
  injected: InjectedFault[];
  addFault(fault: SandboxFault): void;
  /** Moves the server's clock against the local one (seconds, positive: OVH ahead). */
  setClockOffset(seconds: number): void;
  /** Current state. */
  batches(serviceName?: string): Batch[];
  stop(): Promise<void>;
}

const BASE_PATH = '/1.0';

interface ActiveFault extends SandboxFault {
  remaining: number;
}

function queryId(): string {
  return `SANDBOX.ext-1.${randomBytes(8).toString('hex')}`;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** Resolves when the response can take more, or is gone. */
function drained(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}

interface Reply {
  status: number;
  body: unknown;
  /** With a content type, the body is sent as it is: text or chunks (a document). */
  contentType?: string;
  headers?: Record<string, string>;
}

const json = (status: number, body: unknown): Reply => ({ status, body });
const apiError = (status: number, errorClass: string | undefined, message: string): Reply =>
  json(status, errorClass ? { class: errorClass, message } : { message });

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const now = options.now ?? Date.now;
  let clockOffsetSeconds = options.clockOffsetSeconds ?? 0;
  const serverNow = () => now() + clockOffsetSeconds * 1000;
  const review = new ReviewRoutes({
    senders: options.senders ?? null,
    rates: options.rates ?? SANDBOX_RATES,
    rules: options.accessRules ?? [...SANDBOX_DEFAULT_RULES],
  });
  const simulator = new SmsSimulator({
    senderRefusal: (sender) => review.senderRefusal(sender),
    services: options.services ?? ['sms-sandbox-1'],
    creditsLeft: options.creditsLeft ?? 1000,
    batchDurationMs: options.batchDurationMs ?? 3000,
    documentReadyAfterPolls: options.documentReadyAfterPolls ?? 2,
    documentReadyAfterMs: options.documentReadyAfterMs === undefined ? 1_000 : options.documentReadyAfterMs,
    maxReceiversLists: options.maxReceiversLists ?? 5,
    blacklist: options.blacklist ?? [],
    receiversHiddenForMs: options.receiversHiddenForMs ?? 0,
  });
  const credentials = {
    applicationKey: `sandbox-ak-${randomBytes(6).toString('hex')}`,
    applicationSecret: `sandbox-as-${randomBytes(12).toString('hex')}`,
    consumerKey: `sandbox-ck-${randomBytes(12).toString('hex')}`,
  };
  const oauthClient = { clientId: `sandbox-client-${randomBytes(6).toString('hex')}`, clientSecret: randomBytes(16).toString('hex') };
  const accessTokens = new Set<string>();
  const faults: ActiveFault[] = (options.faults ?? []).map((fault) => ({ ...fault, remaining: fault.times ?? 1 }));
  const requests: SandboxRequest[] = [];
  const injected: InjectedFault[] = [];
  let origin = '';

  function takeFault(method: string, pathname: string): ActiveFault | null {
    const index = faults.findIndex(
      (fault) => (fault.method === undefined || fault.method.toUpperCase() === method) && fault.path.test(pathname),
    );
    if (index < 0) return null;
    const fault = faults[index]!;
    fault.remaining -= 1;
    if (fault.remaining <= 0) faults.splice(index, 1);
    injected.push({ kind: fault.kind, method, path: pathname, status: fault.status ?? null, afterCommit: fault.afterCommit === true });
    return fault;
  }

  function authenticate(request: IncomingMessage, target: string, body: string): AuthFailure | null {
    const authorization = request.headers.authorization;
    if (authorization?.startsWith('Bearer ')) {
      return accessTokens.has(authorization.slice('Bearer '.length)) ? null : unauthenticated();
    }
    return checkApplicationRequest(
      {
        method: request.method ?? 'GET',
        target,
        host: request.headers.host ?? '127.0.0.1',
        headers: request.headers,
        body,
        nowSeconds: Math.round(serverNow() / 1000),
      },
      credentials,
    );
  }

  function issueToken(request: IncomingMessage, body: string): Reply {
    const authorization = request.headers.authorization ?? '';
    const decoded = authorization.startsWith('Basic ') ? Buffer.from(authorization.slice(6), 'base64').toString('utf8') : '';
    const form = new URLSearchParams(body);
    const [id, secret] = decoded.includes(':')
      ? [decodeURIComponent(decoded.slice(0, decoded.indexOf(':'))), decodeURIComponent(decoded.slice(decoded.indexOf(':') + 1))]
      : [form.get('client_id') ?? '', form.get('client_secret') ?? ''];
    if (form.get('grant_type') !== 'client_credentials') {
      return json(400, { error: 'unsupported_grant_type', error_description: 'Only client_credentials is supported' });
    }
    if (id !== oauthClient.clientId || secret !== oauthClient.clientSecret) {
      return json(401, { error: 'invalid_client', error_description: 'Client authentication failed' });
    }
    const token = randomBytes(24).toString('hex');
    accessTokens.add(token);
    return json(200, { access_token: token, token_type: 'Bearer', expires_in: 3600, scope: 'all' });
  }

  function route(method: string, segments: string[], query: URLSearchParams, body: string): Reply {
    const t = serverNow();
    const [root, serviceName, collection, id, action] = segments;
    const parse = () => {
      if (body.length === 0) return undefined;
      try {
        return JSON.parse(body) as unknown;
      } catch {
        throw new SandboxHttpError(400, 'Client::BadRequest', 'Invalid JSON received');
      }
    };
    if (root === 'auth' && serviceName === 'currentCredential' && segments.length === 2 && method === 'GET') {
      return json(200, review.currentCredential(t));
    }
    if (root === 'sms' && segments.length === 3 && serviceName === 'rates' && collection === 'destinations' && method === 'GET') {
      return json(200, review.destinationRate(query));
    }
    if (root === 'sms' && segments.length === 2 && serviceName === 'estimate' && method === 'POST') {
      return json(200, review.estimate(parse()));
    }
    if (root === 'sms') {
      if (segments.length === 1 && method === 'GET') return json(200, simulator.serviceNames());
      if (serviceName === undefined) return routeNotFound();
      if (segments.length === 2 && method === 'GET') return json(200, simulator.account(serviceName, t));
      if (collection === 'batches') {
        if (segments.length === 3 && method === 'GET') return json(200, simulator.listBatches(serviceName, t));
        if (segments.length === 3 && method === 'POST') return json(200, simulator.createBatch(serviceName, parse(), t));
        if (id !== undefined && segments.length === 4 && method === 'GET') return json(200, simulator.getBatch(serviceName, id, t));
        if (id !== undefined && segments.length === 4 && method === 'DELETE') {
          simulator.deleteBatch(serviceName, id, t);
          return json(200, null);
        }
        if (id !== undefined && segments.length === 5 && action === 'cancel' && method === 'POST') {
          return json(200, simulator.cancelBatch(serviceName, id, t));
        }
        if (id !== undefined && segments.length === 5 && action === 'statistics' && method === 'GET') {
          return json(200, simulator.statistics(serviceName, id, t));
        }
      }
      if (collection === 'blacklists' && segments.length === 3 && method === 'GET') {
        return json(200, review.blacklistNumbers(simulator.service(serviceName).blacklist, query));
      }
      if (collection === 'blacklists' && id !== undefined && segments.length === 4 && method === 'GET') {
        return json(200, review.blacklistItem(simulator.service(serviceName).blacklist, id));
      }
      if (collection === 'senders' && segments.length === 3 && method === 'GET') {
        simulator.service(serviceName);
        return json(200, review.senderNames());
      }
      if (collection === 'senders' && id !== undefined && segments.length === 4 && method === 'GET') {
        simulator.service(serviceName);
        return json(200, review.sender(id));
      }
      if (collection === 'document' && segments.length === 3 && method === 'GET') {
        return json(200, simulator.requestDocument(serviceName, query, t));
      }
      if (collection === 'receivers') {
        if (segments.length === 3 && method === 'GET') return json(200, simulator.listReceivers(serviceName));
        if (segments.length === 3 && method === 'POST') return json(200, simulator.createReceivers(serviceName, parse(), t));
        if (id !== undefined && segments.length === 4 && method === 'GET') return json(200, simulator.getReceivers(serviceName, id));
        if (id !== undefined && segments.length === 4 && method === 'DELETE') {
          simulator.deleteReceivers(serviceName, id);
          return json(200, null);
        }
      }
    }
    if (root === 'me' && serviceName === 'document') {
      if (segments.length === 2 && method === 'POST') return json(200, simulator.createDocument(parse(), t, documentUrl));
      if (collection !== undefined && segments.length === 3 && method === 'GET')
        return json(200, simulator.getDocument(collection, t, documentUrl(collection)));
      if (collection !== undefined && segments.length === 3 && method === 'DELETE') {
        simulator.deleteDocument(collection);
        return json(200, null);
      }
    }
    return routeNotFound();
  }

  const routeNotFound = () => apiError(404, 'Client::NotFound', 'Got an invalid (or empty) URL');
  /** A document's getUrl and putUrl: served without authentication, like OVH's signed storage links. */
  const documentUrl = (id: string) => `${origin}/documents/${encodeURIComponent(id)}`;

  async function answer(request: IncomingMessage, pathname: string, target: string, raw: Buffer): Promise<Reply> {
    const method = request.method ?? 'GET';
    const body = pathname.startsWith('/documents/') ? '' : raw.toString('utf8');
    if (pathname === '/auth/oauth2/token' && method === 'POST') return issueToken(request, body);
    if (pathname.startsWith('/documents/') && method === 'GET') {
      const content = simulator.documentContent(decodeURIComponent(pathname.slice('/documents/'.length)), serverNow());
      return content === null
        ? apiError(404, undefined, 'No such document')
        : { status: 200, body: content, contentType: 'text/csv; charset=utf-8' };
    }
    if (pathname.startsWith('/documents/') && method === 'PUT') {
      const stored = simulator.uploadDocument(decodeURIComponent(pathname.slice('/documents/'.length)), raw);
      return stored ? json(200, null) : apiError(404, undefined, 'No such document');
    }
    if (!pathname.startsWith(`${BASE_PATH}/`)) return routeNotFound();
    const apiPath = pathname.slice(BASE_PATH.length);
    if (apiPath === '/auth/time' && method === 'GET') return json(200, Math.round(serverNow() / 1000));
    const refused = authenticate(request, target, body);
    if (refused) return json(refused.status, refused.body);
    const segments = apiPath
      .split('/')
      .slice(1)
      .map((segment) => decodeURIComponent(segment));
    try {
      return route(method, segments, new URL(target, 'https://sandbox').searchParams, body);
    } catch (error) {
      if (error instanceof SandboxHttpError) return apiError(error.status, error.errorClass, error.message);
      throw error;
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    const target = request.url ?? '/';
    const pathname = target.split('?')[0]!;
    const body = await readBody(request);
    const record = (status: number) => requests.push({ method, path: target, status });
    const fault = takeFault(method, pathname);
    const pause = (ms: number | undefined) => new Promise((resolve) => setTimeout(resolve, ms ?? 1000));
    const handled = async (): Promise<Reply> => {
      try {
        return await answer(request, pathname, target, body);
      } catch (error) {
        return apiError(500, 'Server::InternalServerError', `Sandbox failure: ${(error as Error).message}`);
      }
    };
    if (fault?.kind === 'latency') await pause(fault.delayMs);
    if (fault?.kind === 'drop') {
      record(0);
      request.socket.destroy();
      return;
    }
    let reply: Reply;
    if (fault?.kind === 'status') {
      const status = fault.status ?? 500;
      reply =
        status === 429
          ? apiError(429, 'Client::TooManyRequests', 'Too many requests')
          : status === 403
            ? apiError(403, 'Client::Forbidden', fault.message ?? 'This call has not been granted')
            : apiError(
                status,
                status >= 500 ? 'Server::InternalServerError' : 'Client::BadRequest',
                fault.message ?? `Sandbox fault: HTTP ${status}`,
              );
      if (fault.retryAfterSeconds !== undefined) reply.headers = { 'Retry-After': String(fault.retryAfterSeconds) };
    } else if (fault?.kind === 'html') {
      if (fault.afterCommit) await handled();
      const status = fault.status ?? 502;
      reply = { status, body: `<html><body><h1>${status} Bad Gateway</h1></body></html>`, contentType: 'text/html' };
    } else {
      reply = await handled();
    }
    if (fault?.kind === 'slow-answer') await pause(fault.delayMs);
    if (fault?.kind === 'lose-response') {
      record(0);
      request.socket.destroy();
      return;
    }
    record(reply.status);
    if (reply.contentType && typeof reply.body === 'object' && reply.body !== null) {
      // A document: streamed in chunks, with backpressure.
      response.writeHead(reply.status, { 'Content-Type': reply.contentType, 'X-Ovh-QueryID': queryId(), ...reply.headers });
      for (const chunk of reply.body as Iterable<string | Buffer>) {
        if (!response.write(chunk)) await drained(response);
        if (response.destroyed) return;
      }
      response.end();
      return;
    }
    const payload = reply.contentType ? String(reply.body) : reply.body === null ? '' : JSON.stringify(reply.body);
    response.writeHead(reply.status, {
      'Content-Type': reply.contentType ?? 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(payload),
      'X-Ovh-QueryID': queryId(),
      ...reply.headers,
    });
    response.end(payload);
  }

  const server = https.createServer({ key: SANDBOX_PRIVATE_KEY, cert: SANDBOX_CERTIFICATE }, (request, response) => {
    handle(request, response).catch(() => request.socket.destroy());
  });
  if (options.keepAliveTimeoutMs !== undefined) server.keepAliveTimeout = options.keepAliveTimeoutMs;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `https://127.0.0.1:${port}`;

  return {
    url: `${origin}${BASE_PATH}`,
    port,
    credentials,
    oauth2: { ...oauthClient, tokenUrl: `${origin}/auth/` },
    ca: SANDBOX_CERTIFICATE,
    requests,
    injected,
    addFault: (fault) => faults.push({ ...fault, remaining: fault.times ?? 1 }),
    setClockOffset: (seconds) => {
      clockOffsetSeconds = seconds;
    },
    batches: (serviceName) => simulator.allBatches(serviceName, serverNow()),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** OvhSettings pointing at a running sandbox. */
export function sandboxSettings(sandbox: Sandbox): OvhSettings {
  return {
    endpoint: sandbox.url,
    credentials: { kind: 'application', ...sandbox.credentials },
    serviceName: null,
    ca: sandbox.ca,
  };
}
