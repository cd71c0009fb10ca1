import {
  RecipientCollector,
  looksLikePhoneSpelling,
  maskPhoneNumber,
  maskPhoneNumbersInText,
  readRecipientsEnv,
  type SourceReport,
} from '../recipients/index.js';
import type { CampaignData, CsvSource } from './data.js';
import type { Problem, SkippedRecipient } from './types.js';
import { problem, valuePosition, type FieldPath, type YamlSource } from './yaml-source.js';

// The recipients of a campaign file: every source read, checked and de-duplicated, its problems pointed at the
// file, line and field where each number was written.

/** Past this many problems of one kind in one source, the rest are summed up in one line. */
const MAX_PROBLEMS_PER_SOURCE = 20;
/** Rows `invalidNumbers: skip` may drop (each kept for rejected.csv): more is surely the wrong column or file. */
export const MAX_SKIPPED_ROWS = 1_000_000;
/** Skipped rows shown in the plan's warning; rejected.csv has them all. */
const SKIPPED_SHOWN = 5;

/** Where one raw number came from, to point at it when it is wrong. */
type Origin =
  | { kind: 'to'; index: number }
  | { kind: 'csv'; sourceIndex: number; csvFile: string; row: number | null }
  | { kind: 'env'; sourceIndex: number; name: string; row: number | null };

export interface CollectedRecipients {
  numbers: string[];
  /** Raw entries read from every source. */
  entries: number;
  rejected: number;
  /** Under `invalidNumbers: skip`: the rows dropped. */
  skipped: SkippedRecipient[];
  errors: Problem[];
  warnings: Problem[];
}

