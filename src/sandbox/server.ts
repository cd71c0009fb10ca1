import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Batch } from '../account/index.js';
import type { OvhSettings } from '../ovh/settings.js';
import { SandboxAccess } from './access.js';
import { SANDBOX_CERTIFICATE, SANDBOX_PRIVATE_KEY } from './certificate.js';
import { FaultBook, type InjectedFault, type SandboxFault } from './faults.js';
import { ReviewRoutes, SANDBOX_DEFAULT_RULES, SANDBOX_RATES, type SandboxAccessRule, type SandboxSender } from './review-routes.js';
import { Router } from './router.js';
import { API, sandboxRoutes } from './routes/index.js';
import { dispatcher, serve, type SandboxRequest } from './serve.js';
import { SmsSimulator } from './state.js';

export type { InjectedFault, SandboxFault, SandboxFaultKind } from './faults.js';
export type { SandboxRequest } from './serve.js';

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

/** Starts the simulator on 127.0.0.1 over HTTPS: the account's state, its routes, the faults to inject. */
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
  const access = new SandboxAccess();
  const faults = new FaultBook(options.faults ?? []);
  const requests: SandboxRequest[] = [];
  let origin = '';
  const documentUrl = (id: string) => `${origin}/documents/${encodeURIComponent(id)}`;
  const router = new Router(sandboxRoutes({ simulator, review, access, documentUrl }));
  const exchange = { faults, requests, answer: dispatcher(router, access, serverNow) };

  const server = https.createServer({ key: SANDBOX_PRIVATE_KEY, cert: SANDBOX_CERTIFICATE }, (request, response) => {
    serve(request, response, exchange).catch(() => request.socket.destroy());
  });
  if (options.keepAliveTimeoutMs !== undefined) server.keepAliveTimeout = options.keepAliveTimeoutMs;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `https://127.0.0.1:${port}`;

  return {
    url: `${origin}${API}`,
    port,
    credentials: access.credentials,
    oauth2: { ...access.oauthClient, tokenUrl: `${origin}/auth/` },
    ca: SANDBOX_CERTIFICATE,
    requests,
    injected: faults.injected,
    addFault: (fault) => faults.add(fault),
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
