// Models of OVH's API schema (shared/ovh-api/sms.json and me.json), the fields we use.
// Enums are open-ended on purpose: OVH adds values without notice.

export type BatchStatus =
  'PENDING' | 'INSERTING' | 'INSERTED' | 'COMPLETED' | 'TO_CANCEL' | 'CANCELING' | 'CANCELED' | 'FAILED' | (string & {});

/** sms.Batch */
export interface Batch {
  accountID: number;
  createdAt: string;
  errors: BatchError[];
  estimatedCredits: number;
  finishedAt: string | null;
  from: string | null;
  id: string;
  message: string;
  name: string;
  processedRecords: number;
  receivers: string[] | null;
  sentAt: string | null;
  slotID: string | null;
  startedAt: string | null;
  status: BatchStatus;
  totalRecords: number;
  updatedAt: string;
}

/** sms.BatchError */
export interface BatchError {
  message: string;
  receiver: string;
}

/** sms.BatchParams: absent fields are omitted, never null. */
export interface BatchParams {
  name?: string;
  message: string;
  from?: string;
  senderForResponse?: boolean;
  to?: string[];
  /** A receivers list (`POST /sms/{sn}/receivers`'s `slotId`, as a string) instead of `to`. */
  slotID?: string;
  noStop?: boolean;
  deferred?: string;
  tag?: string;
}

/** sms.BatchStatistics */
export interface BatchStatistics {
  id: string;
  credits: number;
  estimatedCredits: number;
  pending: number;
  sent: number;
  delivered: number;
  failed: number;
  stoplisted: number;
}

/** The part of sms.AccountWithIAM we read. */
export interface SmsAccount {
  name: string;
  creditsLeft: number;
  status: string;
  description?: string;
}

/** nichandle.document.Document */
export interface OvhDocument {
  id: string;
  name: string;
  size: number;
  getUrl: string;
  putUrl: string;
  creationDate: string;
  expirationDate: string | null;
  validationDate: string | null;
  tags: { key: string; value: string }[];
}

/** sms.DestinationRates (GET /sms/rates/destinations): credits per SMS towards one country. */
export interface DestinationRate {
  country: string;
  countryCode: string;
  credit: number;
  price: { currencyCode: string; text: string; value: number };
}

/** sms.TypeSenderEnum */
export type SenderType = 'alpha' | 'numeric' | 'shortcode' | 'virtual' | (string & {});

/** sms.JobEstimate (POST /sms/estimate), STOP clause included unless noStopClause. */
export interface JobEstimate {
  characters: number;
  charactersClass: '7bits' | 'unicode' | (string & {});
  maxCharactersPerPart: number;
  parts: number;
}

/** sms.Sender */
export interface Sender {
  sender: string;
  status: 'enable' | 'disable' | 'refused' | 'waitingValidation' | (string & {});
  comment: string | null;
  description: string;
  type: SenderType | null;
  referer: string;
  validationMedia: string | null;
}

/** auth.Credential (GET /auth/currentCredential), the fields we read. */
export interface CurrentCredential {
  credentialId: number;
  status: string;
  expiration: string | null;
  rules: { method: string; path: string }[];
}

/** sms.Receiver: a receivers list preloaded into a slot. */
export interface ReceiversList {
  autoUpdate: boolean;
  canAutoUpdate: boolean;
  datetime: string;
  description: string;
  records: number;
  slotId: number;
}
