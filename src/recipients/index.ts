export { normalizePhoneNumber } from './numbers/index.js';
export type { NumberVerdict, LineType } from './numbers/index.js';
export { maskPhoneNumber, maskPhoneNumbersInText, type MaskedText } from './mask.js';
export { parseRecipientsCsv, parseRecipientsEnv } from './sources.js';
export { readRecipientsEnv, refusedVariable, looksLikePhoneSpelling } from './env-source.js';
export type { CsvBytes, RecipientEntry, RecipientReadResult, RecipientProblem } from './sources.js';
export { readFileChunks } from './file-chunks.js';
export { RecipientCollector, MAX_DISTINCT_NUMBERS } from './collect.js';
export type { SourceReport, RejectedRecipient, NonMobileRecipient, CollectorOptions } from './collect.js';
