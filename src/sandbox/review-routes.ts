import { STOP_CLAUSE } from './messages.js';
import { billMessage } from './billing.js';
import { badRequest, notFound } from './http-error.js';

/** sms.Sender, as GET /sms/{serviceName}/senders/{sender} answers. */
export interface SandboxSender {
  sender: string;
  status: 'enable' | 'disable' | 'refused' | 'waitingValidation';
  comment?: string | null;
  type?: 'alpha' | 'numeric' | 'shortcode' | 'virtual';
}

/** One access rule of a consumer key (auth.AccessRule). */
export interface SandboxAccessRule {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
}

/** Credits per SMS by destination (lower-case sms.CountryEnum), with the country's name. */
export const SANDBOX_RATES: Readonly<Record<string, { country: string; credit: number }>> = {
  fr: { country: 'France', credit: 1 },
  be: { country: 'Belgium', credit: 1.6 },
  de: { country: 'Germany', credit: 1.8 },
  gb: { country: 'United Kingdom', credit: 0.6 },
  es: { country: 'Spain', credit: 1.2 },
  ch: { country: 'Switzerland', credit: 1.5 },
  us: { country: 'United States', credit: 0.8 },
};

/**
 * Senders the sandbox knows besides "any other": one refused with the moderator's comment, one still waiting.
 * Every other sender counts as enabled unless `senders` is given, so the examples run without set-up.
 */
export const SANDBOX_DEMO_SENDERS: readonly SandboxSender[] = [
  { sender: 'SPAMSHOP', status: 'refused', comment: 'Sender refused: the brand could not be verified', type: 'alpha' },
  { sender: 'NEWBRAND', status: 'waitingValidation', comment: null, type: 'alpha' },
];

/** The rules this tool's token needs, which the sandbox grants by default. */
export const SANDBOX_DEFAULT_RULES: readonly SandboxAccessRule[] = [
  { method: 'GET', path: '/sms' },
  { method: 'GET', path: '/sms/*' },
  { method: 'POST', path: '/sms/*' },
  { method: 'PUT', path: '/sms/*' },
  { method: 'DELETE', path: '/sms/*' },
  { method: 'GET', path: '/me/document/*' },
  { method: 'POST', path: '/me/document' },
  { method: 'DELETE', path: '/me/document/*' },
];

export interface ReviewRouteOptions {
  /** null: every sender not in SANDBOX_DEMO_SENDERS is enabled; a list: exactly these exist. */
  senders: SandboxSender[] | null;
  rates: Record<string, { country: string; credit: number }>;
  rules: SandboxAccessRule[];
}

interface BlacklistEntry {
  since: number;
  batchID: string | null;
}

const iso = (ms: number) => new Date(ms).toISOString();
const SENDER_TYPES = ['alpha', 'numeric', 'shortcode', 'virtual'];

/** Routes a reviewer's checks read: destination rates, message estimate, STOP list items, senders, the token's rules. */
export class ReviewRoutes {
  constructor(private readonly options: ReviewRouteOptions) {}

  /** GET /sms/rates/destinations?country=xx → sms.DestinationRates; a destination without a price is 404. */
  destinationRate(query: URLSearchParams) {
    const code = query.get('country');
    if (!code) throw badRequest('Missing parameter(s): country');
    if (!/^[a-z]{2,3}$/.test(code)) throw badRequest(`Invalid parameter [country]: ${code} is not a sms.CountryEnum`);
    const rate = this.options.rates[code];
    if (!rate) throw notFound(`No rate for destination ${code}`);
    const value = Math.round(rate.credit * 0.07 * 10_000) / 10_000;
    return {
      country: rate.country,
      countryCode: code,
      credit: rate.credit,
      price: { currencyCode: 'EUR', text: `${value.toFixed(4)} €`, value },
    };
  }

  /** POST /sms/estimate → sms.JobEstimate; all three body fields are required. */
  estimate(body: unknown) {
    const params = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const missing = ['message', 'noStopClause', 'senderType'].filter((key) => params[key] === undefined);
    if (missing.length > 0) throw badRequest(`Missing parameter(s): ${missing.join(', ')}`);
    if (typeof params.message !== 'string') throw badRequest('Invalid parameter [message]: expected text');
    if (typeof params.noStopClause !== 'boolean') throw badRequest('Invalid parameter [noStopClause]: expected boolean');
    if (!SENDER_TYPES.includes(params.senderType as string)) {
      throw badRequest(`Invalid parameter [senderType]: ${String(params.senderType)} is not a sms.TypeSenderEnum`);
    }
    const billed = billMessage(params.noStopClause ? params.message : params.message + STOP_CLAUSE);
    return {
      characters: billed.characters,
      charactersClass: billed.gsm ? '7bits' : 'unicode',
      maxCharactersPerPart: billed.maxCharactersPerPart,
      parts: billed.parts,
    };
  }

  /** GET /sms/{sn}/blacklists?batchID= → string[] */
  blacklistNumbers(blacklist: Map<string, BlacklistEntry>, query: URLSearchParams): string[] {
    const batchID = query.get('batchID');
    return [...blacklist.entries()].filter(([, entry]) => batchID === null || entry.batchID === batchID).map(([number]) => number);
  }

  /** GET /sms/{sn}/blacklists/{number} → sms.Blacklist */
  blacklistItem(blacklist: Map<string, BlacklistEntry>, number: string) {
    const entry = blacklist.get(number);
    if (!entry) throw notFound(`The requested object (number = ${number}) does not exist`);
    return { batchID: entry.batchID, dateCreation: iso(entry.since), number, smsOutgoingID: null };
  }

  /** GET /sms/{sn}/senders → string[] */
  senderNames(): string[] {
    return (this.options.senders ?? SANDBOX_DEMO_SENDERS).map((sender) => sender.sender);
  }

  /** GET /sms/{sn}/senders/{sender} → sms.Sender */
  sender(name: string) {
    const known = (this.options.senders ?? SANDBOX_DEMO_SENDERS).find((candidate) => candidate.sender === name);
    if (!known && this.options.senders !== null) throw notFound(`The requested object (sender = ${name}) does not exist`);
    const sender: SandboxSender = known ?? { sender: name, status: 'enable', comment: null };
    return {
      comment: sender.comment ?? null,
      description: '',
      referer: 'custom',
      sender: sender.sender,
      status: sender.status,
      type: sender.type ?? (/^\+?\d+$/.test(sender.sender) ? 'numeric' : 'alpha'),
      validationMedia: null,
    };
  }

  /** Why OVH would refuse to send from this sender, or null when it may be used. */
  senderRefusal(name: string): string | null {
    try {
      const sender = this.sender(name);
      return sender.status === 'enable' ? null : `The sender ${name} is not valid (status ${sender.status})`;
    } catch {
      return `The sender ${name} does not exist on this account`;
    }
  }

  /** GET /auth/currentCredential → auth.Credential of the consumer key in use. */
  currentCredential(now: number) {
    return {
      allowedIPs: null,
      applicationId: 1,
      creation: iso(now - 86_400_000),
      credentialId: 42,
      expiration: null,
      lastUse: iso(now),
      ovhSupport: false,
      rules: this.options.rules.map((rule) => ({ ...rule })),
      status: 'validated',
    };
  }
}
