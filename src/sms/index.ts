export { STOP_CLAUSE, analyzeMessage } from './analyze.js';
export type { AnalyzeOptions } from './analyze.js';
export type { Encoding, MessageAnalysis, NonGsmCharacter } from './types.js';
