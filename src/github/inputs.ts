import { DIGEST_PATTERN } from '../plan/index.js';
import { RUN_DEFAULTS, type Command } from '../run/index.js';

export type ActionCommand = Command;

export interface ActionInputs {
  command: ActionCommand;
  campaigns: string[];
  /** As OVH_ENDPOINT; null when the input is empty (the OVH default applies). */
  endpoint: string | null;
  sandbox: boolean;
  credentials: {
    applicationKey: string;
    applicationSecret: string;
    consumerKey: string;
    clientId: string;
    clientSecret: string;
  };
  serviceName: string;
  wait: boolean;
  timeoutMinutes: number;
  /** Seconds apply holds each new batch so an overlapping run can cancel its duplicate (0 = off). */
  overlapGuardSeconds: number;
  /** `outgoing.csv` with its phone numbers masked, for an artifact more people may read. */
  maskExport: boolean;
  /** Campaigns with at least this many recipients go through an OVH receivers list (0 = never). */
  receiversListThreshold: number;
  /** OVH calls a second at most (0 = no limit). */
  rateLimitPerSecond: number;
  maxCredits: number | null;
  /** apply: the reviewed plan's digest; apply refuses when the plan's differs. */
  expectDigest: string | null;
  githubToken: string;
  comment: boolean;
  /** Empty: no artifact upload. */
  artifactName: string;
  retentionDays: number | undefined;
  /** `command: status`: the campaigns sent in the last this many days are refreshed. */
  sinceDays: number;
}

/** A wrong input value: the step fails with this message before anything runs. */
export class InputError extends Error {}

/** Reads one input the way @actions/core does: trimmed, '' when unset. */
export type InputReader = (name: string) => string;

/** `auto`: plan on pull requests and merge queues, apply on push, plan otherwise. */
export function resolveCommand(input: string, eventName: string): ActionCommand {
  const value = input.trim() === '' ? 'auto' : input.trim();
  if (value === 'auto') return eventName === 'push' ? 'apply' : 'plan';
  if (value === 'validate' || value === 'plan' || value === 'apply' || value === 'test' || value === 'status') return value;
  throw new InputError(`command must be auto, validate, plan, apply, test or status, not "${value}"`);
}

export function readActionInputs(read: InputReader, eventName: string): ActionInputs {
  const endpoint = read('endpoint');
  return {
    command: resolveCommand(read('command'), eventName),
    campaigns: read('campaigns')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.length > 0),
    endpoint: endpoint === '' || endpoint === 'sandbox' ? null : endpoint,
    sandbox: endpoint === 'sandbox',
    credentials: {
      applicationKey: read('application-key'),
      applicationSecret: read('application-secret'),
      consumerKey: read('consumer-key'),
      clientId: read('client-id'),
      clientSecret: read('client-secret'),
    },
    serviceName: read('service-name'),
    wait: readBoolean(read, 'wait', RUN_DEFAULTS.wait),
    timeoutMinutes: readNumber(read, 'timeout-minutes', { min: 0 }) ?? RUN_DEFAULTS.timeoutMinutes,
    overlapGuardSeconds: readNumber(read, 'overlap-guard', { min: 0 }) ?? RUN_DEFAULTS.overlapGuardSeconds,
    maskExport: readBoolean(read, 'mask-export', RUN_DEFAULTS.maskExport),
    receiversListThreshold: readNumber(read, 'receivers-list-threshold', { min: 0 }) ?? RUN_DEFAULTS.receiversListThreshold,
    rateLimitPerSecond: readNumber(read, 'rate-limit', { min: 0 }) ?? RUN_DEFAULTS.rateLimitPerSecond,
    maxCredits: readNumber(read, 'max-credits', { min: 0 }),
    expectDigest: readDigest(read, 'expect-digest'),
    githubToken: read('github-token'),
    comment: readBoolean(read, 'comment', true),
    artifactName: read('artifact-name'),
    sinceDays: readNumber(read, 'since', { min: 0 }) ?? RUN_DEFAULTS.statusSinceDays,
    retentionDays: readNumber(read, 'retention-days', { min: 1, max: 90, integer: true }) ?? undefined,
  };
}

function readDigest(read: InputReader, name: string): string | null {
  const value = read(name);
  if (value === '') return null;
  if (!DIGEST_PATTERN.test(value)) throw new InputError(`${name} must be sha256: and 64 hex digits (the plan's digest), not "${value}"`);
  return value;
}

function readBoolean(read: InputReader, name: string, fallback: boolean): boolean {
  const value = read(name);
  if (value === '') return fallback;
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  throw new InputError(`${name} must be true or false, not "${value}"`);
}

function readNumber(read: InputReader, name: string, limits: { min: number; max?: number; integer?: boolean }): number | null {
  const value = read(name);
  if (value === '') return null;
  const number = Number(value);
  const valid =
    Number.isFinite(number) &&
    number >= limits.min &&
    (limits.max === undefined || number <= limits.max) &&
    (!limits.integer || Number.isInteger(number));
  if (!valid) {
    const range = limits.max === undefined ? `at least ${limits.min}` : `between ${limits.min} and ${limits.max}`;
    throw new InputError(`${name} must be ${limits.integer ? 'an integer' : 'a number'} ${range}, not "${value}"`);
  }
  return number;
}

/** The credentials as values to mask in every log line. */
export function secretInputs(inputs: ActionInputs): string[] {
  return Object.values(inputs.credentials).filter((value) => value.length > 0);
}

/**
 * The OVH_* environment the engine reads, built from the inputs. Inputs win over variables already set,
 * so a workflow-level OVH_* cannot silently replace what the step was given.
 */
export function ovhEnvironment(inputs: ActionInputs, base: Record<string, string | undefined>): Record<string, string | undefined> {
  const env = { ...base };
  const set = (name: string, value: string | null): void => {
    if (value) env[name] = value;
  };
  set('OVH_ENDPOINT', inputs.endpoint);
  set('OVH_APPLICATION_KEY', inputs.credentials.applicationKey);
  set('OVH_APPLICATION_SECRET', inputs.credentials.applicationSecret);
  set('OVH_CONSUMER_KEY', inputs.credentials.consumerKey);
  set('OVH_CLIENT_ID', inputs.credentials.clientId);
  set('OVH_CLIENT_SECRET', inputs.credentials.clientSecret);
  set('OVH_SMS_SERVICE_NAME', inputs.serviceName);
  return env;
}
