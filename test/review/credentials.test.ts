import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OvhConfigError, createTokenUrl, leastRules, loadOvhSettings, missingRules, parseOvhConf } from '../../src/ovh/index.js';
import { renderCredentialsText, runCommand, type RunSettings } from '../../src/run/index.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { sandboxRunSettings } from '../support/sandbox-run.js';

let dir: string | null = null;
let sandbox: Sandbox | null = null;
afterEach(async () => {
  await sandbox?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
  sandbox = dir = null;
});

const CONF = `; written by hand
[default]
endpoint=ovh-ca

[ovh-eu]
application_key=eu-ak
application_secret=eu-as
consumer_key=eu-ck

[ovh-ca]
application_key = ca-ak
application_secret = ca-as
consumer_key = ca-ck
`;

describe('ovh.conf', () => {
  async function files(project: string | null, home: string | null) {
    dir = await mkdtemp(path.join(tmpdir(), 'ovh-conf-'));
    const paths = [path.join(dir, 'ovh.conf'), path.join(dir, '.ovh.conf'), path.join(dir, 'etc-ovh.conf')];
    if (project !== null) await writeFile(paths[0]!, project);
    if (home !== null) await writeFile(paths[1]!, home);
    return paths;
  }

  it('parses sections, keys with = or :, and comments', () => {
    const conf = parseOvhConf('# c\n[default]\nendpoint: ovh-eu\n[ovh-eu]\nApplication_Key = k ; not a comment here\n');
    expect(conf.get('default')?.get('endpoint')).toBe('ovh-eu');
    expect(conf.get('ovh-eu')?.get('application_key')).toBe('k ; not a comment here');
  });

  it('takes [default] endpoint, then that section; the project file wins over the home one key by key', async () => {
    const paths = await files('[ovh-ca]\nconsumer_key=project-ck\n', CONF);
    const settings = await loadOvhSettings({}, { cwd: dir!, paths });
    expect(settings).toMatchObject({
      endpoint: 'ovh-ca',
      serviceName: null,
      credentials: { kind: 'application', applicationKey: 'ca-ak', applicationSecret: 'ca-as', consumerKey: 'project-ck' },
    });
  });

  it('lets the environment win: OVH_ENDPOINT picks the section, credentials in the environment replace the file', async () => {
    const paths = await files(CONF, null);
    expect(await loadOvhSettings({ OVH_ENDPOINT: 'ovh-eu', OVH_SMS_SERVICE_NAME: 'sms-x' }, { cwd: dir!, paths })).toMatchObject({
      endpoint: 'ovh-eu',
      serviceName: 'sms-x',
      credentials: { consumerKey: 'eu-ck' },
    });
    expect(await loadOvhSettings({ OVH_CLIENT_ID: 'id', OVH_CLIENT_SECRET: 'secret' }, { cwd: dir!, paths })).toMatchObject({
      endpoint: 'ovh-eu',
      credentials: { kind: 'oauth2', clientId: 'id' },
    });
  });

  it('reads OAuth2 keys, is null without any file, and names the file and key of an incomplete section', async () => {
    const paths = await files('[default]\nendpoint=ovh-eu\n[ovh-eu]\nclient_id=cid\nclient_secret=cs\n', null);
    expect(await loadOvhSettings({}, { cwd: dir!, paths })).toMatchObject({
      credentials: { kind: 'oauth2', clientId: 'cid', clientSecret: 'cs' },
    });
    expect(await loadOvhSettings({}, { cwd: dir!, paths: [path.join(dir!, 'none.conf')] })).toBeNull();
    await writeFile(paths[0]!, '[ovh-eu]\napplication_key=k\napplication_secret=s\n');
    const error = await loadOvhSettings({}, { cwd: dir!, paths }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OvhConfigError);
    expect((error as Error).message).toBe(`Incomplete OVH credentials: consumer_key not set in the [ovh-eu] section of ${paths[0]}`);
  });
});

describe('access rules', () => {
  it('links to OVH’s token page with the least rules, scoped to the service when known', () => {
    expect(createTokenUrl('ovh-eu', leastRules(null))).toBe(
      'https://eu.api.ovh.com/createToken/?GET=/sms&GET=/sms/*&POST=/sms/*&DELETE=/sms/*/receivers/*&GET=/me/document/*&POST=/me/document&DELETE=/me/document/*',
    );
    expect(leastRules('sms-ab12345-1')).toContainEqual({ method: 'POST', path: '/sms/sms-ab12345-1/*' });
    expect(missingRules(leastRules('sms-ab12345-1'), 'sms-ab12345-1')).toEqual([]);
    expect(missingRules(leastRules(null), null)).toEqual([]);
  });

  it('names the rules a read-only token lacks and what they are for', () => {
    const missing = missingRules(
      [
        { method: 'GET', path: '/sms' },
        { method: 'GET', path: '/sms/*' },
      ],
      null,
    );
    expect(missing.map((entry) => `${entry.rule.method} ${entry.rule.path}`)).toEqual([
      'POST /sms/*',
      'GET /me/document/*',
      'POST /me/document',
      'DELETE /me/document/*',
      'DELETE /sms/*/receivers/*',
    ]);
    expect(missing[0]!.purposes.sort()).toEqual(['apply', 'cancel', 'plan']);
    expect(missing[0]!.calls.map((call) => call.what)).toContain('create batches');
  });
});

describe('the credentials command against the sandbox', () => {
  async function run(extra: Partial<RunSettings>, rules?: { method: 'GET' | 'POST' | 'PUT' | 'DELETE'; path: string }[]) {
    sandbox = await startSandbox(rules ? { accessRules: rules } : {});
    dir = await mkdtemp(path.join(tmpdir(), 'credentials-'));
    return runCommand('credentials', sandboxRunSettings(sandbox, dir, extra));
  }

  it('exits 0 when the token (signed GET /auth/currentCredential) holds every rule', async () => {
    const outcome = await run({});
    expect(outcome.exitCode).toBe(0);
    expect(outcome.credentials!.check).toMatchObject({ kind: 'checked', status: 'validated', missing: [] });
    expect(sandbox!.requests.find((request) => request.path === '/1.0/auth/currentCredential')?.status).toBe(200);
  });

  it('exits 1 naming the missing rules per purpose', async () => {
    const outcome = await run({}, [
      { method: 'GET', path: '/sms' },
      { method: 'GET', path: '/sms/*' },
    ]);
    expect(outcome.exitCode).toBe(1);
    const text = renderCredentialsText(outcome.credentials!);
    expect(text).toContain('  plan    missing POST /sms/* (cross-check SMS parts)\n');
    expect(text).toContain('  cancel  missing POST /sms/* (cancel a batch (cancel: true, overlap guard))');
    expect(text).toContain(
      '  apply   missing POST /sms/* (create batches, cancel a batch (cancel: true, overlap guard), upload a receivers list (big campaigns)); GET /me/document/* (download the CSV export); POST /me/document (upload a receivers list (big campaigns)); DELETE /me/document/* (clean up a receivers list); DELETE /sms/*/receivers/* (clean up a receivers list)',
    );
    expect(text).toContain(
      'https://eu.api.ovh.com/createToken/?GET=/sms&GET=/sms/*&POST=/sms/*&DELETE=/sms/*/receivers/*&GET=/me/document/*&POST=/me/document&DELETE=/me/document/*',
    );
  });

  it('exits 2 without credentials, still giving the link', async () => {
    const outcome = await run({ ovh: null });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.credentials!.check.kind).toBe('none');
    expect(renderCredentialsText(outcome.credentials!)).toContain('https://eu.api.ovh.com/createToken/?');
  });
});
