import type { RetryPolicy } from '../account/index.js';

export type OvhCredentials =
  | { kind: 'application'; applicationKey: string; applicationSecret: string; consumerKey: string }
  | { kind: 'oauth2'; clientId: string; clientSecret: string };

export interface OvhSettings {
  /** 'ovh-eu' | 'ovh-ca' | 'ovh-us' | 'https://host[:port][/1.0]' */
  endpoint: string;
  credentials: OvhCredentials;
  /** OVH_SMS_SERVICE_NAME; null lets connectSmsService pick the only service. */
  serviceName: string | null;
  /** Extra trusted CA (PEM), e.g. the sandbox certificate. */
  ca?: string;
  /** Per call, default 30 s. */
  timeoutMs?: number;
  /** Idempotent reads only; default the account's DEFAULT_RETRY (4 attempts, 500 ms base, exponential with jitter). */
  retry?: RetryPolicy;
  /** OAuth2 token endpoint base (ending in '/'); derived from the endpoint when absent. */
  tokenUrl?: string;
  /** Client-side rate limit on every call; default 20 a second (burst 20); null: none. A 429's Retry-After is honoured either way. */
  rateLimit?: { perSecond: number; burst: number } | null;
}

/** Configuration problems (CLI exit code 2): partial credentials, unknown endpoint, service choice. */
export class OvhConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OvhConfigError';
  }
}

export const DEFAULT_TIMEOUT_MS = 30_000;

const NAMED_ENDPOINTS = ['ovh-eu', 'ovh-ca', 'ovh-us'] as const;

/** Where node-ovh should connect: a named endpoint, or an explicit HTTPS host. */
export type ResolvedEndpoint =
  { kind: 'named'; name: string } | { kind: 'url'; host: string; port: number; basePath: string; origin: string };

export function resolveEndpoint(endpoint: string): ResolvedEndpoint {
  const trimmed = endpoint.trim();
  if ((NAMED_ENDPOINTS as readonly string[]).includes(trimmed)) return { kind: 'named', name: trimmed };
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new OvhConfigError(`Unknown OVH endpoint "${trimmed}": use ovh-eu, ovh-ca, ovh-us or a URL https://host[:port][/1.0]`);
  }
  if (url.protocol !== 'https:') {
    // node-ovh only speaks HTTPS (https.request), so an http:// endpoint could never work.
    throw new OvhConfigError(`OVH endpoint "${trimmed}" must use https://`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new OvhConfigError(`OVH endpoint "${trimmed}" must be https://host[:port][/path] with nothing else`);
  }
  const path = url.pathname.replace(/\/+$/, '');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    kind: 'url',
    host,
    port: url.port ? Number(url.port) : 443,
    basePath: path === '' ? '/1.0' : path,
    origin: url.origin,
  };
}

function present(env: Record<string, string | undefined>, name: string): string | null {
  const value = env[name]?.trim();
  return value ? value : null;
}

const APPLICATION_VARS = ['OVH_APPLICATION_KEY', 'OVH_APPLICATION_SECRET', 'OVH_CONSUMER_KEY'] as const;
const OAUTH2_VARS = ['OVH_CLIENT_ID', 'OVH_CLIENT_SECRET'] as const;

/** Reads contract §3 variables. null when no credentials at all (offline plan); OvhConfigError when partial/mixed. */
export function ovhSettingsFromEnv(env: Record<string, string | undefined>): OvhSettings | null {
  const application = APPLICATION_VARS.map((name) => present(env, name));
  const oauth2 = OAUTH2_VARS.map((name) => present(env, name));
  const hasApplication = application.some((value) => value !== null);
  const hasOauth2 = oauth2.some((value) => value !== null);
  if (!hasApplication && !hasOauth2) return null;
  if (hasApplication && hasOauth2) {
    throw new OvhConfigError(
      'Both application-key credentials (OVH_APPLICATION_*, OVH_CONSUMER_KEY) and OAuth2 credentials (OVH_CLIENT_*) are set: keep only one kind',
    );
  }
  const endpoint = present(env, 'OVH_ENDPOINT') ?? 'ovh-eu';
  resolveEndpoint(endpoint);
  const serviceName = present(env, 'OVH_SMS_SERVICE_NAME');
  if (hasApplication) {
    const missing = APPLICATION_VARS.filter((_, index) => application[index] === null);
    if (missing.length > 0) throw new OvhConfigError(`Incomplete OVH credentials: ${missing.join(', ')} not set`);
    const [applicationKey, applicationSecret, consumerKey] = application as [string, string, string];
    return { endpoint, serviceName, credentials: { kind: 'application', applicationKey, applicationSecret, consumerKey } };
  }
  const missing = OAUTH2_VARS.filter((_, index) => oauth2[index] === null);
  if (missing.length > 0) throw new OvhConfigError(`Incomplete OVH OAuth2 credentials: ${missing.join(', ')} not set`);
  const [clientId, clientSecret] = oauth2 as [string, string];
  return { endpoint, serviceName, credentials: { kind: 'oauth2', clientId, clientSecret } };
}

/** Secrets of the settings, for core.setSecret / log scrubbing. */
export function secretValues(settings: OvhSettings): string[] {
  const { credentials } = settings;
  const values =
    credentials.kind === 'application'
      ? [credentials.applicationSecret, credentials.consumerKey, credentials.applicationKey]
      : [credentials.clientSecret, credentials.clientId];
  return values.filter((value) => value.length > 0);
}
