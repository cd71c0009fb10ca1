import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTempRepository } from '../support/temp-repository.js';
import { loadCampaigns, type LoadedCampaign } from '../../src/campaign/index.js';
import { renderPlanText, renderValidateText } from '../../src/cli/render.js';
import { makePlan, toPlanJson } from '../../src/plan/index.js';
import { renderPlanComment, renderSummaryMarkdown } from '../../src/report/index.js';
import { runCommand } from '../../src/run/index.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { sandboxRunSettings } from '../support/sandbox-run.js';

/**
 * Property-based input fuzzing (issue #8): campaign YAML, CSV lists and names, generated from a grammar of what
 * people write plus mutations. For every input: no exception and no stack trace, every problem names its file
 * (and a line when the YAML is at fault), invalid input makes no API write, and no output holds a full number.
 * FUZZ_RUNS raises the number of cases (default: a few seconds in CI).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const NOW = new Date('2026-11-26T08:00:00Z');
/** Longer runs (FUZZ_RUNS) get time in proportion. */
const TIMEOUT_MS = Math.max(30_000, RUNS * 400);

const repository = useTempRepository('fuzz-inputs-', { scope: 'all' });

// ---------------------------------------------------------------------------------------------------------------
// Generators

/** A French mobile number: its 8 digits after `6` are what must never show in full. */
const mobile = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 8, maxLength: 8 }).map((digits) => digits.join(''));

/** Ways to write one number, good and bad. */
const spelling = fc
  .tuple(mobile, fc.constantFrom('e164', 'national', 'spaced', 'dotted', '0033', 'parens', 'trailing', 'ext', 'short', 'letters'))
  .map(([digits, form]) => {
    const pairs = digits.match(/../g)!.join(' ');
    const text = {
      e164: `+336${digits}`,
      national: `06${digits}`,
      spaced: `06 ${pairs}`,
      dotted: `06.${digits.match(/../g)!.join('.')}`,
      '0033': `0033 6 ${pairs}`,
      parens: `(+33) 6 ${pairs}`,
      trailing: `+336${digits}abc`,
      ext: `+336${digits} ext. 12`,
      short: `+336${digits.slice(0, 4)}`,
      letters: `+33 6 ${pairs.replace(/[0-9]/, 'O')}`,
    }[form];
    return { text, secret: digits.slice(0, 6) };
  });

/** Scalars of every kind YAML may be given where a field is expected. */
const yamlScalar = fc.oneof(
  fc.string({ maxLength: 20 }).map((text) => JSON.stringify(text)),
  fc.constantFrom(
    'true',
    'no',
    '~',
    '[]',
    '{}',
    '12',
    '-1',
    '0x1F',
    '1e3',
    '2027-01-04',
    '"2030-01-04 10:00:00Z"',
    '*anchor',
    '&a x',
    '!!binary AA',
    '|\n  block',
    '"\\u0000"',
    "'it''s'",
  ),
  fc.integer().map(String),
);

const validName = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 _.:-]{0,20}$/);
const anyName = fc.oneof(
  validName,
  fc.string({ maxLength: 30 }),
  fc.constantFrom('www.shop.fr', 'https:x', 'a'.repeat(70), '', ' lead', 'ünïcode', '<b>x</b>', '@team', '#12'),
  mobile.map((digits) => `+336${digits}`),
);

interface Generated {
  yaml: string;
  csv: string | null;
  env: Record<string, string>;
  /** Digit runs that would show a full number if they appeared in an output. */
  secrets: string[];
}

const field = (key: string, value: fc.Arbitrary<string>) => value.map((text) => `${key}: ${text}`);

