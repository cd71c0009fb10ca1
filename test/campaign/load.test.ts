import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useTempRepository } from '../support/temp-repository.js';
import { DEFAULT_CAMPAIGN_GLOBS, loadCampaigns, type Campaign, type LoadedCampaign } from '../../src/campaign/index.js';

const REPOSITORY = fileURLToPath(new URL('../../', import.meta.url));
const WARNINGS = fileURLToPath(new URL('../fixtures/warnings/', import.meta.url));
const NOW = new Date('2026-11-26T08:00:00Z');

function validOnly(loaded: LoadedCampaign[]): Campaign[] {
  return loaded.map((entry) => {
    if (!entry.valid) throw new Error(`${entry.invalid.file}: ${JSON.stringify(entry.invalid.errors)}`);
    return entry.campaign;
  });
}

describe('example campaigns', () => {
  it('load valid, sorted by file, with the expected recipients and analysis', async () => {
    const campaigns = validOnly(await loadCampaigns(DEFAULT_CAMPAIGN_GLOBS, { cwd: REPOSITORY, env: {}, now: NOW }));
    expect(campaigns.map((campaign) => campaign.file)).toEqual([
      'campaigns/black-friday-promo.yml',
      'campaigns/delivery-notice.yml',
      'campaigns/new-year-greetings.yml',
    ]);
    const [blackFriday, delivery, newYear] = campaigns as [Campaign, Campaign, Campaign];

    // 20 rows in the CSV, the last one repeating row 4 in national format.
    expect(blackFriday.recipients).toHaveLength(19);
    expect(blackFriday.duplicatesRemoved).toBe(1);
    expect(blackFriday.recipients[0]).toBe('+33612345610');
    expect(blackFriday.recipients.every((number) => /^\+336\d{8}$/.test(number))).toBe(true);
    expect(blackFriday).toMatchObject({
      name: 'black-friday-2026',
      type: 'marketing',
      from: 'MaisonLum',
      noStop: false,
      country: 'FR',
      deferred: null,
      tag: 'black-friday-2026',
    });
    expect(blackFriday.analysis).toEqual({ encoding: 'GSM-7', characters: 136, parts: 1, nonGsmCharacters: [] });
    expect(blackFriday.warnings).toEqual([]);

    expect(delivery).toMatchObject({
      type: 'transactional',
      noStop: true,
      recipients: ['+33612345690', '+33612345691', '+33612345692'],
      duplicatesRemoved: 0,
    });
    expect(delivery.analysis.encoding).toBe('GSM-7');
    expect(delivery.warnings).toEqual([]);

    expect(newYear.recipients).toHaveLength(21);
    expect(newYear.recipients.slice(0, 2)).toEqual(['+33612345640', '+33612345641']);
    expect(newYear.deferred).toBe('2027-01-04T10:00:00+01:00');
    expect(newYear.positions.deferred).toEqual({ line: 10, column: 11 });
    expect(newYear.analysis).toMatchObject({ encoding: 'UCS-2', parts: 2, nonGsmCharacters: [{ char: 'œ', index: 11 }] });
    expect(newYear.warnings).toEqual([
      {
        file: 'campaigns/new-year-greetings.yml',
        line: 11,
        column: 10,
        field: 'message',
        message: expect.stringMatching(/needs UCS-2 .* because of “œ” \(character 12\)/),
      },
    ]);
  });

  it('fill every field of Campaign', async () => {
    const [delivery] = validOnly(await loadCampaigns(['campaigns/delivery-notice.yml'], { cwd: REPOSITORY, env: {}, now: NOW }));
    expect(Object.keys(delivery!).sort()).toEqual([
      'analysis',
      'cancel',
      'country',
      'deferred',
      'description',
      'duplicatesRemoved',
      'encoding',
      'file',
      'from',
      'maxParts',
      'message',
      'name',
      'noStop',
      'positions',
      'recipients',
      'senderForResponse',
      'tag',
      'testRecipients',
      'type',
      'warnings',
    ]);
    expect(delivery).toMatchObject({
      senderForResponse: false,
      encoding: 'auto',
      maxParts: 6,
      cancel: false,
      tag: 'delivery',
      country: null,
    });
    expect(delivery!.positions).toMatchObject({
      name: { line: 2, column: 7 },
      to: { line: 11, column: 3 },
      message: { line: 7, column: 10 },
    });
    expect(delivery!.message).toMatch(/^Maison Lumière : votre commande .*\/suivi$/);
  });

  it('accept a directory path and plain paths alike, without listing a file twice', async () => {
    const loaded = await loadCampaigns(['campaigns', 'campaigns/delivery-notice.yml', 'campaigns/**/*.yml'], {
      cwd: REPOSITORY,
      env: {},
      now: NOW,
    });
    expect(validOnly(loaded).map((campaign) => campaign.file)).toHaveLength(3);
  });
});

