import { readCsvRows } from './csv-reader.js';
import type { RecipientReadResult } from './types.js';

export type { CsvBytes, CsvRowVisitor, RecipientEntry, RecipientProblem, RecipientReadResult } from './types.js';
export { readCsvRows } from './csv-reader.js';

/**
 * Recipients from a CSV with a header row: the number column is `number` or `phone` (case-insensitive),
 * `;`, `,` or tab separated (detected from the header). Rows are 1-based physical lines, the header being 1.
 * Blank rows are skipped; numbers are returned as written (trimmed): validating them is the caller's job.
 */
export function parseRecipientsCsv(content: Buffer): RecipientReadResult {
  const result: RecipientReadResult = { entries: [], problems: [] };
  readCsvRows([content], {
    number: (text, start, end, row) => {
      result.entries.push({ raw: text.slice(start, end), row });
    },
    problem: (problem) => result.problems.push(problem),
  });
  return result;
}

/** Recipients from an environment variable: numbers separated by commas or newlines; row = position in the list. */
export function parseRecipientsEnv(name: string, env: Record<string, string | undefined>): RecipientReadResult {
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    return {
      entries: [],
      problems: [{ row: null, message: `environment variable ${name} is ${value === undefined ? 'not set' : 'empty'}` }],
    };
  }
  const entries = value
    .split(/\r\n|[\n\r,]/)
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((raw, index) => ({ raw, row: index + 1 }));
  return { entries, problems: [] };
}
