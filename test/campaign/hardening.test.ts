import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useTempRepository } from '../support/temp-repository.js';
import { DEFAULT_CAMPAIGN_GLOBS, loadCampaigns, type LoadedCampaign, type Problem } from '../../src/campaign/index.js';
import { normaliseDeferred } from '../../src/campaign/deferred.js';

// Regression tests for issue #8 items 10, 12, 13, 14 (campaign side) and 18 (numbers, NFC, `*.YML`).
const NOW = new Date('2026-11-26T08:00:00Z');
const HEAD = 'name: hardened\ntype: transactional\nfrom: Shop\nmessage: hi\n';

const repository = useTempRepository('campaign-hardening-');
const write = repository.write;
const load = (patterns: string[], env: Record<string, string> = {}) => loadCampaigns(patterns, { cwd: repository.dir, env, now: NOW });
const loadOne = async (file: string, env: Record<string, string> = {}) => (await load([file], env))[0]!;

function errorsOf(loaded: LoadedCampaign): Problem[] {
  if (loaded.valid) throw new Error(`${loaded.campaign.file} was accepted`);
  return loaded.invalid.errors;
}

function everyText(loaded: LoadedCampaign[]): string {
  return JSON.stringify(loaded.map((entry) => (entry.valid ? entry.campaign.warnings : [entry.invalid.errors, entry.invalid.warnings])));
}

describe('deferred in the one form OVH takes (item 10)', () => {
  it.each([
    ['2030-01-04 10:00:00Z', '2030-01-04T10:00:00Z'],
    ['2030-01-04t10:00:00z', '2030-01-04T10:00:00Z'],
    ['2030-01-04T10:00:00+0100', '2030-01-04T10:00:00+01:00'],
    ['2030-01-04T10:00:00.000-05:30', '2030-01-04T10:00:00-05:30'],
    ['2030-01-04T10:00:00+01:00', '2030-01-04T10:00:00+01:00'],
  ])('%s is sent as %s', async (written, sent) => {
    await write('campaigns/c.yml', `${HEAD}to: ["+33612345678"]\ndeferred: "${written}"\n`);
    const loaded = await loadOne('campaigns/c.yml');
    if (!loaded.valid) throw new Error(JSON.stringify(loaded.invalid.errors));
    expect(loaded.campaign.deferred).toBe(sent);
  });

  it.each([
    ['2030-02-30T10:00:00Z', /RFC 3339|not a real date/],
    ['2030-01-04T24:00:00Z', /RFC 3339|not a real date/],
    ['2030-01-04T10:00:00+1500', /offset OVH cannot take/],
    ['2030-01-04T10:00:00.5Z', /fractions of a second/],
  ])('%s is refused with a file:line error', async (written, reason) => {
    await write('campaigns/c.yml', `${HEAD}to: ["+33612345678"]\ndeferred: "${written}"\n`);
    const [error] = errorsOf(await loadOne('campaigns/c.yml'));
    expect(error).toMatchObject({
      file: 'campaigns/c.yml',
      line: 6,
      column: 11,
      field: 'deferred',
      message: expect.stringMatching(reason),
    });
  });

  it('normalises as a pure function, refusing offsets beyond ±14:00', () => {
    expect(normaliseDeferred('2030-01-04T10:00:00+15:00')).toMatchObject({ ok: false });
    expect(normaliseDeferred('2030-01-04T10:00:00-00:00')).toEqual({ ok: true, normalised: '2030-01-04T10:00:00-00:00' });
  });
});

describe('symbolic links out of the repository (item 12)', () => {
  let outside: string;
  beforeEach(async () => {
    outside = await mkdtemp(path.join(tmpdir(), 'campaign-outside-'));
    await writeFile(path.join(outside, 'secret.yml'), `${HEAD}to: ["+33612345678"]\nsecretKey: 1\n`);
  });
  afterEach(async () => {
    await rm(outside, { recursive: true, force: true });
  });

  it('refuses a linked campaign file, without reading it', async () => {
    await symlink(path.join(outside, 'secret.yml'), path.join(repository.dir, 'campaigns', 'linked.yml'));
    const loaded = await load(DEFAULT_CAMPAIGN_GLOBS);
    expect(loaded).toHaveLength(1);
    expect(errorsOf(loaded[0]!)).toEqual([
      {
        file: 'campaigns/linked.yml',
        line: null,
        column: null,
        field: null,
        message: expect.stringMatching(/outside the repository through a symbolic link/),
      },
    ]);
    expect(everyText(loaded)).not.toContain('secretKey');
  });

  it('refuses the files of a linked folder, and a path outside the repository', async () => {
    await symlink(outside, path.join(repository.dir, 'campaigns', 'elsewhere'), 'dir');
    const viaFolder = await load(['campaigns']);
    expect(viaFolder.map((entry) => entry.valid)).toEqual([false]);
    expect(errorsOf(viaFolder[0]!)[0]!.message).toMatch(/symbolic link/);
    const direct = await load([path.join(outside, 'secret.yml')]);
    expect(errorsOf(direct[0]!)[0]!.message).toMatch(/outside the repository/);
  });
});

