import { parseRecipientsEnv, type RecipientReadResult } from './sources.js';

/**
 * Variables that hold credentials or runner internals, never phone numbers: a campaign file must not be able to
 * read them (an error message would quote part of them). Compared without case, as Windows does.
 */
const REFUSED_PREFIXES = ['OVH_', 'GITHUB_', 'ACTIONS_', 'INPUT_', 'RUNNER_', 'NODE_', 'NPM_', 'AWS_', 'AZURE_', 'GOOGLE_', 'SSH_'];
const REFUSED_SUFFIXES = [
  '_TOKEN',
  '_PASSWORD',
  '_PASSPHRASE',
  '_PRIVATE_KEY',
  '_API_KEY',
  '_SECRET_KEY',
  '_ACCESS_KEY',
  '_CLIENT_SECRET',
  '_APPLICATION_SECRET',
  '_CONSUMER_KEY',
];
const REFUSED_NAMES = ['TOKEN', 'PATH', 'HOME', 'CI', 'ACTIONS', 'GITHUB'];

/** Why a variable may not be read as a recipient list, or null when it may. */
export function refusedVariable(name: string): string | null {
  const upper = name.toUpperCase();
  const refused =
    REFUSED_NAMES.includes(upper) ||
    REFUSED_PREFIXES.some((prefix) => upper.startsWith(prefix)) ||
    REFUSED_SUFFIXES.some((suffix) => upper.endsWith(suffix));
  return refused
    ? `environment variable ${name} holds credentials or runner settings, not phone numbers: it cannot be a recipient source (use a variable of your own, e.g. VIP_NUMBERS)`
    : null;
}

/** A recipient list from an environment variable, unless the name is a credential's. */
export function readRecipientsEnv(name: string, env: Record<string, string | undefined>): RecipientReadResult {
  const refusal = refusedVariable(name);
  if (refusal !== null) return { entries: [], problems: [{ row: null, message: refusal }] };
  return parseRecipientsEnv(name, env);
}

/** Characters a phone number may be written with; anything else in an entry means it is not one. */
const PHONE_SPELLING = /^[\d\s+().\-/]*$/;

/** An entry worth showing masked: written like a phone number. Anything else may be a secret and is never shown. */
export function looksLikePhoneSpelling(raw: string): boolean {
  return /\d/.test(raw) && PHONE_SPELLING.test(raw.trim());
}
