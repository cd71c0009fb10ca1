import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { manualClock, rawRequest } from './helpers.js';
import { SCHEMA_DIR, checkValue, loadSchemas } from './schema-checker.js';

const schema = loadSchemas();
if (!schema) throw new Error(`OVH's schema files are missing from ${SCHEMA_DIR}`);

describe('sandbox responses match OVH’s schema (test/fixtures/ovh-api)', () => {
  const clock = manualClock();
  let sandbox: Sandbox;
  const seen: { method: string; path: string; body: unknown }[] = [];
  const SERVICE = 'sms-sandbox-1';

  async function call(method: string, path: string, body?: unknown) {
    const response = await rawRequest(sandbox, method, path, { body, timestamp: Math.round(clock.now() / 1000) });
    expect(response.status, `${method} ${path}: ${response.text}`).toBe(200);
    seen.push({ method, path, body: response.json });
    return response.json;
  }

  beforeAll(async () => {
    sandbox = await startSandbox({ now: clock.now, batchDurationMs: 1000, documentReadyAfterPolls: 1, blacklist: ['+33698765432'] });
    const batches = `/1.0/sms/${SERVICE}/batches`;
    await call('GET', '/1.0/sms');
    await call('GET', `/1.0/sms/${SERVICE}`);
    // A receivers list: document created, its CSV PUT to the putUrl (storage, not the API), registered, used, deleted.
    const upload = (await call('POST', '/1.0/me/document', { name: 'list.csv' })) as { id: string; putUrl: string };
    await new Promise<void>((resolve, reject) => {
      const request = https.request(upload.putUrl, { method: 'PUT', ca: sandbox.ca }, (response) => {
        response.resume();
        response.on('end', () => (response.statusCode === 200 ? resolve() : reject(new Error(`PUT ${response.statusCode}`))));
      });
      request.on('error', reject);
      request.end('number\n+33612345678\n+33612345679\n');
    });
    await call('POST', `/1.0/sms/${SERVICE}/receivers`, { autoUpdate: false, description: 'd', documentId: upload.id, slotId: 2 });
    await call('GET', `/1.0/sms/${SERVICE}/receivers`);
    await call('GET', `/1.0/sms/${SERVICE}/receivers/2`);
    await call('POST', `/1.0/sms/${SERVICE}/batches`, { name: 'slot', message: 'Hello', from: 'ACME', slotID: '2' });
    await call('DELETE', `/1.0/sms/${SERVICE}/receivers/2`);
    await call('DELETE', `/1.0/me/document/${upload.id}`);
    const params = { name: 'n', message: 'Hello', from: 'ACME', to: ['+33612345678', '+3361', '+33698765432'], tag: 't' };
    const sent = (await call('POST', batches, params)) as { id: string };
    const deferred = new Date(clock.now() + 60_000).toISOString();
    const scheduled = (await call('POST', batches, { ...params, senderForResponse: true, from: undefined, deferred })) as {
      id: string;
    };
    await call('GET', batches);
    await call('GET', `${batches}/${sent.id}/statistics`);
    await call('POST', `${batches}/${scheduled.id}/cancel`);
    clock.advance(600);
    await call('GET', `${batches}/${sent.id}`);
    clock.advance(2000);
    await call('GET', batches);
    await call('GET', `${batches}/${sent.id}/statistics`);
    await call('GET', `/1.0/sms/${SERVICE}/blacklists`);
    const documentId = (await call('GET', `/1.0/sms/${SERVICE}/document?wayType=outgoing&batchID=${sent.id}`)) as string;
    await call('GET', `/1.0/me/document/${documentId}`);
    await call('GET', `/1.0/me/document/${documentId}`);
    await call('DELETE', `${batches}/${scheduled.id}`);
    await call('GET', `/1.0/sms/${SERVICE}`);
  });

  afterAll(() => sandbox?.stop());

  it('covers every route the client uses', () => {
    const routes = new Set(seen.map(({ method, path }) => `${method} ${path.split('?')[0]!.replace(/[0-9a-f-]{36}/g, '{id}')}`));
    expect([...routes].sort()).toEqual(
      [
        'DELETE /1.0/sms/sms-sandbox-1/batches/{id}',
        'DELETE /1.0/me/document/{id}',
        'DELETE /1.0/sms/sms-sandbox-1/receivers/2',
        'GET /1.0/sms/sms-sandbox-1/receivers',
        'GET /1.0/sms/sms-sandbox-1/receivers/2',
        'POST /1.0/me/document',
        'POST /1.0/sms/sms-sandbox-1/receivers',
        'GET /1.0/me/document/{id}',
        'GET /1.0/sms',
        'GET /1.0/sms/sms-sandbox-1',
        'GET /1.0/sms/sms-sandbox-1/batches',
        'GET /1.0/sms/sms-sandbox-1/batches/{id}',
        'GET /1.0/sms/sms-sandbox-1/batches/{id}/statistics',
        'GET /1.0/sms/sms-sandbox-1/blacklists',
        'GET /1.0/sms/sms-sandbox-1/document',
        'POST /1.0/sms/sms-sandbox-1/batches',
        'POST /1.0/sms/sms-sandbox-1/batches/{id}/cancel',
      ].sort(),
    );
  });

  it('answers each route with its responseType: property names, types per fullType, canBeNull', () => {
    for (const { method, path, body } of seen) {
      const type = schema!.responseType(method, path.slice('/1.0'.length));
      expect(checkValue(schema!, type, body), `${method} ${path} as ${type}`).toEqual([]);
    }
  });

  it('has a checker that notices wrong, missing, extra and null properties', () => {
    const batch = seen.find(({ method, path }) => method === 'GET' && /batches\/[0-9a-f-]{36}$/.test(path))!.body as Record<
      string,
      unknown
    >;
    const broken = { ...batch, totalRecords: '2', finishedAt: undefined, completedAt: null, message: null };
    delete broken.finishedAt;
    expect(checkValue(schema!, 'sms.Batch', broken).sort()).toEqual(
      [
        '$.completedAt: not a property of sms.Batch',
        '$.finishedAt: missing',
        '$.message: null but not canBeNull',
        '$.totalRecords: expected integer',
      ].sort(),
    );
    expect(checkValue(schema!, 'sms.Batch', { ...batch, status: 'SENDING' })).toEqual([
      '$.status: "SENDING" is not in sms.BatchStatusEnum',
    ]);
    expect(
      checkValue(schema!, 'nichandle.document.Document', { ...(seen.at(-3)!.body as object), tags: [{ key: 1, value: 'v' }] }),
    ).toEqual(['$.tags[0].key: expected string string']);
  });
});
