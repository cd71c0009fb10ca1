import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { manualClock, rawRequest } from './helpers.js';

const SERVICE = 'sms-sandbox-1';
const BATCHES = `/1.0/sms/${SERVICE}/batches`;

let sandbox: Sandbox | null = null;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = null;
});

async function start(options: SandboxOptions = {}) {
  sandbox = await startSandbox(options);
  return sandbox;
}

describe('sandbox authentication', () => {
  it('serves /auth/time unauthenticated, shifted by the configured clock offset', async () => {
    const sb = await start({ clockOffsetSeconds: 3600 });
    const response = await rawRequest(sb, 'GET', '/1.0/auth/time', { applicationKey: null, consumerKey: null });
    expect(response.status).toBe(200);
    expect(response.text).toMatch(/^\d+$/);
    expect(Number(response.text) - Date.now() / 1000).toBeGreaterThan(3595);
  });

  it('accepts the signed URL without the port (node-ovh) and with it (python-ovh, go-ovh)', async () => {
    const sb = await start();
    expect((await rawRequest(sb, 'GET', '/1.0/sms')).json).toEqual([SERVICE]);
    expect((await rawRequest(sb, 'GET', '/1.0/sms', { signWithPort: true })).json).toEqual([SERVICE]);
  });

  it('refuses a wrong secret with OVH’s INVALID_SIGNATURE body and a query id', async () => {
    const sb = await start();
    const response = await rawRequest(sb, 'GET', '/1.0/sms', { applicationSecret: 'not-the-secret' });
    expect(response.status).toBe(400);
    expect(response.json).toEqual({ errorCode: 'INVALID_SIGNATURE', httpCode: '400 Bad Request', message: 'Invalid signature' });
    expect(response.headers['x-ovh-queryid']).toMatch(/^SANDBOX\./);
  });

  it('refuses a signature over another body', async () => {
    const sb = await start();
    const response = await rawRequest(sb, 'POST', BATCHES, {
      body: { message: 'hi', from: 'ACME', to: ['+33612345678'] },
      signedBody: JSON.stringify({ message: 'hi', from: 'ACME', to: ['+33699999999'] }),
    });
    expect(response.status).toBe(400);
    expect(sb.batches()).toHaveLength(0);
  });

  it('refuses a timestamp off by more than three minutes with QUERY_TIME_OUT', async () => {
    const sb = await start();
    const response = await rawRequest(sb, 'GET', '/1.0/sms', { timestamp: Math.round(Date.now() / 1000) - 600 });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ errorCode: 'QUERY_TIME_OUT', message: 'Query out of time' });
  });

  it('refuses a missing consumer key and an unknown application key with 403', async () => {
    const sb = await start();
    const noConsumer = await rawRequest(sb, 'GET', '/1.0/sms', { consumerKey: null });
    expect(noConsumer.status).toBe(403);
    expect(noConsumer.json).toMatchObject({ errorCode: 'NOT_CREDENTIAL' });
    const unknownKey = await rawRequest(sb, 'GET', '/1.0/sms', { applicationKey: 'who-is-this' });
    expect(unknownKey.status).toBe(403);
    expect(unknownKey.json).toMatchObject({ errorCode: 'INVALID_KEY' });
  });

  it('issues OAuth2 tokens for the client credentials and accepts them as bearer tokens', async () => {
    const sb = await start();
    const basic = Buffer.from(`${sb.oauth2.clientId}:${sb.oauth2.clientSecret}`).toString('base64');
    const token = await rawFormPost(sb, '/auth/oauth2/token', 'grant_type=client_credentials&scope=all', `Basic ${basic}`);
    expect(token.status).toBe(200);
    const accessToken = (token.json as { access_token: string }).access_token;
    const bearer = { applicationKey: null, consumerKey: null, headers: { Authorization: `Bearer ${accessToken}` } };
    expect((await rawRequest(sb, 'GET', '/1.0/sms', bearer)).json).toEqual([SERVICE]);
    const wrong = await rawFormPost(
      sb,
      '/auth/oauth2/token',
      'grant_type=client_credentials',
      `Basic ${Buffer.from('x:y').toString('base64')}`,
    );
    expect(wrong.status).toBe(401);
    const badBearer = { ...bearer, headers: { Authorization: 'Bearer nope' } };
    expect((await rawRequest(sb, 'GET', '/1.0/sms', badBearer)).status).toBe(401);
  });
});