export function collectRecipients(
  data: CampaignData,
  source: YamlSource,
  csvSources: CsvSource[],
  env: Record<string, string | undefined>,
  country: string | null,
): CollectedRecipients {
  const file = source.file;
  const skip = data.invalidNumbers === 'skip';
  const collector = new RecipientCollector(country, {
    keepRejected: skip ? MAX_SKIPPED_ROWS + 1 : MAX_PROBLEMS_PER_SOURCE,
    keepNonMobile: MAX_PROBLEMS_PER_SOURCE,
  });
  const result: CollectedRecipients = { numbers: collector.numbers, entries: 0, rejected: 0, skipped: [], errors: [], warnings: [] };

  const locate = (origin: Origin): Omit<Problem, 'message'> => {
    switch (origin.kind) {
      case 'to': {
        const position = valuePosition(source, ['to', origin.index]);
        return { file, line: position.line, column: position.column, field: `to[${origin.index}]` };
      }
      case 'csv':
        return { file: origin.csvFile, line: origin.row, column: null, field: `recipients[${origin.sourceIndex}].file` };
      case 'env': {
        const position = valuePosition(source, ['recipients', origin.sourceIndex, 'env']);
        return { file, line: position.line, column: position.column, field: `recipients[${origin.sourceIndex}].env` };
      }
    }
  };
  const describe = (origin: Origin): string => {
    if (origin.kind === 'env') return origin.row === null ? `variable ${origin.name}: ` : `variable ${origin.name}, entry ${origin.row}: `;
    return '';
  };

  /** Names a row in rejected.csv: the source and its row. */
  const skippedAt = (origin: Origin): Pick<SkippedRecipient, 'source' | 'row'> => {
    switch (origin.kind) {
      case 'to':
        return { source: `to[${origin.index}]`, row: null };
      case 'csv':
        return { source: origin.csvFile, row: origin.row };
      case 'env':
        return { source: `env ${origin.name}`, row: origin.row };
    }
  };

  /** Turns one source's report into problems; `originOf` maps the report's rows back to where they were written. */
  const addReport = (report: SourceReport, originOf: (row: number | null) => Origin) => {
    result.entries += report.entries;
    result.rejected += report.rejectedCount;
    // Under skip, a row with cells but no number is dropped like an invalid one (the reader gives it a field).
    const dropped = skip ? report.problems.filter((readProblem) => readProblem.field !== undefined) : [];
    // A reader's message may quote the row: never a full number in it.
    const sourceErrors: Problem[] = report.problems
      .filter((readProblem) => !dropped.includes(readProblem))
      .map((readProblem) => ({ ...locate(originOf(readProblem.row)), message: maskPhoneNumbersInText(readProblem.message) }));
    if (skip) {
      const rows: SkippedRecipient[] = dropped.map(({ row, message }) => ({ ...skippedAt(originOf(row)), reason: message, number: '' }));
      for (const { row, raw, reason } of report.rejected) rows.push({ ...skippedAt(originOf(row)), reason, number: raw });
      // In file order: the reader's problems and the invalid numbers come apart.
      if (dropped.length > 0) rows.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
      for (const row of rows) result.skipped.push(row);
    } else {
      for (const { row, raw, reason } of report.rejected) {
        const origin = originOf(row);
        const message =
          origin.kind === 'env' && !looksLikePhoneSpelling(raw)
            ? `${describe(origin)}not a phone number (the value is not shown: the variable may hold a secret)`
            : `${describe(origin)}invalid phone number ${showRaw(raw)}: ${reason}`;
        sourceErrors.push({ ...locate(origin), message });
      }
    }
    const sourceWarnings = report.nonMobile.map(({ row, e164, lineType }): Problem => {
      const origin = originOf(row);
      const kind = lineType === 'fixed-line' ? 'a fixed-line number' : 'not a mobile number';
      return { ...locate(origin), message: `${describe(origin)}${maskPhoneNumber(e164)} is ${kind}: it probably cannot receive SMS` };
    });
    const errorCount = sourceErrors.length + (skip ? 0 : report.rejectedCount - report.rejected.length);
    result.errors.push(...capped(sourceErrors, errorCount, 'errors'));
    result.warnings.push(...capped(sourceWarnings, report.nonMobileCount, 'warnings'));
  };

  const inline = (data.to ?? []).map((raw, index) => ({ raw, row: index }));
  addReport(collector.addEntries({ entries: inline, problems: [] }), (row) => ({ kind: 'to', index: row ?? 0 }));

  const csvByIndex = new Map(csvSources.map((csv) => [csv.index, csv]));
  (data.recipients ?? []).forEach((recipientSource, sourceIndex) => {
    if ('file' in recipientSource) {
      const csv = csvByIndex.get(sourceIndex);
      const path: FieldPath = ['recipients', sourceIndex, 'file'];
      if (csv === undefined || 'error' in csv) {
        result.errors.push(
          problem(file, valuePosition(source, path), `recipients[${sourceIndex}].file`, csv?.error ?? 'the CSV file was not read'),
        );
        return;
      }
      addReport(collector.addCsv(csv.content), (row) => ({ kind: 'csv', sourceIndex, csvFile: csv.csvFile, row }));
    } else {
      const read = readRecipientsEnv(recipientSource.env, env);
      addReport(collector.addEntries(read), (row) => ({ kind: 'env', sourceIndex, name: recipientSource.env, row }));
    }
  });
  if (skip) checkSkipped(result, problem(file, valuePosition(source, ['invalidNumbers']), 'invalidNumbers', ''));
  return result;
}

/** The `test` command's numbers: inline, from CSV files or from variables, checked like recipients; problems go to `errors`. */
export function collectTestRecipients(
  data: CampaignData,
  source: YamlSource,
  csvSources: CsvSource[],
  env: Record<string, string | undefined>,
  country: string | null,
  errors: Problem[],
): string[] {
  const collector = new RecipientCollector(country, { keepRejected: MAX_PROBLEMS_PER_SOURCE });
  const csvByIndex = new Map(csvSources.map((csv) => [csv.index, csv]));
  (data.testRecipients ?? []).forEach((entry, index) => {
    if (typeof entry === 'string') {
      const where = problem(source.file, valuePosition(source, ['testRecipients', index]), `testRecipients[${index}]`, '');
      const report = collector.addEntries({ entries: [{ raw: entry, row: index }], problems: [] });
      errors.push(...testProblems(report, () => where, '', true));
    } else if ('file' in entry) {
      const field = `testRecipients[${index}].file`;
      const csv = csvByIndex.get(index);
      if (csv === undefined || 'error' in csv) {
        errors.push(
          problem(source.file, valuePosition(source, ['testRecipients', index, 'file']), field, csv?.error ?? 'the CSV file was not read'),
        );
        return;
      }
      // Like a `recipients` list: a problem names the CSV file and its row.
      const report = collector.addCsv(csv.content);
      errors.push(...testProblems(report, (row) => ({ file: csv.csvFile, line: row, column: null, field, message: '' }), '', true));
    } else {
      const where = problem(source.file, valuePosition(source, ['testRecipients', index, 'env']), `testRecipients[${index}].env`, '');
      const report = collector.addEntries(readRecipientsEnv(entry.env, env));
      errors.push(...testProblems(report, () => where, `variable ${entry.env}: `, false));
    }
  });
  return collector.numbers;
}

