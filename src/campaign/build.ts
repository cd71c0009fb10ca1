import { isSupportedCountry } from 'libphonenumber-js/max';
import { analyzeMessage } from '../sms/index.js';
import type { CampaignData, CsvSource } from './data.js';
import { checkDeferred, normaliseDeferred } from './deferred.js';
import { checkSender, describeLength, describeNonGsmCharacters } from './message-check.js';
import { collectRecipients, collectTestRecipients } from './recipients-check.js';
import type { Campaign, Problem } from './types.js';
import { problem, topLevelPositions, valuePosition, type FieldPath, type YamlSource } from './yaml-source.js';

export type { CampaignData, CsvSource } from './data.js';
export { MAX_SKIPPED_ROWS } from './recipients-check.js';
export { describeNonGsmCharacters } from './message-check.js';

export interface BuildInput {
  data: CampaignData;
  source: YamlSource;
  csvSources: CsvSource[];
  /** The `testRecipients[i].file` lists, read like `csvSources`. */
  testCsvSources?: CsvSource[];
  env: Record<string, string | undefined>;
  now: Date;
}

export type BuildResult = { valid: true; campaign: Campaign } | { valid: false; errors: Problem[]; warnings: Problem[] };

export const DEFAULT_MAX_PARTS = 6;

/** Pure: schema-valid data plus the CSV contents the shell read → a Campaign, or the reasons it is not one. */
export function buildCampaign({ data, source, csvSources, testCsvSources = [], env, now }: BuildInput): BuildResult {
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
  const testRecipients = countryKnown ? collectTestRecipients(data, source, testCsvSources, env, country, errors) : [];
  if (recipients !== null && recipients.entries === 0 && recipients.errors.length === 0) {
    const path = data.to !== undefined ? ['to'] : data.recipients !== undefined ? ['recipients'] : [];
    errors.push(problem(file, at(path), 'to', 'no recipients: list numbers in `to` or add a `recipients` source'));
  }

  const noStop = data.noStop ?? false;
  const senderForResponse = data.senderForResponse ?? false;
  // NFC: an "é" typed as e + combining accent is GSM-7's "é", not a reason for UCS-2.
  const message = data.message.replace(/\r\n?/g, '\n').normalize('NFC');

  checkSender(data, message, { errors, warnings, at: fieldProblem });

  const deferred = data.deferred === undefined ? undefined : normaliseDeferred(data.deferred);
  if (deferred !== undefined && !deferred.ok) errors.push(fieldProblem(['deferred'], 'deferred', deferred.reason));
  if (deferred?.ok) {
    const deferredProblems = checkDeferred(deferred.normalised, data.type, now);
    for (const { severity, message: text } of deferredProblems)
      (severity === 'error' ? errors : warnings).push(fieldProblem(['deferred'], 'deferred', text));
  }

  const analysis = analyzeMessage(message, { stopClause: !noStop });
  const encodingPolicy = data.encoding ?? 'auto';
  const maxParts = data.maxParts ?? DEFAULT_MAX_PARTS;
  if (analysis.encoding === 'UCS-2' && encodingPolicy !== 'unicode') {
    const listed = describeNonGsmCharacters(analysis.nonGsmCharacters);
    if (encodingPolicy === 'gsm7') {
      errors.push(fieldProblem(['message'], 'message', `\`encoding: gsm7\` but the message needs UCS-2 because of ${listed}`));
    } else {
      warnings.push(
        fieldProblem(
          ['message'],
          'message',
          `the message needs UCS-2 (70 characters per SMS instead of 160) because of ${listed}; set \`encoding: unicode\` if that is intended`,
        ),
      );
    }
  }
  if (analysis.parts > maxParts) {
    errors.push(
      fieldProblem(
        ['message'],
        'message',
        `the message takes ${analysis.parts} SMS parts (${describeLength(analysis, noStop)}), more than \`maxParts\` ${maxParts}`,
      ),
    );
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
