export { normalizePhoneNumber } from './phone-number.js';
export type { NumberVerdict, LineType } from './phone-number.js';
export { maskPhoneNumber, maskPhoneNumbersInText } from './mask.js';
export { parseRecipientsCsv, parseRecipientsEnv } from './sources.js';
export { readRecipientsEnv, refusedVariable, looksLikePhoneSpelling } from './env-source.js';
export type { RecipientEntry, RecipientReadResult, RecipientProblem } from './sources.js';
export { RecipientCollector } from './collect.js';
export type { SourceReport, RejectedRecipient, NonMobileRecipient } from './collect.js';
