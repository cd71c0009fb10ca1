import { isSupportedCountry } from 'libphonenumber-js/max';
import { analyzeMessage } from '../sms/index.js';
import { RecipientCollector, looksLikePhoneSpelling, maskPhoneNumber, maskPhoneNumbersInText, readRecipientsEnv, type CsvBytes, type SourceReport } from '../recipients/index.js';
import { describeParisTime, nextCommercialSendTime } from './commercial-window.js';
import { normaliseDeferred } from './deferred.js';
import type { Campaign, CampaignType, EncodingPolicy, InvalidNumbersPolicy, MessageAnalysis, NonGsmCharacter, Problem, SkippedRecipient } from './types.js';
import { problem, topLevelPositions, valuePosition, type FieldPath, type YamlSource } from './yaml-source.js';

/** Campaign data once the JSON Schema accepted it. */
export interface CampaignData {
  name: string;
  type: CampaignType;
  from?: string;
  senderForResponse?: boolean;
  message: string;
  to?: string[];
  recipients?: ({ file: string } | { env: string })[];
  testRecipients?: (string | { env: string })[];
  country?: string;
  deferred?: string;
  noStop?: boolean;
  tag?: string;
  encoding?: EncodingPolicy;
  maxParts?: number;
  invalidNumbers?: InvalidNumbersPolicy;
  cancel?: boolean;
  description?: string;
}

/** What the I/O shell found for one `recipients[i].file` source. */
export type CsvSource =
  | { index: number; csvFile: string; content: CsvBytes }
  | { index: number; error: string };

export interface BuildInput {
  data: CampaignData;
  source: YamlSource;
  csvSources: CsvSource[];
  env: Record<string, string | undefined>;
  now: Date;
}

export type BuildResult = { valid: true; campaign: Campaign } | { valid: false; errors: Problem[]; warnings: Problem[] };

export const DEFAULT_MAX_PARTS = 6;
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

