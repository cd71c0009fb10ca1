/** One consumer-key access rule: a method and a path where `*` stands for anything, slashes included. */
export interface AccessRule {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
}

export type Purpose = 'plan' | 'apply' | 'cancel';

/** A call the tool makes, as a concrete example path, and the purposes that need it. */
interface NeededCall {
  method: AccessRule['method'];
  path: (service: string) => string;
  purposes: Purpose[];
  what: string;
}

const NEEDED_CALLS: readonly NeededCall[] = [
  { method: 'GET', path: () => '/sms', purposes: ['plan', 'apply', 'cancel'], what: 'find the SMS service' },
  { method: 'GET', path: (sn) => `/sms/${sn}`, purposes: ['plan', 'apply'], what: 'read the credits left' },
  { method: 'GET', path: (sn) => `/sms/${sn}/batches`, purposes: ['plan', 'apply', 'cancel'], what: 'list the batches' },
  { method: 'GET', path: (sn) => `/sms/${sn}/blacklists`, purposes: ['plan'], what: 'read the STOP list' },
  { method: 'GET', path: (sn) => `/sms/${sn}/senders/SENDER`, purposes: ['plan'], what: 'check the senders' },
  { method: 'POST', path: () => '/sms/estimate', purposes: ['plan'], what: 'cross-check SMS parts' },
  { method: 'GET', path: () => '/sms/rates/destinations', purposes: ['plan'], what: 'read the rates by destination' },
  { method: 'POST', path: (sn) => `/sms/${sn}/batches`, purposes: ['apply'], what: 'create batches' },
  { method: 'GET', path: (sn) => `/sms/${sn}/batches/ID/statistics`, purposes: ['apply'], what: 'read statistics' },
  { method: 'GET', path: (sn) => `/sms/${sn}/document`, purposes: ['apply'], what: 'request the CSV export' },
  { method: 'GET', path: () => '/me/document/ID', purposes: ['apply'], what: 'download the CSV export' },
  {
    method: 'POST',
    path: (sn) => `/sms/${sn}/batches/ID/cancel`,
    purposes: ['apply', 'cancel'],
    what: 'cancel a batch (cancel: true, overlap guard)',
  },
  { method: 'POST', path: () => '/me/document', purposes: ['apply'], what: 'upload a receivers list (big campaigns)' },
  { method: 'POST', path: (sn) => `/sms/${sn}/receivers`, purposes: ['apply'], what: 'upload a receivers list (big campaigns)' },
  { method: 'DELETE', path: () => '/me/document/ID', purposes: ['apply'], what: 'clean up a receivers list' },
  { method: 'DELETE', path: (sn) => `/sms/${sn}/receivers/SLOT`, purposes: ['apply'], what: 'clean up a receivers list' },
];

/**
 * The least rules that cover every call: scoped to the service when it is known (OVH_SMS_SERVICE_NAME), else to
 * every SMS service of the account. `GET /sms` is needed beside `/sms/*`, which does not match it.
 */
export function leastRules(service: string | null): AccessRule[] {
  if (service === null) {
    return [
      { method: 'GET', path: '/sms' },
      { method: 'GET', path: '/sms/*' },
      { method: 'POST', path: '/sms/*' },
      { method: 'DELETE', path: '/sms/*/receivers/*' },
      { method: 'GET', path: '/me/document/*' },
      { method: 'POST', path: '/me/document' },
      { method: 'DELETE', path: '/me/document/*' },
    ];
  }
  return [
    { method: 'GET', path: '/sms' },
    { method: 'GET', path: `/sms/${service}` },
    { method: 'GET', path: `/sms/${service}/*` },
    { method: 'POST', path: `/sms/${service}/*` },
    { method: 'POST', path: '/sms/estimate' },
    { method: 'GET', path: '/sms/rates/*' },
    { method: 'DELETE', path: `/sms/${service}/receivers/*` },
    { method: 'GET', path: '/me/document/*' },
    { method: 'POST', path: '/me/document' },
    { method: 'DELETE', path: '/me/document/*' },
  ];
}

export function ruleCovers(rule: AccessRule, method: string, concretePath: string): boolean {
  if (rule.method.toUpperCase() !== method) return false;
  const pattern = new RegExp(
    `^${rule.path
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return pattern.test(concretePath);
}

const CREATE_TOKEN_PAGES: Record<string, string> = {
  'ovh-eu': 'https://eu.api.ovh.com/createToken/',
  'ovh-ca': 'https://ca.api.ovh.com/createToken/',
  'ovh-us': 'https://api.us.ovhcloud.com/createToken/',
};

/** OVH's token-creation page with the rules filled in (`?GET=/sms&POST=/sms/*…`); null for a custom endpoint. */
export function createTokenUrl(endpoint: string, rules: readonly AccessRule[]): string | null {
  const page = CREATE_TOKEN_PAGES[endpoint.trim()];
  if (!page) return null;
  return `${page}?${rules.map((rule) => `${rule.method}=${rule.path}`).join('&')}`;
}

export interface MissingRule {
  /** The rule to add (from leastRules). */
  rule: AccessRule;
  /** Every purpose one of its calls serves. */
  purposes: Purpose[];
  /** The calls it would allow, each with the purposes that need it. */
  calls: { what: string; purposes: Purpose[] }[];
}

/** The least rules whose calls the granted rules do not cover, with what they are for. Empty: enough. */
export function missingRules(granted: readonly AccessRule[], service: string | null): MissingRule[] {
  const sample = service ?? 'sms-xx00000-1';
  const least = leastRules(service);
  const missing = new Map<string, MissingRule>();
  for (const call of NEEDED_CALLS) {
    const path = call.path(sample);
    if (granted.some((rule) => ruleCovers(rule, call.method, path))) continue;
    const rule = least.find((candidate) => ruleCovers(candidate, call.method, path)) ?? { method: call.method, path };
    const key = `${rule.method} ${rule.path}`;
    const entry = missing.get(key) ?? { rule, purposes: [], calls: [] };
    for (const purpose of call.purposes) if (!entry.purposes.includes(purpose)) entry.purposes.push(purpose);
    entry.calls.push({ what: call.what, purposes: call.purposes });
    missing.set(key, entry);
  }
  return [...missing.values()];
}

/** Which of plan, apply and cancel the missing rules keep from working. */
export function blockedPurposes(missing: readonly MissingRule[]): Purpose[] {
  return (['plan', 'apply', 'cancel'] as const).filter((purpose) => missing.some((entry) => entry.purposes.includes(purpose)));
}