describe('warnings (the campaign stays valid)', () => {
  const load = async (file: string) => {
    const [campaign] = validOnly(await loadCampaigns([file], { cwd: WARNINGS, env: {}, now: NOW }));
    return campaign!;
  };
  /** The file loads as valid with this one warning, at this place: a message given as text must match exactly. */
  const expectOnlyWarning = async (
    file: string,
    at: { line: number; column: number; field: string },
    message: string | RegExp,
  ): Promise<Campaign> => {
    const campaign = await load(file);
    expect(campaign.warnings).toEqual([{ file, ...at, message: typeof message === 'string' ? message : expect.stringMatching(message) }]);
    return campaign;
  };

  it('a fixed-line number', async () => {
    const campaign = await expectOnlyWarning(
      'fixed-line.yml',
      { line: 7, column: 5, field: 'to[1]' },
      '+33 1•• ••• •00 is a fixed-line number: it probably cannot receive SMS',
    );
    expect(campaign.recipients).toEqual(['+33612345678', '+33142685300']);
  });

  it('a marketing campaign sent from a French mobile number', () =>
    expectOnlyWarning('marketing-mobile-sender.yml', { line: 3, column: 7, field: 'from' }, /French mobile number \(06\/07\)/));

  it('a deferred time in the past', () =>
    expectOnlyWarning('deferred-past.yml', { line: 6, column: 11, field: 'deferred' }, /^2026-01-05T10:00:00\+01:00 is in the past/));

  it('a marketing campaign deferred to a Sunday, saying when OVH will send it', () =>
    expectOnlyWarning(
      'deferred-sunday.yml',
      { line: 6, column: 11, field: 'deferred' },
      /Sunday 2027-01-03 10:00 Europe\/Paris.*OVH will hold it until Monday 2027-01-04 08:00 Europe\/Paris$/,
    ));

  it('a message that needs UCS-2 under `encoding: auto`, naming each character and where', async () => {
    const campaign = await load('auto-ucs2.yml');
    expect(campaign.analysis.encoding).toBe('UCS-2');
    expect(campaign.warnings).toHaveLength(1);
    expect(campaign.warnings[0]).toMatchObject({ file: 'auto-ucs2.yml', line: 4, column: 10, field: 'message' });
    expect(campaign.warnings[0]!.message).toContain('because of “ç” (character 3), “°” (character 7), “ô” (character 20)');
  });
});