/** Pure: schema-valid data plus the CSV contents the shell read → a Campaign, or the reasons it is not one. */
export function buildCampaign({ data, source, csvSources, env, now }: BuildInput): BuildResult {
  const file = source.file;
  const errors: Problem[] = [];
  const warnings: Problem[] = [];
  const at = (path: FieldPath) => valuePosition(source, path);
  const fieldProblem = (path: FieldPath, field: string, message: string): Problem => problem(file, at(path), field, message);

  const country = data.country ?? null;
  const countryKnown = country === null || isSupportedCountry(country);
  if (!countryKnown) {
    errors.push(fieldProblem(['country'], 'country', `\`${country}\` is not a country code known to the phone-number metadata`));
  }

  // With an unknown country every national number would fail too: one error says it better.
  const recipients = countryKnown ? collectRecipients(data, source, csvSources, env, country) : null;
  errors.push(...(recipients?.errors ?? []));
  warnings.push(...(recipients?.warnings ?? []));
  const testRecipients = countryKnown ? collectTestRecipients(data, source, env, country, errors) : [];
  if (recipients !== null && recipients.entries === 0 && recipients.errors.length === 0) {
    const path = data.to !== undefined ? ['to'] : data.recipients !== undefined ? ['recipients'] : [];
    errors.push(problem(file, at(path), 'to', 'no recipients: list numbers in `to` or add a `recipients` source'));
  }

  const noStop = data.noStop ?? false;
  const senderForResponse = data.senderForResponse ?? false;
  // NFC: an "é" typed as e + combining accent is GSM-7's "é", not a reason for UCS-2.
  const message = data.message.replace(/\r\n?/g, '\n').normalize('NFC');

  if (data.type === 'marketing' && noStop) {
    errors.push(fieldProblem(['noStop'], 'noStop', 'marketing campaigns must carry the STOP clause: remove `noStop: true` or use `type: transactional`'));
  }
  if (data.from === undefined && !senderForResponse) {
    errors.push(problem(file, at([]), 'from', 'missing sender: set `from` (alphanumeric sender or E.164 number) or `senderForResponse: true`'));
  }
  if (senderForResponse && data.from !== undefined) {
    warnings.push(fieldProblem(['from'], 'from', '`from` is ignored: with `senderForResponse: true` OVH picks the sender'));
  }
  if (senderForResponse && containsUrl(message)) {
    errors.push(fieldProblem(['message'], 'message', 'the message contains a URL: OVH blocks URLs from reply-capable short numbers (`senderForResponse: true`)'));
  }
  if (data.type === 'marketing' && data.from !== undefined && /^\+33[67]/.test(data.from)) {
    warnings.push(fieldProblem(['from'], 'from', 'marketing SMS from a French mobile number (06/07) are banned by the operators (ARCEP 18-0881): use an alphanumeric sender or a short code'));
  }

  const deferred = data.deferred === undefined ? undefined : normaliseDeferred(data.deferred);
  if (deferred !== undefined && !deferred.ok) errors.push(fieldProblem(['deferred'], 'deferred', deferred.reason));
  if (deferred?.ok) {
    const deferredProblems = checkDeferred(deferred.normalised, data.type, now);
    for (const { severity, message: text } of deferredProblems) (severity === 'error' ? errors : warnings).push(fieldProblem(['deferred'], 'deferred', text));
  }

  const analysis = analyzeMessage(message, { stopClause: !noStop });
  const encodingPolicy = data.encoding ?? 'auto';
  const maxParts = data.maxParts ?? DEFAULT_MAX_PARTS;
  if (analysis.encoding === 'UCS-2' && encodingPolicy !== 'unicode') {
    const listed = describeNonGsmCharacters(analysis.nonGsmCharacters);
    if (encodingPolicy === 'gsm7') {
      errors.push(fieldProblem(['message'], 'message', `\`encoding: gsm7\` but the message needs UCS-2 because of ${listed}`));
    } else {
      warnings.push(fieldProblem(['message'], 'message', `the message needs UCS-2 (70 characters per SMS instead of 160) because of ${listed}; set \`encoding: unicode\` if that is intended`));
    }
  }
  if (analysis.parts > maxParts) {
    errors.push(fieldProblem(['message'], 'message', `the message takes ${analysis.parts} SMS parts (${describeLength(analysis, noStop)}), more than \`maxParts\` ${maxParts}`));
  }

  if (errors.length > 0 || recipients === null) return { valid: false, errors, warnings };
  return {
    valid: true,
    campaign: {
      name: data.name,
      file,
      type: data.type,
      from: data.from ?? null,
      senderForResponse,
      message,
      recipients: recipients.numbers,
      duplicatesRemoved: recipients.entries - recipients.numbers.length - recipients.rejected,
      testRecipients,
      ...(recipients.skipped.length > 0 ? { skipped: recipients.skipped } : {}),
      country,
      deferred: deferred?.ok ? deferred.normalised : null,
      noStop,
      tag: data.tag ?? null,
      encoding: encodingPolicy,
      maxParts,
      cancel: data.cancel ?? false,
      description: data.description ?? null,
      analysis,
      warnings,
      positions: topLevelPositions(source),
    },
  };
}

interface CollectedRecipients {
  numbers: string[];
  /** Raw entries read from every source. */
  entries: number;
  rejected: number;
  /** Under `invalidNumbers: skip`: the rows dropped. */
  skipped: SkippedRecipient[];
  errors: Problem[];
  warnings: Problem[];
}

