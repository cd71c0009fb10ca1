export type { LineType, NumberVerdict, NumberValidator } from './validator.js';
export { unknownCountryReason } from './validator.js';
export { referenceValidator, resolveRegion } from './reference.js';
export { fastValidator } from './fast.js';
export { NumberScanner, ScanOutcome } from './scanner.js';
export { normalizePhoneNumber, verdictInText } from './normalize.js';
