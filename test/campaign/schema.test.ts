import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { campaignSchema } from '../../src/campaign/index.js';
import { checkAgainstSchema } from '../../src/campaign/schema-check.js';
import { parseYamlSource } from '../../src/campaign/yaml-source.js';

const CAMPAIGNS = fileURLToPath(new URL('../../campaigns/', import.meta.url));

/** Every sub-schema that describes a property, with its JSON pointer. */
function propertySchemas(schema: unknown, pointer = '#'): [string, Record<string, unknown>][] {
  if (schema === null || typeof schema !== 'object') return [];
  const node = schema as Record<string, unknown>;
  const found: [string, Record<string, unknown>][] = [];
  for (const [key, value] of Object.entries(node)) {
    if ((key === 'properties' || key === '$defs') && value && typeof value === 'object') {
      for (const [name, child] of Object.entries(value)) {
        found.push([`${pointer}/${key}/${name}`, child as Record<string, unknown>]);
        found.push(...propertySchemas(child, `${pointer}/${key}/${name}`));
      }
    } else if (value && typeof value === 'object') {
      found.push(...propertySchemas(value, `${pointer}/${key}`));
    }
  }
  return found;
}

function schemaProblems(yaml: string) {
  const parsed = parseYamlSource(yaml, 'campaign.yml');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return checkAgainstSchema(parsed.data, parsed.source);
}

const BASE = 'name: base\ntype: transactional\nfrom: Shop\nmessage: hi\nto: ["+33612345678"]\n';

describe('campaign JSON Schema', () => {
  it('is draft 2020-12, closed, and describes every property for editors', () => {
    expect(campaignSchema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    const properties = propertySchemas(campaignSchema);
    expect(properties.length).toBeGreaterThan(15);
    for (const [pointer, schema] of properties) {
      expect(typeof schema.description, pointer).toBe('string');
      if (schema.type === 'object') expect(schema.additionalProperties, pointer).toBe(false);
    }
    expect(campaignSchema.additionalProperties).toBe(false);
    expect(Object.keys(campaignSchema.properties).sort()).toEqual([
      'cancel',
      'country',
      'deferred',
      'description',
      'encoding',
      'from',
      'invalidNumbers',
      'maxParts',
      'message',
      'name',
      'noStop',
      'recipients',
      'senderForResponse',
      'tag',
      'testRecipients',
      'to',
      'type',
    ]);
  });

  it('is what every example campaign points its editor at', async () => {
    const files = (await readdir(CAMPAIGNS)).filter((file) => file.endsWith('.yml'));
    expect(files.length).toBe(3);
    for (const file of files) {
      const text = await readFile(`${CAMPAIGNS}${file}`, 'utf8');
      expect(text.startsWith('# yaml-language-server: $schema=../schema/campaign.schema.json\n'), file).toBe(true);
    }
  });

  it('accepts the smallest campaign', () => {
    expect(schemaProblems(BASE)).toEqual([]);
  });

  it.each([
    ['name: base', 'name: a-b_c.d:e f 1', true],
    ['name: base', `name: ${'x'.repeat(64)}`, true],
    ['name: base', `name: ${'x'.repeat(65)}`, false],
    ['name: base', 'name: "_leading underscore"', false],
    ['name: base', 'name: "émoji"', false],
    ['from: Shop', 'from: ABCDEFGHIJK', true],
    ['from: Shop', 'from: ABCDEFGHIJKL', false],
    ['from: Shop', 'from: "My Shop"', false],
    ['from: Shop', 'from: "+33612345678"', true],
    ['from: Shop', 'from: "+1234567890123456"', false],
    ['', 'maxParts: 1', true],
    ['', 'maxParts: 1.5', false],
    ['', 'encoding: utf8', false],
    ['', 'country: fr', false],
    ['', 'deferred: 2027-01-04T10:00:00Z', true],
    ['', 'deferred: 2027-02-30T10:00:00+01:00', false],
    ['', 'deferred: "tomorrow"', false],
    ['', 'recipients: [{ env: "1BAD" }]', false],
    ['', 'recipients: [{ env: GOOD_NAME }, { file: list.csv }]', true],
    ['', 'cancel: "yes"', false],
    ['', 'invalidNumbers: skip', true],
    ['', 'invalidNumbers: drop', false],
  ])('replacing `%s` by `%s` is valid: %s', (from, to, valid) => {
    const yaml = from === '' ? `${BASE}${to}\n` : BASE.replace(`${from}\n`, `${to}\n`);
    expect(yaml).toContain(to);
    expect(schemaProblems(yaml).length === 0).toBe(valid);
  });

  it('explains a `deferred` time written without its offset', () => {
    expect(schemaProblems(`${BASE}deferred: 2027-01-04T10:00:00\n`)).toEqual([
      { file: 'campaign.yml', line: 6, column: 11, field: 'deferred', message: expect.stringMatching(/must carry a time-zone offset/) },
    ]);
  });

  it('reports every problem of a file at once, in source order', () => {
    const problems = schemaProblems('name: ok\ntype: promo\nfrom: Shop\nmessage: hi\nto: [1, "+33612345678", 2]\nextra: 1\n');
    expect(problems.map((item) => `${item.line}:${item.column} ${item.field}`)).toEqual([
      '2:7 type',
      '5:6 to[0]',
      '5:25 to[2]',
      '6:1 extra',
    ]);
  });
});