/** One test source's reader problems and invalid numbers, located by `at`; a variable's non-number value is not shown. */
function testProblems(report: SourceReport, at: (row: number | null) => Problem, label: string, showValues: boolean): Problem[] {
  const found: Problem[] = report.problems.map((readProblem) => ({
    ...at(readProblem.row),
    message: `${label}${maskPhoneNumbersInText(readProblem.message)}`,
  }));
  for (const { raw, reason, row } of report.rejected) {
    const shown =
      !showValues && !looksLikePhoneSpelling(raw)
        ? 'not a phone number (the value is not shown)'
        : `invalid phone number ${showRaw(raw)}: ${reason}`;
    found.push({ ...at(row), message: `${label}${shown}` });
  }
  return capped(found, report.problems.length + report.rejectedCount, 'errors');
}

/** `invalidNumbers: skip`: one warning for every row dropped; an error when too many, or nothing, is left. */
function checkSkipped(result: CollectedRecipients, at: Problem): void {
  const skipped = result.skipped;
  if (skipped.length > MAX_SKIPPED_ROWS) {
    const limit = MAX_SKIPPED_ROWS.toLocaleString('en');
    result.errors.push({
      ...at,
      message: `more than ${limit} invalid numbers, the limit of \`invalidNumbers: skip\`: is it the right file and column?`,
    });
    return;
  }
  if (skipped.length === 0) return;
  if (result.numbers.length === 0 && result.errors.length === 0) {
    result.errors.push({ ...at, message: `no valid number left: all ${skipped.length} were invalid and skipped` });
    return;
  }
  const shown = skipped.slice(0, SKIPPED_SHOWN).map(({ source, row, reason, number }) => {
    const where = row === null ? source : `${source} row ${row}`;
    return number === '' ? `${where} (${reason})` : `${where}: ${showRaw(number)} (${reason})`;
  });
  const more = skipped.length > SKIPPED_SHOWN ? `, and ${skipped.length - SKIPPED_SHOWN} more` : '';
  const count = skipped.length === 1 ? '1 invalid number' : `${skipped.length} invalid numbers`;
  result.warnings.push({
    ...at,
    message: `${count} skipped (\`invalidNumbers: skip\`): ${shown.join('; ')}${more}; rejected.csv in the campaign's report folder lists them all`,
  });
}

/** The first problems of a source, then one line counting the `total - shown` others. */
function capped(problems: Problem[], total: number, noun: string): Problem[] {
  if (total <= MAX_PROBLEMS_PER_SOURCE && problems.length <= MAX_PROBLEMS_PER_SOURCE) return problems;
  const shown = problems.slice(0, MAX_PROBLEMS_PER_SOURCE);
  const last = shown[shown.length - 1]!;
  return [...shown, { ...last, message: `…and ${total - shown.length} more ${noun} like these in the same source` }];
}

/** A rejected entry as it may appear in logs: masked when it holds digits, else quoted (it is no number). */
function showRaw(raw: string): string {
  if (/\d/.test(raw)) return maskPhoneNumber(raw.trim());
  const text = raw.trim();
  return `"${text.length > 30 ? `${text.slice(0, 30)}…` : text}"`;
}