describe('environment sources (item 13)', () => {
  it.each([
    'OVH_APPLICATION_SECRET',
    'GITHUB_TOKEN',
    'ACTIONS_RUNTIME_TOKEN',
    'INPUT_APPLICATION-SECRET'.replace('-', '_'),
    'RUNNER_TEMP',
    'ovh_consumer_key',
    'NPM_TOKEN',
  ])('refuses %s by name and never shows its value', async (name) => {
    await write('campaigns/c.yml', `${HEAD}recipients:\n  - env: ${name}\n`);
    const loaded = await load(['campaigns/c.yml'], { [name]: 'sup3r-s3cret-value-0123456789' });
    const [error] = errorsOf(loaded[0]!);
    expect(error).toMatchObject({
      file: 'campaigns/c.yml',
      line: 6,
      field: 'recipients[0].env',
      message: expect.stringMatching(/credentials or runner settings/),
    });
    expect(everyText(loaded)).not.toMatch(/s3cret|sup3r|0123456789/);
  });

  it('shows an entry of an allowed variable only when it is spelled like a phone number, and masked', async () => {
    await write('campaigns/c.yml', `${HEAD}recipients:\n  - env: MY_LIST\n`);
    const loaded = await load(['campaigns/c.yml'], { MY_LIST: 'hunter2-passw0rd, +33 6 12 34 56, +33612345678' });
    const text = everyText(loaded);
    expect(text).not.toMatch(/hunter2|passw0rd/);
    expect(text).toContain('entry 1: not a phone number (the value is not shown');
    expect(text).toMatch(/entry 2: invalid phone number \+33 6[ •]+56/);
    expect(text).not.toMatch(/123456|612345678/);
  });
});

describe('phone numbers in problems (item 14)', () => {
  it('masks a number written as a YAML key, in the field and the message', async () => {
    await write('campaigns/c.yml', `${HEAD}to: ["+33612345678"]\n+33612345679: yes\nrecipients:\n  - 0612345670: x\n`);
    const loaded = await load(['campaigns/c.yml']);
    const text = everyText(loaded);
    expect(text).not.toMatch(/612345679|612345670/);
    expect(errorsOf(loaded[0]!).map((error) => error.field)).toContain('•• ••• ••• •79');
  });

  it('masks numbers quoted by the CSV parser', async () => {
    await write('campaigns/lists/l.csv', 'number,name\n+33612345678"x",Ann\n');
    await write('campaigns/c.yml', `${HEAD}recipients:\n  - file: lists/l.csv\n`);
    const loaded = await load(['campaigns/c.yml']);
    expect(loaded[0]!.valid).toBe(false);
    expect(everyText(loaded)).not.toContain('612345678');
  });
});

describe('numbers, messages and file names (item 18)', () => {
  it.each(['+33612345678abc', '+33 6 12 34 56 78 ext. 12', '06 12 34 56 78 (mobile)', '+33612345678#'])(
    'refuses %s: text beside the number',
    async (number) => {
      await write('campaigns/c.yml', `${HEAD}country: FR\nto: ["${number}"]\n`);
      const [error] = errorsOf(await loadOne('campaigns/c.yml'));
      expect(error).toMatchObject({ line: 6, field: 'to[0]' });
      expect(error!.message).not.toContain('612345678');
    },
  );

  it('normalises the message to NFC: a decomposed “é” stays GSM-7', async () => {
    await write('campaigns/c.yml', `${HEAD.replace('message: hi', 'message: "Caf\\u0065\\u0301 ouvert"')}to: ["+33612345678"]\n`);
    const loaded = await loadOne('campaigns/c.yml');
    if (!loaded.valid) throw new Error(JSON.stringify(loaded.invalid.errors));
    expect(loaded.campaign.message).toBe('Café ouvert');
    expect(loaded.campaign.analysis.encoding).toBe('GSM-7');
    expect(loaded.campaign.warnings).toEqual([]);
  });

  it('finds `*.YML` and `*.Yaml` with the default globs', async () => {
    await write('campaigns/UPPER.YML', `${HEAD.replace('hardened', 'upper')}to: ["+33612345678"]\n`);
    await write('campaigns/Mixed.Yaml', `${HEAD.replace('hardened', 'mixed')}to: ["+33612345679"]\n`);
    const loaded = await load(DEFAULT_CAMPAIGN_GLOBS);
    expect(loaded.map((entry) => (entry.valid ? entry.campaign.file : entry.invalid.file))).toEqual([
      'campaigns/Mixed.Yaml',
      'campaigns/UPPER.YML',
    ]);
    expect(loaded.every((entry) => entry.valid)).toBe(true);
  });
});

describe('a big file of unknown or repeated keys (item 17)', () => {
  it('reports at most 50 problems per file plus a count of the rest', async () => {
    const keys = Array.from({ length: 5000 }, (_, index) => `unknown${index}: 1`).join('\n');
    await write('campaigns/c.yml', `${HEAD}to: ["+33612345678"]\n${keys}\n`);
    const errors = errorsOf(await loadOne('campaigns/c.yml'));
    expect(errors).toHaveLength(51);
    expect(errors[0]).toMatchObject({ line: 6, column: 1, field: 'unknown0' });
    expect(errors[49]).toMatchObject({ line: 55, field: 'unknown49' });
    expect(errors[50]!.message).toBe('…and 4950 more problems like these in this file');
  });

  it('finds repeated keys in nested mappings too, capped alike', async () => {
    const repeated = Array.from({ length: 60 }, () => '    file: b.csv').join('\n');
    await write('campaigns/c.yml', `${HEAD}message: again\nrecipients:\n  - file: a.csv\n${repeated}\n`);
    const errors = errorsOf(await loadOne('campaigns/c.yml'));
    expect(errors[0]).toEqual({
      file: 'campaigns/c.yml',
      line: 5,
      column: 1,
      field: null,
      message: 'invalid YAML: Map keys must be unique',
    });
    expect(errors[1]).toMatchObject({ line: 8, column: 5 });
    expect(errors).toHaveLength(51);
    expect(errors[50]!.message).toBe('…and 11 more problems like these in this file');
  });
});