function collectRecipients(
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
        const message = origin.kind === 'env' && !looksLikePhoneSpelling(raw)
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
        result.errors.push(problem(file, valuePosition(source, path), `recipients[${sourceIndex}].file`, csv?.error ?? 'the CSV file was not read'));
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

/** The `test` command's numbers: inline or from variables, checked like recipients; problems go to `errors`. */
function collectTestRecipients(
  data: CampaignData,
  source: YamlSource,
  env: Record<string, string | undefined>,
  country: string | null,
  errors: Problem[],
): string[] {
  const collector = new RecipientCollector(country);
  (data.testRecipients ?? []).forEach((entry, index) => {
    const field = typeof entry === 'string' ? `testRecipients[${index}]` : `testRecipients[${index}].env`;
    const where = valuePosition(source, typeof entry === 'string' ? ['testRecipients', index] : ['testRecipients', index, 'env']);
    const report = typeof entry === 'string'
      ? collector.addEntries({ entries: [{ raw: entry, row: index }], problems: [] })
      : collector.addEntries(readRecipientsEnv(entry.env, env));
    const label = typeof entry === 'string' ? '' : `variable ${entry.env}: `;
    for (const readProblem of report.problems) errors.push(problem(source.file, where, field, `${label}${maskPhoneNumbersInText(readProblem.message)}`));
    for (const { raw, reason } of report.rejected) {
      const shown = typeof entry !== 'string' && !looksLikePhoneSpelling(raw) ? 'not a phone number (the value is not shown)' : `invalid phone number ${showRaw(raw)}: ${reason}`;
      errors.push(problem(source.file, where, field, `${label}${shown}`));
    }
  });
  return collector.numbers;
}

/** `invalidNumbers: skip`: one warning for every row dropped; an error when too many, or nothing, is left. */
function checkSkipped(result: CollectedRecipients, at: Problem): void {
  const skipped = result.skipped;
  if (skipped.length > MAX_SKIPPED_ROWS) {
    const limit = MAX_SKIPPED_ROWS.toLocaleString('en');
    result.errors.push({ ...at, message: `more than ${limit} invalid numbers, the limit of \`invalidNumbers: skip\`: is it the right file and column?` });
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
  result.warnings.push({ ...at, message: `${count} skipped (\`invalidNumbers: skip\`): ${shown.join('; ')}${more}; rejected.csv in the campaign's report folder lists them all` });
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

const URL_PATTERN = /\b(?:https?:\/\/|www\.)\S|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:fr|com|net|org|eu|io|info|biz|co|me|ly|gl|be|ch|ca|de|shop|store|app|dev|link|page|site)\b(?:\/\S*)?/i;

function containsUrl(message: string): boolean {
  return URL_PATTERN.test(message);
}

function checkDeferred(deferred: string, type: CampaignType, now: Date): { severity: 'error' | 'warning'; message: string }[] {
  const at = new Date(deferred);
  if (Number.isNaN(at.getTime())) return [{ severity: 'error', message: `\`${deferred}\` is not a time this tool can read` }];
  if (at.getTime() <= now.getTime()) {
    return [{ severity: 'warning', message: `${deferred} is in the past: fine for a campaign already sent, an error if the plan still has to create it (it would go out at once)` }];
  }
  if (type !== 'marketing') return [];
  const opening = nextCommercialSendTime(at);
  if (opening === null) return [];
  return [
    {
      severity: 'warning',
      message: `${deferred} (${describeParisTime(at)}) is outside OVH's hours for marketing SMS (Mon-Sat 08:00-20:00 Paris time, no public holidays): OVH will hold it until ${describeParisTime(opening)}`,
    },
  ];
}

const CHARACTER_NAMES: Record<string, string> = {
  '\u00a0': 'no-break space U+00A0',
  '\u202f': 'narrow no-break space U+202F',
  '\u2009': 'thin space U+2009',
  '\u200b': 'zero-width space U+200B',
  '\t': 'tab',
};

function showCharacter(char: string): string {
  const name = CHARACTER_NAMES[char];
  if (name !== undefined) return name;
  if (/^[\p{C}\p{Z}]$/u.test(char)) return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  return `“${char}”`;
}

/** `“ê” (character 12), “’” (characters 30, 45)`: each offending character once, with 1-based positions. */
export function describeNonGsmCharacters(characters: NonGsmCharacter[]): string {
  const positions = new Map<string, number[]>();
  for (const { char, index } of characters) positions.set(char, [...(positions.get(char) ?? []), index + 1]);
  const shown = [...positions].slice(0, 10).map(([char, at]) => {
    const list = at.slice(0, 5).join(', ') + (at.length > 5 ? ', …' : '');
    return `${showCharacter(char)} (character${at.length > 1 ? 's' : ''} ${list})`;
  });
  const more = positions.size > 10 ? ` and ${positions.size - 10} more` : '';
  return `${shown.join(', ')}${more}`;
}

function describeLength(analysis: MessageAnalysis, noStop: boolean): string {
  const unit = analysis.encoding === 'GSM-7' ? 'GSM-7 characters' : 'UCS-2 characters';
  return `${analysis.characters} ${unit}${noStop ? '' : ' with the STOP clause'}`;
}
