/** What OVH said about one thing, or why it could not be asked (offline, 403, timeout…). */
export type Checked<T> = { status: 'checked'; value: T } | { status: 'unchecked'; reason: string };

/** A sender as the plan needs it; `missing` when the service has no such sender (404). */
export type SenderCheck = { kind: 'found'; sender: string; status: string; comment: string | null } | { kind: 'missing'; sender: string };

/** OVH's own count of a message (POST /sms/estimate), STOP clause included. */
export interface OvhEstimate {
  parts: number;
  encoding: 'GSM-7' | 'UCS-2';
}

/** Everything a plan's review read from the account, once per run. */
export interface AccountChecks {
  /** Credits per SMS part by destination (upper-case ISO code); null: OVH has no rate for it. */
  rates: ReadonlyMap<string, Checked<number | null>>;
  /** Numbers on the service's STOP list, as E.164. */
  blacklist: Checked<ReadonlySet<string>>;
  senders: ReadonlyMap<string, Checked<SenderCheck>>;
  /** By estimateKey(). */
  estimates: ReadonlyMap<string, Checked<OvhEstimate>>;
  creditsLeft: Checked<number>;
}

/** One row of a campaign's cost: recipients of one destination and what they cost. */
export interface CountryCost {
  /** ISO 3166 alpha-2, upper case; null for numbers whose country could not be told. */
  country: string | null;
  recipients: number;
  creditsPerPart: number;
  estimatedCredits: number;
  /** `ovh`: OVH's rate for the destination; `default`: one credit per part (offline, unpriced, or unreadable). */
  rate: 'ovh' | 'default';
}

/** A campaign's review, by campaign file. */
export interface CampaignReview {
  byCountry: CountryCost[];
  /** Numbers left out because they are on the STOP list (campaigns to create, online); null when not checked. */
  stoplisted: number | null;
}

export interface PlanReview {
  /** The account's credits when the plan was made; null offline or unreadable. */
  creditsLeft: number | null;
  /** The rates the plan was priced with (null offline), to price other campaigns alike (changes since the base branch). */
  rates: ReadonlyMap<string, Checked<number | null>> | null;
  campaigns: ReadonlyMap<string, CampaignReview>;
}