/** A campaign file: mostly well-formed lines with a chance of each being wrong, missing, repeated or unknown. */
const campaignFile: fc.Arbitrary<Generated> = fc
  .record({
    name: fc.oneof(
      anyName.map((name) => `name: ${JSON.stringify(name)}`),
      field('name', yamlScalar),
    ),
    type: fc.oneof(fc.constant('type: marketing'), fc.constant('type: transactional'), field('type', yamlScalar)),
    from: fc.option(fc.oneof(fc.constant('from: SHOP'), fc.constant('from: "+33612345678"'), field('from', yamlScalar))),
    message: fc.oneof(
      fc.string({ maxLength: 200 }).map((text) => `message: ${JSON.stringify(text)}`),
      field('message', yamlScalar),
      fc.constant('message: "Cafe\\u0301 STOP"'),
    ),
    country: fc.option(fc.oneof(fc.constant('country: FR'), field('country', yamlScalar))),
    to: fc.option(fc.array(spelling, { maxLength: 5 })),
    inlineNumbers: fc.boolean(),
    csv: fc.option(
      fc.array(
        fc.oneof(
          spelling,
          fc.string({ maxLength: 12 }).map((text) => ({ text, secret: '' })),
        ),
        { maxLength: 6 },
      ),
    ),
    csvShape: fc.record({
      header: fc.constantFrom('number', 'phone', 'name;number', 'nope', ''),
      delimiter: fc.constantFrom(';', ',', '\t'),
      quote: fc.boolean(),
      crlf: fc.boolean(),
      bom: fc.boolean(),
      stray: fc.constantFrom('', '"', '"x', '\u0000'),
    }),
    env: fc.option(
      fc.tuple(fc.constantFrom('MY_LIST', 'OVH_APPLICATION_SECRET', 'GITHUB_TOKEN', '9bad', 'UNSET'), fc.array(spelling, { maxLength: 3 })),
    ),
    deferred: fc.option(
      fc.oneof(
        fc.constantFrom(
          '"2027-01-04T10:00:00+01:00"',
          '"2030-01-04 10:00:00Z"',
          '"2030-02-30T10:00:00Z"',
          '"2020-01-01T00:00:00Z"',
          '2027-01-04',
          '"tomorrow"',
        ),
        yamlScalar,
      ),
    ),
    extras: fc.array(
      fc.oneof(
        field('noStop', yamlScalar),
        field('maxParts', yamlScalar),
        field('encoding', yamlScalar),
        field('cancel', yamlScalar),
        field('tag', yamlScalar),
        spelling.map((number) => `${number.text.replace(/[^+0-9]/g, '')}: x`),
        fc.stringMatching(/^[a-z]{1,8}$/).map((key) => `${key}: 1`),
        fc.constantFrom('name: again', '- not a mapping', '---', ':', '  bad indent: 1', '{ flow: [', '"unterminated'),
      ),
      { maxLength: 3 },
    ),
    shuffle: fc.boolean(),
  })
  .map((parts) => {
    const secrets: string[] = [];
    const lines = [parts.name, parts.type, parts.message];
    if (parts.from !== null) lines.push(parts.from);
    if (parts.country !== null) lines.push(parts.country);
    if (parts.to !== null) {
      secrets.push(...parts.to.map((number) => number.secret));
      lines.push(
        parts.inlineNumbers
          ? `to: [${parts.to.map((number) => number.text.replace(/^[+0-9]+$/, (digits) => digits)).join(', ')}]`
          : `to:\n${parts.to.map((number) => `  - ${JSON.stringify(number.text)}`).join('\n')}`,
      );
    }
    const sources: string[] = [];
    let csv: string | null = null;
    if (parts.csv !== null) {
      const { header, delimiter, quote, crlf, bom, stray } = parts.csvShape;
      const newline = crlf ? '\r\n' : '\n';
      const rows = parts.csv.map((entry, index) => {
        secrets.push(entry.secret);
        const cell = quote ? `"${entry.text.replace(/"/g, '""')}"` : entry.text;
        const row = header.includes(';') ? `Ann${index}${delimiter}${cell}` : cell;
        return index === 0 ? `${row}${stray}` : row;
      });
      csv = `${bom ? '\ufeff' : ''}${header.replace(';', delimiter)}${newline}${rows.join(newline)}${newline}`;
      sources.push('  - file: lists/fuzz.csv');
    }
    const env: Record<string, string> = {};
    if (parts.env !== null) {
      const [name, numbers] = parts.env;
      secrets.push(...numbers.map((number) => number.secret));
      if (name !== 'UNSET') env[name] = numbers.map((number) => number.text).join(',');
      sources.push(`  - env: ${name}`);
    }
    if (sources.length > 0) lines.push(`recipients:\n${sources.join('\n')}`);
    if (parts.deferred !== null) lines.push(`deferred: ${parts.deferred}`);
    lines.push(...parts.extras);
    for (const extra of parts.extras) {
      const key = /^\+?(\d{8,})/.exec(extra);
      if (key) secrets.push(key[1]!.slice(-8, -2));
    }
    if (parts.shuffle) lines.reverse();
    return { yaml: `${lines.join('\n')}\n`, csv, env, secrets: secrets.filter((secret) => secret.length >= 6) };
  });

// ---------------------------------------------------------------------------------------------------------------
// Checks

async function writeInputs(input: Generated): Promise<void> {
  await writeFile(path.join(repository.dir, 'campaigns', 'fuzz.yml'), input.yaml);
  await writeFile(path.join(repository.dir, 'campaigns', 'lists', 'fuzz.csv'), input.csv ?? 'number\n');
}

