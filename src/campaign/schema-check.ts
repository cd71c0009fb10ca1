import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import formatsPlugin from 'ajv-formats';
import campaignSchema from '../../schema/campaign.schema.json' with { type: 'json' };
import { maskPhoneNumbersInText } from '../recipients/index.js';
import type { Problem } from './types.js';
import {
  formatFieldPath,
  keyPosition,
  MAX_PROBLEMS_PER_FILE,
  problem,
  scalarSource,
  valuePosition,
  withMoreCount,
  type FieldPath,
  type YamlSource,
} from './yaml-source.js';

export { campaignSchema };

let compiled: ValidateFunction | null = null;

function validator(): ValidateFunction {
  if (compiled === null) {
    const ajv = new Ajv2020({ allErrors: true, strict: true, verbose: true });
    formatsPlugin.default(ajv, ['date-time']);
    compiled = ajv.compile(campaignSchema);
  }
  return compiled;
}

const SOURCE_BRANCHES = { file: '#/$defs/fileSource', env: '#/$defs/envSource' } as const;

/** Pure: checks plain campaign data against the JSON Schema; each error points at its YAML node. */
export function checkAgainstSchema(data: unknown, source: YamlSource): Problem[] {
  const validate = validator();
  if (validate(data)) return [];
  const errors = relevantErrors(validate.errors ?? [], data);
  const problems: Problem[] = [];
  const seen = new Set<string>();
  let more = 0;
  for (const error of errors) {
    // Positions cost a walk of the YAML: past the cap, errors are only counted.
    if (problems.length === MAX_PROBLEMS_PER_FILE) {
      more += 1;
      continue;
    }
    const mapped = toProblem(error, data, source);
    const key = `${mapped.line}:${mapped.column}:${mapped.field}:${mapped.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(mapped);
  }
  const sorted = problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  return withMoreCount(sorted, sorted.length + more);
}

function instancePath(error: ErrorObject, data: unknown): FieldPath {
  const path: (string | number)[] = [];
  let cursor: unknown = data;
  for (const raw of error.instancePath.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cursor) && /^\d+$/.test(segment)) {
      path.push(Number(segment));
      cursor = cursor[Number(segment)];
    } else {
      path.push(segment);
      cursor = cursor !== null && typeof cursor === 'object' ? (cursor as Record<string, unknown>)[segment] : undefined;
    }
  }
  return path;
}

/** A recipient source fails `oneOf` in both branches; keep only the branch its key asks for. */
function relevantErrors(errors: ErrorObject[], data: unknown): ErrorObject[] {
  const itemsWithTypeError = new Set(
    errors.filter((e) => e.keyword === 'type' && e.schemaPath === '#/properties/recipients/items/type').map((e) => e.instancePath),
  );
  const itemPathOf = (error: ErrorObject): string => error.instancePath.split('/').slice(0, 3).join('/');
  const chosenBranch = (itemPath: string): keyof typeof SOURCE_BRANCHES | 'both' | 'none' => {
    const index = Number(itemPath.split('/')[2]);
    const item = (data as { recipients?: unknown[] }).recipients?.[index];
    if (item === null || typeof item !== 'object') return 'none';
    const hasFile = 'file' in item;
    const hasEnv = 'env' in item;
    if (hasFile && hasEnv) return 'both';
    return hasFile ? 'file' : hasEnv ? 'env' : 'none';
  };
  const kept: ErrorObject[] = [];
  for (const error of errors) {
    const branch = (Object.keys(SOURCE_BRANCHES) as (keyof typeof SOURCE_BRANCHES)[]).find((name) =>
      error.schemaPath.startsWith(`${SOURCE_BRANCHES[name]}/`),
    );
    const isOneOf = error.keyword === 'oneOf' && error.schemaPath === '#/properties/recipients/items/oneOf';
    if (branch === undefined && !isOneOf) {
      kept.push(error);
      continue;
    }
    const itemPath = itemPathOf(error);
    if (itemsWithTypeError.has(itemPath)) continue;
    const chosen = chosenBranch(itemPath);
    if (branch !== undefined && branch === chosen) kept.push(error);
    if (isOneOf && (chosen === 'both' || chosen === 'none')) kept.push(error);
  }
  return kept;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  boolean: 'true or false',
  integer: 'a whole number',
  number: 'a number',
  array: 'a list',
  object: 'a mapping',
};

const PATTERN_MESSAGES: Record<string, string> = {
  name: 'must be 1-64 characters (letters, digits, space, `_ . : -`) starting with a letter or digit',
  from: 'must be an alphanumeric sender (1-11 letters or digits, no spaces) or a number in E.164 such as +33612345678',
  country: 'must be an ISO 3166 alpha-2 code in capitals, such as FR',
  env: 'must be an environment variable name (letters, digits and `_`, not starting with a digit)',
};

function toProblem(error: ErrorObject, data: unknown, source: YamlSource): Problem {
  const path = instancePath(error, data);
  const lastName = [...path].reverse().find((part): part is string => typeof part === 'string') ?? '';
  const at = (message: string, fieldPath: FieldPath = path, position = valuePosition(source, fieldPath)): Problem =>
    problem(source.file, position, formatFieldPath(fieldPath), message);

  switch (error.keyword) {
    case 'additionalProperties': {
      const unknown = String(error.params.additionalProperty);
      const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const suggestion = closest(unknown, known);
      const hint = suggestion ? ` (did you mean \`${suggestion}\`?)` : known.length > 0 ? ` (known fields: ${known.join(', ')})` : '';
      const fieldPath = [...path, unknown];
      return at(`unknown field \`${maskPhoneNumbersInText(unknown)}\`${hint}`, fieldPath, keyPosition(source, fieldPath));
    }
    case 'required': {
      const missing = String(error.params.missingProperty);
      return at(`missing required field \`${missing}\``, [...path, missing], valuePosition(source, path));
    }
    case 'type': {
      const expected = String(error.params.type);
      let message = `must be ${TYPE_NAMES[expected] ?? expected}`;
      const written = scalarSource(source, path);
      if (expected === 'string' && written !== null && /^[+\d]/.test(written)) {
        message += ': put it in quotes so YAML keeps it as text (a leading + or 0 would be lost)';
      }
      return at(message);
    }
    case 'enum':
      return at(`must be one of ${(error.params.allowedValues as unknown[]).map((value) => `\`${String(value)}\``).join(', ')}`);
    case 'pattern':
      return at(PATTERN_MESSAGES[lastName] ?? `must match ${String(error.params.pattern)}`);
    case 'format':
      return at(dateTimeMessage(error.data));
    case 'minLength':
      return at(error.params.limit === 1 ? 'must not be empty' : `must be at least ${error.params.limit} characters`);
    case 'maxLength':
      return at(`must be at most ${error.params.limit} characters`);
    case 'minimum':
      return at(`must be at least ${error.params.limit}`);
    case 'oneOf':
      return at('must be either `{ file: path/to/list.csv }` or `{ env: VARIABLE_NAME }` (one key per source)');
    default:
      return at(error.message ?? 'is not valid');
  }
}

function dateTimeMessage(value: unknown): string {
  const example = 'e.g. 2027-01-04T10:00:00+01:00';
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?$/i.test(value.trim())) {
    return `must carry a time-zone offset (Z or +01:00), ${example}: without it the sending time is ambiguous`;
  }
  return `must be an RFC 3339 date-time with an offset, ${example}`;
}

/** A known name within two edits (or differing only by case), to suggest for a typo. */
function closest(word: string, candidates: string[]): string | null {
  let best: string | null = null;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const distance = candidate.toLowerCase() === word.toLowerCase() ? 0 : editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const above = previous[j]!;
      previous[j] = Math.min(above + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}
