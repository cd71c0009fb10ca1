import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OvhConnection, smsApi } from '../../src/ovh/client.js';
import { SANDBOX_CERTIFICATE, SANDBOX_PRIVATE_KEY } from '../../src/sandbox/certificate.js';
import { sandboxSettings, startSandbox, type Sandbox } from '../../src/sandbox/index.js';

const run = promisify(execFile);
const OTHER_HOST = 'eu.api.ovh.com';

/** A certificate for another host, issued by the sandbox certificate with the key that ships in the package. */
async function mintWithShippedKey(directory: string): Promise<{ cert: string; key: string }> {
  const file = (name: string) => path.join(directory, name);
  await writeFile(file('sandbox.pem'), SANDBOX_CERTIFICATE);
  await writeFile(file('sandbox.key'), SANDBOX_PRIVATE_KEY);
  await writeFile(file('forged.ext'), `subjectAltName=DNS:${OTHER_HOST}\nbasicConstraints=CA:FALSE\n`);
  await run('openssl', [
    'req',
    '-new',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    file('forged.key'),
    '-subj',
    `/CN=${OTHER_HOST}`,
    '-out',
    file('forged.csr'),
  ]);
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    file('forged.csr'),
    '-CA',
    file('sandbox.pem'),
    '-CAkey',
    file('sandbox.key'),
    '-set_serial',
    '4242',
    '-days',
    '30',
    '-extfile',
    file('forged.ext'),
    '-out',
    file('forged.pem'),
  ]);
  return { cert: await readFile(file('forged.pem'), 'utf8'), key: await readFile(file('forged.key'), 'utf8') };
}

function get(options: https.RequestOptions): Promise<{ ok: true; status: number } | { ok: false; code: string }> {
  return new Promise((resolve) => {
    https
      .get(options, (response) => {
        response.resume();
        resolve({ ok: true, status: response.statusCode ?? 0 });
      })
      .on('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, code: error.code ?? error.message }));
  });
}

let sandbox: Sandbox;
let directory: string;
let forgedServer: https.Server;
let forgedPort: number;

beforeAll(async () => {
  sandbox = await startSandbox();
  directory = await mkdtemp(path.join(tmpdir(), 'sms-trust-'));
  const forged = await mintWithShippedKey(directory);
  forgedServer = https.createServer(forged, (_request, response) => response.end('{}'));
  await new Promise<void>((resolve) => forgedServer.listen(0, '127.0.0.1', resolve));
  forgedPort = (forgedServer.address() as AddressInfo).port;
});

afterAll(async () => {
  await sandbox?.stop();
  forgedServer?.closeAllConnections();
  await new Promise((resolve) => forgedServer?.close(resolve));
  await rm(directory, { recursive: true, force: true });
});

describe('the sandbox certificate', () => {
  it('is a leaf for 127.0.0.1 and localhost, not a CA', () => {
    const certificate = new X509Certificate(SANDBOX_CERTIFICATE);
    expect(certificate.ca).toBe(false);
    expect(certificate.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(certificate.checkHost('localhost')).toBe('localhost');
    expect(certificate.checkHost(OTHER_HOST)).toBeUndefined();
  });

  it('lets the OVH client reach the sandbox, and no certificate minted with its shipped key for another host', async () => {
    const connection = new OvhConnection({ ...sandboxSettings(sandbox), timeoutMs: 5000 });
    expect(await smsApi(connection, 'sms-sandbox-1').listBatches()).toEqual([]);

    const forged = await get({ host: '127.0.0.1', port: forgedPort, servername: OTHER_HOST, path: '/', agent: connection.agent });
    expect(forged).toMatchObject({ ok: false });
    // The refusal is the certificate's: the same server answers a client that does not check certificates.
    expect(
      await get({ host: '127.0.0.1', port: forgedPort, servername: OTHER_HOST, path: '/', rejectUnauthorized: false, agent: false }),
    ).toEqual({ ok: true, status: 200 });
  });

  it('is trusted by that client alone: the global agent and the process CA set are untouched', async () => {
    const globalAgent = https.globalAgent;
    const globalOptions = { ca: globalAgent.options.ca, secureContext: globalAgent.options.secureContext };
    const store = tls as typeof tls & { getCACertificates?: (kind: 'default') => string[] };
    const processCas = store.getCACertificates?.('default');

    const connection = new OvhConnection({ ...sandboxSettings(sandbox), timeoutMs: 5000 });
    await smsApi(connection, 'sms-sandbox-1').getAccount();

    expect(https.globalAgent).toBe(globalAgent);
    expect({ ca: globalAgent.options.ca, secureContext: globalAgent.options.secureContext }).toEqual(globalOptions);
    if (store.getCACertificates) expect(store.getCACertificates('default')).toEqual(processCas);
    // Any other client of the process still refuses the sandbox's self-signed certificate.
    expect(await get({ host: '127.0.0.1', port: sandbox.port, path: '/1.0/auth/time' })).toMatchObject({ ok: false });
    expect(await get({ host: '127.0.0.1', port: forgedPort, servername: OTHER_HOST, path: '/' })).toMatchObject({ ok: false });
  });
});