describe('campaigns written in a temporary repository', () => {
  const repository = useTempRepository('campaign-load-');
  const write = repository.write;
  const loadOne = async (file: string, env: Record<string, string> = {}) =>
    (await loadCampaigns([file], { cwd: repository.dir, env, now: NOW }))[0]!;

  it('merges to, CSV and env sources into E.164, first appearance first, counting duplicates', async () => {
    await write('campaigns/lists/a.csv', 'phone,name\n06 12 34 56 78,Ann\n"+33 6 12 34 56 79",Bob\n');
    await write(
      'campaigns/merge.yml',
      'name: merge\ntype: transactional\nfrom: Shop\nmessage: hi\ncountry: FR\nto: ["0612345677", "+33612345678"]\nrecipients:\n  - file: lists/a.csv\n  - env: MORE\n',
    );
    const loaded = await loadOne('campaigns/merge.yml', { MORE: '+33612345679\n06.12.34.56.80' });
    expect(loaded.valid).toBe(true);
    if (!loaded.valid) return;
    expect(loaded.campaign.recipients).toEqual(['+33612345677', '+33612345678', '+33612345679', '+33612345680']);
    expect(loaded.campaign.duplicatesRemoved).toBe(2);
  });

  it('turns CRLF into LF before counting, and counts the STOP clause unless noStop', async () => {
    await write(
      'campaigns/crlf.yml',
      'name: crlf\r\ntype: marketing\r\nfrom: Shop\r\nmessage: "line one\\r\\nline two"\r\nto: ["+33612345678"]\r\n',
    );
    const loaded = await loadOne('campaigns/crlf.yml');
    if (!loaded.valid) throw new Error(JSON.stringify(loaded.invalid.errors));
    expect(loaded.campaign.message).toBe('line one\nline two');
    expect(loaded.campaign.analysis).toMatchObject({ encoding: 'GSM-7', characters: 17 + 11, parts: 1 });
    expect(loaded.campaign.positions.message).toEqual({ line: 4, column: 10 });
  });

  it('refuses a CSV reached through a symbolic link leading out of the repository', async () => {
    const outside = await mkdtemp(path.join(tmpdir(), 'campaign-outside-'));
    try {
      await writeFile(path.join(outside, 'list.csv'), 'number\n+33612345678\n');
      await symlink(path.join(outside, 'list.csv'), path.join(repository.dir, 'campaigns', 'lists', 'linked.csv'));
      await write(
        'campaigns/linked.yml',
        'name: linked\ntype: transactional\nfrom: Shop\nmessage: hi\nrecipients:\n  - file: lists/linked.csv\n',
      );
      const loaded = await loadOne('campaigns/linked.yml');
      expect(loaded.valid).toBe(false);
      if (loaded.valid) return;
      expect(loaded.invalid.errors).toEqual([
        { file: 'campaigns/linked.yml', line: 6, column: 11, field: 'recipients[0].file', message: expect.stringMatching(/symbolic link/) },
      ]);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('caps the problems of one big source and sums up the rest', async () => {
    const rows = Array.from({ length: 60 }, (_, index) => `bad-${index}`).join('\n');
    await write('campaigns/lists/bad.csv', `number\n${rows}\n`);
    await write('campaigns/many.yml', 'name: many\ntype: transactional\nfrom: Shop\nmessage: hi\nrecipients:\n  - file: lists/bad.csv\n');
    const loaded = await loadOne('campaigns/many.yml');
    if (loaded.valid) throw new Error('accepted');
    expect(loaded.invalid.errors).toHaveLength(21);
    expect(loaded.invalid.errors[0]).toMatchObject({ file: 'campaigns/lists/bad.csv', line: 2 });
    expect(loaded.invalid.errors[20]!.message).toBe('…and 40 more errors like these in the same source');
  });

  it('treats the default globs as one: `*.yaml` matching nothing is fine when `*.yml` matches', async () => {
    await write('campaigns/only.yaml', 'name: only\ntype: transactional\nfrom: Shop\nmessage: hi\nto: ["+33612345678"]\n');
    const loaded = await loadCampaigns(DEFAULT_CAMPAIGN_GLOBS, { cwd: repository.dir, env: {}, now: NOW });
    expect(validOnly(loaded).map((campaign) => campaign.file)).toEqual(['campaigns/only.yaml']);

    const empty = await mkdtemp(path.join(tmpdir(), 'campaign-empty-'));
    try {
      const nothing = await loadCampaigns([], { cwd: empty, env: {}, now: NOW });
      expect(nothing).toEqual([
        {
          valid: false,
          invalid: {
            name: null,
            file: 'campaigns/**/*.yml or campaigns/**/*.yaml',
            errors: [expect.objectContaining({ message: 'no campaign file matches `campaigns/**/*.yml or campaigns/**/*.yaml`' })],
            warnings: [],
          },
        },
      ]);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});

describe('recipient lists of realistic size', () => {
  const repository = useTempRepository('sms-load-big-', { folders: [] });

  it('reads a list over the old 16 MiB cap, in chunks, to its last row', async () => {
    await mkdir(path.join(repository.dir, 'campaigns'));
    const filler = 'x'.repeat(200);
    const rows = Array.from({ length: 90_000 }, (_, index) => `06${String(12_000_000 + (index % 1000)).padStart(8, '0')};${filler}`);
    rows.push('0712345678;last row');
    await writeFile(path.join(repository.dir, 'big.csv'), `number;note\n${rows.join('\n')}\n`);
    await writeFile(
      path.join(repository.dir, 'campaigns', 'big.yml'),
      'name: big\ntype: transactional\nfrom: SHOP\nmessage: Hello\nnoStop: true\ncountry: FR\nrecipients:\n  - file: ../big.csv\n',
    );
    const [loaded] = await loadCampaigns(['campaigns/big.yml'], { cwd: repository.dir, env: {}, now: NOW });
    expect(loaded!.valid).toBe(false);
    // The one invalid number is on the last row, past 16 MiB: the whole file was read.
    expect(loaded!.valid ? [] : loaded!.invalid.errors).toEqual([
      expect.objectContaining({ file: 'big.csv', line: 90_002, message: expect.stringContaining('invalid phone number') }),
    ]);
  });
});