async function rawFormPost(sb: Sandbox, path: string, form: string, authorization: string) {
  const { default: https } = await import('node:https');
  return new Promise<{ status: number; json: unknown }>((resolve, reject) => {
    const request = https.request(
      {
        host: '127.0.0.1',
        port: sb.port,
        path,
        method: 'POST',
        ca: sb.ca,
        agent: false,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: authorization },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, json: JSON.parse(text) }));
      },
    );
    request.on('error', reject);
    request.end(form);
  });
}

describe('sandbox batches', () => {
  const params = { name: 'Spring sale', message: 'Spring sale: -20% today', from: 'ACME', to: ['+33612345678', '+447911123456'] };

  it('moves a batch PENDING → INSERTING → INSERTED → COMPLETED with the clock and fills its fields', async () => {
    const clock = manualClock();
    const sb = await start({ now: clock.now, batchDurationMs: 4000 });
    const created = (await rawRequest(sb, 'POST', BATCHES, { body: params })).json as Record<string, unknown>;
    expect(created).toMatchObject({ status: 'PENDING', name: 'Spring sale', message: params.message, from: 'ACME' });
    expect(created).toMatchObject({ receivers: params.to, totalRecords: 2, processedRecords: 0, errors: [] });
    expect(created).toMatchObject({ startedAt: null, finishedAt: null, sentAt: null, slotID: null });
    const statusAt = async () => ((await rawRequest(sb, 'GET', `${BATCHES}/${created.id}`)).json as { status: string }).status;
    clock.advance(1000);
    expect(await statusAt()).toBe('INSERTING');
    clock.advance(1000);
    expect(await statusAt()).toBe('INSERTED');
    clock.advance(2000);
    const done = (await rawRequest(sb, 'GET', `${BATCHES}/${created.id}`)).json as Record<string, unknown>;
    expect(done).toMatchObject({ status: 'COMPLETED', processedRecords: 2 });
    expect(done.startedAt).not.toBeNull();
    expect(done.finishedAt).not.toBeNull();
    const listed = (await rawRequest(sb, 'GET', BATCHES)).json as { id: string; status: string }[];
    expect(listed.map((batch) => [batch.id, batch.status])).toEqual([[created.id, 'COMPLETED']]);
  });

  it('estimates parts × receivers with the STOP clause and debits the credits', async () => {
    const sb = await start({ creditsLeft: 100 });
    // 150 GSM-7 characters fit one SMS alone, but not with the 11 characters of "\nSTOP 36184".
    const message = 'a'.repeat(150);
    const withStop = (await rawRequest(sb, 'POST', BATCHES, { body: { ...params, message } })).json as { estimatedCredits: number };
    expect(withStop.estimatedCredits).toBe(4);
    const noStop = (await rawRequest(sb, 'POST', BATCHES, { body: { ...params, message, noStop: true } })).json as {
      estimatedCredits: number;
    };
    expect(noStop.estimatedCredits).toBe(2);
    const account = (await rawRequest(sb, 'GET', `/1.0/sms/${SERVICE}`)).json as { creditsLeft: number };
    expect(account.creditsLeft).toBe(94);
  });

  it('refuses a batch that needs more credits than are left', async () => {
    const sb = await start({ creditsLeft: 1 });
    const response = await rawRequest(sb, 'POST', BATCHES, { body: params });
    expect(response.status).toBe(400);
    expect((response.json as { message: string }).message).toMatch(/credits/);
  });

  it('reports invalid receivers in errors[] at completion and counts them as failed', async () => {
    const clock = manualClock();
    const sb = await start({ now: clock.now, batchDurationMs: 1000, blacklist: ['+447911123456'] });
    const body = { ...params, to: ['+33612345678', '0612345678', '+3361', '+447911123456'] };
    const created = (await rawRequest(sb, 'POST', BATCHES, { body })).json as { id: string; errors: unknown[] };
    expect(created.errors).toEqual([]);
    clock.advance(1000);
    const done = (await rawRequest(sb, 'GET', `${BATCHES}/${created.id}`)).json as { errors: { receiver: string }[] };
    expect(done.errors.map((error) => error.receiver)).toEqual(['0612345678', '+3361', '+447911123456']);
    const statistics = (await rawRequest(sb, 'GET', `${BATCHES}/${created.id}/statistics`)).json;
    expect(statistics).toMatchObject({ sent: 1, failed: 2, stoplisted: 1, pending: 1, delivered: 0, credits: 1, estimatedCredits: 4 });
    clock.advance(500);
    const later = (await rawRequest(sb, 'GET', `${BATCHES}/${created.id}/statistics`)).json;
    expect(later).toMatchObject({ pending: 0, delivered: 1 });
    expect((await rawRequest(sb, 'GET', `/1.0/sms/${SERVICE}/blacklists`)).json).toEqual(['+447911123456']);
  });

  it('keeps a deferred batch PENDING until its time, cancels it then, refuses to cancel once sending', async () => {
    const clock = manualClock();
    const sb = await start({ now: clock.now, batchDurationMs: 1000, creditsLeft: 50 });
    const deferred = new Date(clock.now() + 60_000).toISOString();
    const first = (await rawRequest(sb, 'POST', BATCHES, { body: { ...params, deferred } })).json as { id: string };
    const second = (await rawRequest(sb, 'POST', BATCHES, { body: { ...params, deferred } })).json as { id: string };
    clock.advance(30_000);
    expect(((await rawRequest(sb, 'GET', `${BATCHES}/${first.id}`)).json as { status: string }).status).toBe('PENDING');
    const canceled = await rawRequest(sb, 'POST', `${BATCHES}/${first.id}/cancel`);
    expect(canceled.status).toBe(200);
    expect((canceled.json as { status: string }).status).toBe('TO_CANCEL');
    clock.advance(1000);
    expect(((await rawRequest(sb, 'GET', `${BATCHES}/${first.id}`)).json as { status: string }).status).toBe('CANCELED');
    expect(((await rawRequest(sb, 'GET', `/1.0/sms/${SERVICE}`)).json as { creditsLeft: number }).creditsLeft).toBe(48);
    clock.advance(28_000);
    expect(((await rawRequest(sb, 'GET', `${BATCHES}/${second.id}`)).json as { status: string }).status).toBe('PENDING');
    clock.advance(1500);
    expect(((await rawRequest(sb, 'GET', `${BATCHES}/${second.id}`)).json as { status: string }).status).toBe('INSERTED');
    const tooLate = await rawRequest(sb, 'POST', `${BATCHES}/${second.id}/cancel`);
    expect(tooLate.status).toBe(400);
    expect(tooLate.json).toMatchObject({ class: 'Client::BadRequest' });
  });

  it('refuses to cancel a batch that was not deferred', async () => {
    const sb = await start();
    const created = (await rawRequest(sb, 'POST', BATCHES, { body: params })).json as { id: string };
    expect((await rawRequest(sb, 'POST', `${BATCHES}/${created.id}/cancel`)).status).toBe(400);
  });

  it('validates sms.BatchParams with OVH-like 400 messages', async () => {
    const sb = await start();
    const cases: [unknown, RegExp][] = [
      [{ from: 'ACME', to: ['+33612345678'] }, /Missing parameter\(s\): message/],
      [{ message: 'hi', to: ['+33612345678'] }, /"from" or "senderForResponse"/],
      [{ message: 'hi', from: 'ACME' }, /"to" or "slotID"/],
      [{ message: 'hi', from: 'ACME', to: ['+33612345678'], noStopClause: true }, /Unknown parameter\(s\): noStopClause/],
      [{ message: 'hi', from: null, to: ['+33612345678'] }, /\[from\]/],
      [{ message: 'hi', from: 'ACME', to: ['+33612345678'], deferred: 'tomorrow' }, /\[deferred\]/],
      [{ message: 'see https://x.io', senderForResponse: true, to: ['+33612345678'] }, /shortcode/],
    ];
    for (const [body, expected] of cases) {
      const response = await rawRequest(sb, 'POST', BATCHES, { body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect((response.json as { message: string }).message).toMatch(expected);
    }
    expect(sb.batches()).toHaveLength(0);
  });

  it('stores the message as submitted, decoding node-ovh’s \\u escapes', async () => {
    const sb = await start();
    const message = 'Été ☀️ "quoted"';
    const created = await rawRequest(sb, 'POST', BATCHES, { body: { ...params, message } });
    expect((created.json as { message: string }).message).toBe(message);
  });

  it('answers 404 with OVH’s message for unknown batches and services', async () => {
    const sb = await start();
    const missing = await rawRequest(sb, 'GET', `${BATCHES}/00000000-0000-4000-8000-000000000000`);
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({
      class: 'Client::NotFound',
      message: 'The requested object (id = 00000000-0000-4000-8000-000000000000) does not exist',
    });
    expect((await rawRequest(sb, 'GET', '/1.0/sms/sms-other-1')).status).toBe(404);
  });

  it('deletes a finished batch', async () => {
    const clock = manualClock();
    const sb = await start({ now: clock.now, batchDurationMs: 100 });
    const created = (await rawRequest(sb, 'POST', BATCHES, { body: params })).json as { id: string };
    clock.advance(200);
    const deleted = await rawRequest(sb, 'DELETE', `${BATCHES}/${created.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.text).toBe('');
    expect(sb.batches()).toEqual([]);
  });
});

describe('sandbox export', () => {
  it('serves the outgoing CSV once the document has been polled enough, STOP clause appended', async () => {
    const clock = manualClock(Date.parse('2026-03-02T09:00:00Z'));
    const sb = await start({ now: clock.now, batchDurationMs: 1000, documentReadyAfterPolls: 2 });
    const body = { name: 'n', message: 'Hello "friend"', from: 'ACME', tag: 'spring', to: ['+33612345678', '+33698765432'] };
    const created = (await rawRequest(sb, 'POST', BATCHES, { body, timestamp: Math.round(clock.now() / 1000) })).json as {
      id: string;
    };
    clock.advance(2000);
    const signedAtClock = () => ({ timestamp: Math.round(clock.now() / 1000) });
    const documentPath = `/1.0/sms/${SERVICE}/document?wayType=outgoing&batchID=${created.id}`;
    const documentId = (await rawRequest(sb, 'GET', documentPath, signedAtClock())).json;
    expect(typeof documentId).toBe('string');
    const poll = async () =>
      (await rawRequest(sb, 'GET', `/1.0/me/document/${documentId}`, signedAtClock())).json as { size: number; getUrl: string };
    expect((await poll()).size).toBe(0);
    expect((await poll()).size).toBe(0);
    const ready = await poll();
    expect(ready.size).toBeGreaterThan(0);
    const csv = await rawRequest(sb, 'GET', new URL(ready.getUrl).pathname, { applicationKey: null, consumerKey: null });
    expect(csv.status).toBe(200);
    expect(Buffer.byteLength(csv.text)).toBe(ready.size);
    expect(csv.text).toBe(
      'id;date;sender;receiver;ptt;operatorCode;descriptionDlr;tag;message;sentAt;deliveredAt\n' +
        '10000001;2026-03-02 09:00:00;"ACME";+33612345678;0;20815;"Success";"spring";"Hello ""friend""\nSTOP 36184";2026-03-02 09:00:01;2026-03-02 09:00:01\n' +
        '10000002;2026-03-02 09:00:00;"ACME";+33698765432;0;20815;"Success";"spring";"Hello ""friend""\nSTOP 36184";2026-03-02 09:00:01;2026-03-02 09:00:01\n',
    );
  });

  it('requires wayType', async () => {
    const sb = await start();
    const response = await rawRequest(sb, 'GET', `/1.0/sms/${SERVICE}/document`);
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ message: 'Missing parameter(s): wayType' });
  });
});

describe('sandbox faults', () => {
  it('answers a given status, then behaves normally once `times` is used up', async () => {
    const sb = await start({ faults: [{ path: /\/sms$/, kind: 'status', status: 429, times: 2 }] });
    expect((await rawRequest(sb, 'GET', '/1.0/sms')).status).toBe(429);
    expect((await rawRequest(sb, 'GET', '/1.0/sms')).status).toBe(429);
    expect((await rawRequest(sb, 'GET', '/1.0/sms')).status).toBe(200);
    expect(sb.requests.map((request) => request.status)).toEqual([429, 429, 200]);
  });

  it('drops the connection, or performs the request and loses the response', async () => {
    const sb = await start();
    sb.addFault({ method: 'POST', path: /\/batches$/, kind: 'drop' });
    const body = { message: 'hi', from: 'ACME', to: ['+33612345678'] };
    await expect(rawRequest(sb, 'POST', BATCHES, { body })).rejects.toThrow();
    expect(sb.batches()).toHaveLength(0);
    sb.addFault({ method: 'POST', path: /\/batches$/, kind: 'lose-response' });
    await expect(rawRequest(sb, 'POST', BATCHES, { body })).rejects.toThrow();
    expect(sb.batches()).toHaveLength(1);
    expect(sb.requests.map((request) => request.status)).toEqual([0, 0]);
  });

  it('delays answers', async () => {
    const sb = await start({ faults: [{ path: /\/sms$/, kind: 'latency', delayMs: 300 }] });
    const started = Date.now();
    expect((await rawRequest(sb, 'GET', '/1.0/sms')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });
});