/** Every text a person or a log may see for these campaigns. */
function outputsOf(loaded: LoadedCampaign[]): string[] {
  const plan = makePlan(loaded, null, NOW);
  return [
    JSON.stringify(toPlanJson(plan)),
    renderValidateText(plan),
    renderPlanText(plan),
    renderSummaryMarkdown(plan, null),
    renderPlanComment(plan),
  ];
}

function expectNoFullNumber(outputs: string[], secrets: string[]): void {
  for (const output of outputs) {
    const compact = output.replace(/[\s.\-()/\u00a0]/g, '');
    for (const secret of secrets) expect(compact, `full number …${secret}… in an output`).not.toContain(secret);
  }
}

function expectWellFormedProblems(loaded: LoadedCampaign[]): void {
  expect(loaded).toHaveLength(1);
  const [entry] = loaded;
  if (entry!.valid) return;
  const { errors } = entry!.invalid;
  expect(errors.length).toBeGreaterThan(0);
  for (const error of errors) {
    expect(['campaigns/fuzz.yml', 'campaigns/lists/fuzz.csv']).toContain(error.file);
    expect(error.message).not.toMatch(/please report this|\n\s+at |TypeError|ReferenceError|undefined|\[object /);
    if (error.line !== null) expect(error.line).toBeGreaterThan(0);
  }
  // A YAML or schema problem points at a line: only whole-file problems (empty, unreadable…) have none.
  const yamlErrors = errors.filter((error) => error.file === 'campaigns/fuzz.yml');
  expect(yamlErrors.every((error) => error.line !== null || /the file|YAML/.test(error.message))).toBe(true);
}

describe('fuzzed campaign files, CSV lists and names', () => {
  it(
    'always give a valid campaign or file:line errors, and never a full number in any output',
    async () => {
      await fc.assert(
        fc.asyncProperty(campaignFile, async (input) => {
          await writeInputs(input);
          const loaded = await loadCampaigns(['campaigns/fuzz.yml'], { cwd: repository.dir, env: input.env, now: NOW });
          expectWellFormedProblems(loaded);
          expectNoFullNumber(outputsOf(loaded), input.secrets);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );

  it(
    'names: a valid name round-trips, any other is an error on line 1; none becomes a link or mention',
    async () => {
      await fc.assert(
        fc.asyncProperty(anyName, async (name) => {
          await writeInputs({
            yaml: `name: ${JSON.stringify(name)}\ntype: transactional\nfrom: SHOP\nmessage: hi\nto: ["+33612345678"]\n`,
            csv: null,
            env: {},
            secrets: [],
          });
          const [entry] = await loadCampaigns(['campaigns/fuzz.yml'], { cwd: repository.dir, env: {}, now: NOW });
          if (entry!.valid) expect(entry!.campaign.name).toBe(name);
          else expect(entry!.invalid.errors[0]).toMatchObject({ file: 'campaigns/fuzz.yml', line: 1, field: 'name' });
          const markdown = renderSummaryMarkdown(makePlan([entry!], null, NOW), null);
          expect(markdown).not.toMatch(/www\.|:\/\//);
          // HTML, mentions, issue links or a domain-like name never reach the Markdown as written.
          if (/[<>@#]|\w\.\w/.test(name) && !/^[\w.-]*\.(?:ya?ml|csv|json|md)$/i.test(name)) expect(markdown).not.toContain(name);
          expectNoFullNumber(
            [markdown],
            [name.replace(/\D/g, '').slice(3, 9)].filter((secret) => secret.length === 6),
          );
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );
});

describe('fuzzed input against the sandbox account', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ batchDurationMs: 50, documentReadyAfterPolls: 1 });
  });
  afterAll(async () => {
    await sandbox.stop();
  });
  const writes = () => sandbox.requests.filter((request) => request.method !== 'GET').length;

  it(
    'makes no API write for invalid input, and apply never prints a full number',
    async () => {
      await fc.assert(
        fc.asyncProperty(campaignFile, async (input) => {
          await writeInputs(input);
          const before = writes();
          const lines: string[] = [];
          const outcome = await runCommand(
            'apply',
            sandboxRunSettings(sandbox, repository.dir, {
              patterns: ['campaigns/fuzz.yml'],
              env: input.env,
              reviewTimeoutMs: 2_000,
              log: (line) => lines.push(line),
            }),
          );
          const invalid = outcome.plan?.campaigns.some((entry) => entry.action === 'invalid') ?? true;
          if (invalid) {
            expect(outcome.exitCode).not.toBe(0);
            expect(writes()).toBe(before);
          }
          expectNoFullNumber([...lines, outcome.message ?? '', JSON.stringify(outcome.planJson)], input.secrets);
        }),
        { numRuns: Math.max(5, Math.round(RUNS / 4)) },
      );
    },
    TIMEOUT_MS,
  );
});
