import { truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useTempRepository } from '../support/temp-repository.js';
import { loadCampaigns, type InvalidCampaign, type LoadedCampaign } from '../../src/campaign/index.js';

const BAD = fileURLToPath(new URL('../fixtures/bad/', import.meta.url));
const NOW = new Date('2026-11-26T08:00:00Z');
const ENV = { SMS_TEST_NUMBERS: '+33612345678, 0612, +33612345679' };

interface Expected {
  file: string;
  line: number | null;
  column: number | null;
  field: string | null;
  message: RegExp;
}

function invalidOnly(loaded: LoadedCampaign[]): InvalidCampaign[] {
  return loaded.map((entry) => {
    if (entry.valid) throw new Error(`${entry.campaign.file} was accepted`);
    return entry.invalid;
  });
}

async function errorsOf(files: string[], cwd = BAD): Promise<InvalidCampaign[]> {
  return invalidOnly(await loadCampaigns(files, { cwd, env: ENV, now: NOW }));
}

const CASES: [string, Expected[]][] = [
  [
    'malformed-yaml.yml',
    [{ file: 'malformed-yaml.yml', line: 4, column: 1, field: null, message: /^invalid YAML: Flow sequence .* end with a \]/ }],
  ],
  ['empty.yml', [{ file: 'empty.yml', line: null, column: null, field: null, message: /the file is empty/ }]],
  ['comment-only.yml', [{ file: 'comment-only.yml', line: null, column: null, field: null, message: /the file is empty/ }]],
  ['not-a-mapping.yml', [{ file: 'not-a-mapping.yml', line: 1, column: 1, field: null, message: /must be a YAML mapping/ }]],
  [
    'several-documents.yml',
    [{ file: 'several-documents.yml', line: 6, column: 1, field: null, message: /holds 2 YAML documents: put one campaign per file/ }],
  ],
  [
    'duplicate-key.yml',
    [{ file: 'duplicate-key.yml', line: 5, column: 1, field: null, message: /^invalid YAML: Map keys must be unique/ }],
  ],
  ['not-utf8.yml', [{ file: 'not-utf8.yml', line: null, column: null, field: null, message: /not valid UTF-8/ }]],
  [
    'unknown-field.yml',
    [{ file: 'unknown-field.yml', line: 6, column: 1, field: 'nostop', message: /^unknown field `nostop` \(did you mean `noStop`\?\)$/ }],
  ],
  [
    'to-not-a-string.yml',
    [{ file: 'to-not-a-string.yml', line: 8, column: 5, field: 'to[2]', message: /^must be a string: put it in quotes/ }],
  ],
  [
    'missing-message.yml',
    [{ file: 'missing-message.yml', line: 1, column: 1, field: 'message', message: /^missing required field `message`$/ }],
  ],
  [
    'bad-name.yml',
    [{ file: 'bad-name.yml', line: 1, column: 7, field: 'name', message: /1-64 characters .* starting with a letter or digit/ }],
  ],
  ['bad-type.yml', [{ file: 'bad-type.yml', line: 2, column: 7, field: 'type', message: /^must be one of `marketing`, `transactional`$/ }]],
  [
    'bad-from.yml',
    [{ file: 'bad-from.yml', line: 3, column: 7, field: 'from', message: /alphanumeric sender \(1-11 letters or digits.*E\.164/ }],
  ],
  [
    'deferred-without-offset.yml',
    [{ file: 'deferred-without-offset.yml', line: 6, column: 11, field: 'deferred', message: /must carry a time-zone offset/ }],
  ],
  ['bad-max-parts.yml', [{ file: 'bad-max-parts.yml', line: 6, column: 11, field: 'maxParts', message: /^must be at least 1$/ }]],
  [
    'bad-recipient-source.yml',
    [
      { file: 'bad-recipient-source.yml', line: 7, column: 5, field: 'recipients[0].sheet', message: /^unknown field `sheet`/ },
      { file: 'bad-recipient-source.yml', line: 8, column: 5, field: 'recipients[1]', message: /either `\{ file: .* or `\{ env: / },
      { file: 'bad-recipient-source.yml', line: 10, column: 5, field: 'recipients[2]', message: /either `\{ file: .* or `\{ env: / },
    ],
  ],
  [
    'marketing-no-stop.yml',
    [{ file: 'marketing-no-stop.yml', line: 6, column: 9, field: 'noStop', message: /marketing campaigns must carry the STOP clause/ }],
  ],
  [
    'missing-sender.yml',
    [
      {
        file: 'missing-sender.yml',
        line: 1,
        column: 1,
        field: 'from',
        message: /missing sender: set `from`.* or `senderForResponse: true`/,
      },
    ],
  ],
  [
    'short-code-url.yml',
    [{ file: 'short-code-url.yml', line: 4, column: 10, field: 'message', message: /contains a URL: OVH blocks URLs/ }],
  ],
  [
    'gsm7-needs-ucs2.yml',
    [
      {
        file: 'gsm7-needs-ucs2.yml',
        line: 5,
        column: 10,
        field: 'message',
        message: /^`encoding: gsm7` but the message needs UCS-2 because of “ê” \(character 22\)$/,
      },
    ],
  ],
  [
    'too-many-parts.yml',
    [
      {
        file: 'too-many-parts.yml',
        line: 5,
        column: 10,
        field: 'message',
        message: /takes 2 SMS parts \(168 GSM-7 characters with the STOP clause\), more than `maxParts` 1/,
      },
    ],
  ],
  ['unknown-country.yml', [{ file: 'unknown-country.yml', line: 5, column: 10, field: 'country', message: /`XX` is not a country code/ }]],
  ['no-recipients.yml', [{ file: 'no-recipients.yml', line: 1, column: 1, field: 'to', message: /^no recipients/ }]],
  [
    'to-invalid-number.yml',
    [
      {
        file: 'to-invalid-number.yml',
        line: 7,
        column: 5,
        field: 'to[1]',
        message: /^invalid phone number \+33 7•• ••• •78: not a valid phone number for FR$/,
      },
    ],
  ],
  [
    'national-without-country.yml',
    [
      {
        file: 'national-without-country.yml',
        line: 5,
        column: 6,
        field: 'to[0]',
        message: /invalid phone number .*78: national number without `country`/,
      },
    ],
  ],
  [
    'env-unset.yml',
    [
      {
        file: 'env-unset.yml',
        line: 6,
        column: 10,
        field: 'recipients[0].env',
        message: /environment variable SMS_TEST_UNSET_VARIABLE is not set/,
      },
    ],
  ],
  [
    'env-invalid-number.yml',
    [
      {
        file: 'env-invalid-number.yml',
        line: 6,
        column: 10,
        field: 'recipients[0].env',
        message: /^variable SMS_TEST_NUMBERS, entry 2: invalid phone number /,
      },
    ],
  ],
  [
    'csv-outside-repository.yml',
    [{ file: 'csv-outside-repository.yml', line: 6, column: 11, field: 'recipients[0].file', message: /points outside the repository/ }],
  ],
  [
    'csv-missing.yml',
    [{ file: 'csv-missing.yml', line: 6, column: 11, field: 'recipients[0].file', message: /^CSV file not found: lists\/absent\.csv$/ }],
  ],
  ['csv-binary.yml', [{ file: 'lists/binary.csv', line: null, column: null, field: 'recipients[0].file', message: /binary content/ }]],
  [
    'csv-no-number-column.yml',
    [{ file: 'lists/no-number-column.csv', line: 1, column: null, field: 'recipients[0].file', message: /no `number` or `phone` column/ }],
  ],
  [
    'csv-invalid-number.yml',
    [
      {
        file: 'lists/invalid-number.csv',
        line: 3,
        column: null,
        field: 'recipients[0].file',
        message: /^invalid phone number "not a number": not a phone number$/,
      },
    ],
  ],
];

describe('bad input corpus', () => {
  it.each(CASES)('%s is invalid with the exact problem positions', async (file, expected) => {
    const [invalid, ...others] = await errorsOf([file]);
    expect(others).toEqual([]);
    expect(invalid!.file).toBe(file);
    expect(invalid!.errors).toHaveLength(expected.length);
    invalid!.errors.forEach((error, index) => {
      const want = expected[index]!;
      expect({ ...error, message: undefined }).toEqual({ ...want, message: undefined });
      expect(error.message).toMatch(want.message);
    });
  });

  it('never prints a whole phone number in a problem', async () => {
    const invalid = await errorsOf(['to-invalid-number.yml', 'env-invalid-number.yml', 'csv-invalid-number.yml']);
    const text = JSON.stringify(invalid);
    expect(text).not.toMatch(/\+?\d[\d ]{8,}\d/);
  });

  it('reports duplicate names on each file, naming the other one', async () => {
    const [a, b] = await errorsOf(['duplicate-name-a.yml', 'duplicate-name-b.yml']);
    expect(a!.errors).toEqual([
      {
        file: 'duplicate-name-a.yml',
        line: 1,
        column: 7,
        field: 'name',
        message: expect.stringMatching(/`shared-name` is also used by duplicate-name-b\.yml/),
      },
    ]);
    expect(b!.errors).toEqual([
      {
        file: 'duplicate-name-b.yml',
        line: 2,
        column: 7,
        field: 'name',
        message: expect.stringMatching(/`shared-name` is also used by duplicate-name-a\.yml/),
      },
    ]);
    expect(a!.name).toBe('shared-name');
  });

  it('covers every file of the corpus, and accepts none of them', async () => {
    const loaded = await loadCampaigns(['*.yml'], { cwd: BAD, env: ENV, now: NOW });
    const files = invalidOnly(loaded).map((invalid) => invalid.file);
    const covered = new Set([...CASES.map(([file]) => file), 'duplicate-name-a.yml', 'duplicate-name-b.yml']);
    expect(new Set(files)).toEqual(covered);
  });

  it('reports a pattern that matches nothing', async () => {
    const [invalid] = await errorsOf(['nothing-here/*.yml']);
    expect(invalid).toEqual({
      name: null,
      file: 'nothing-here/*.yml',
      errors: [
        { file: 'nothing-here/*.yml', line: null, column: null, field: null, message: 'no campaign file matches `nothing-here/*.yml`' },
      ],
      warnings: [],
    });
  });
});

describe('hostile files made at test time', () => {
  const repository = useTempRepository('campaign-bad-', { scope: 'all', folders: [] });

  it('refuses a 50 MB file from its size, without reading it', async () => {
    const file = path.join(repository.dir, 'huge.yml');
    await writeFile(file, 'name: huge\n');
    await truncate(file, 50 * 1024 * 1024);
    const [invalid] = await errorsOf(['huge.yml'], repository.dir);
    expect(invalid!.errors).toEqual([
      { file: 'huge.yml', line: null, column: null, field: null, message: 'the file is 50 MiB, over the 1 MiB limit for a campaign file' },
    ]);
  });

  it('refuses an alias bomb', async () => {
    const levels = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    for (let level = 1; level < 10; level += 1) {
      const name = String.fromCharCode(97 + level);
      const previous = String.fromCharCode(96 + level);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`);
    }
    await writeFile(path.join(repository.dir, 'bomb.yml'), `name: bomb\n${levels.join('\n')}\n`);
    const [invalid] = await errorsOf(['bomb.yml'], repository.dir);
    expect(invalid!.errors).toHaveLength(1);
    expect(invalid!.errors[0]).toMatchObject({ file: 'bomb.yml', line: null, column: null, field: null });
    expect(invalid!.errors[0]!.message).toMatch(/^the YAML cannot be expanded: .*alias/i);
  });

  it('refuses a binary campaign file', async () => {
    await writeFile(path.join(repository.dir, 'binary.yml'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]));
    const [invalid] = await errorsOf(['binary.yml'], repository.dir);
    expect(invalid!.errors[0]!.message).toBe('the file is binary, not YAML text');
  });
});
