import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { rawRequest } from './helpers.js';
import { SCHEMA_DIR, checkValue, loadSchemas } from './schema-checker.js';

const schema = loadSchemas();
if (!schema) throw new Error(`OVH's schema files are missing from ${SCHEMA_DIR}`);
const SERVICE = 'sms-sandbox-1';

describe('sandbox review routes: rates, estimate, STOP list, senders', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ batchDurationMs: 1000, blacklist: ['+33698765432'] });
  });
  afterAll(() => sandbox?.stop());

  async function ok(method: string, path: string, body?: unknown) {
    const response = await rawRequest(sandbox, method, path, { body });
    expect(response.status, `${method} ${path}: ${response.text}`).toBe(200);
    const type = schema!.responseType(method, path.slice('/1.0'.length));
    expect(checkValue(schema!, type, response.json), `${method} ${path} as ${type}`).toEqual([]);
    return response.json;
  }

  it('prices a few destinations at different rates, with sms.DestinationRates', async () => {
    const france = (await ok('GET', '/1.0/sms/rates/destinations?country=fr')) as { credit: number; countryCode: string };
    const belgium = (await ok('GET', '/1.0/sms/rates/destinations?country=be')) as { credit: number };
    const britain = (await ok('GET', '/1.0/sms/rates/destinations?country=gb')) as { credit: number };
    expect(france).toMatchObject({ countryCode: 'fr', credit: 1 });
    expect(new Set([france.credit, belgium.credit, britain.credit]).size).toBe(3);
    expect((await rawRequest(sandbox, 'GET', '/1.0/sms/rates/destinations?country=cd')).status).toBe(404);
    expect((await rawRequest(sandbox, 'GET', '/1.0/sms/rates/destinations')).status).toBe(400);
  });

  it('estimates parts with the STOP clause as sms.JobEstimate, all three body fields required', async () => {
    const short = await ok('POST', '/1.0/sms/estimate', { message: 'Hello', noStopClause: false, senderType: 'alpha' });
    expect(short).toEqual({ characters: 16, charactersClass: '7bits', maxCharactersPerPart: 160, parts: 1 });
    const long = await ok('POST', '/1.0/sms/estimate', {
      message: 'é€'.repeat(10) + 'x'.repeat(150),
      noStopClause: true,
      senderType: 'numeric',
    });
    expect(long).toMatchObject({ charactersClass: '7bits', parts: 2, maxCharactersPerPart: 153 });
    const unicode = await ok('POST', '/1.0/sms/estimate', { message: 'Salut 👋', noStopClause: true, senderType: 'alpha' });
    expect(unicode).toMatchObject({ charactersClass: 'unicode', parts: 1, maxCharactersPerPart: 70 });
    const missing = await rawRequest(sandbox, 'POST', '/1.0/sms/estimate', { body: { message: 'Hello' } });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('noStopClause, senderType');
  });

  it('lists the STOP list and shows one item as sms.Blacklist', async () => {
    expect(await ok('GET', `/1.0/sms/${SERVICE}/blacklists`)).toEqual(['+33698765432']);
    const item = await ok('GET', `/1.0/sms/${SERVICE}/blacklists/${encodeURIComponent('+33698765432')}`);
    expect(item).toMatchObject({ number: '+33698765432', batchID: null });
    expect((await rawRequest(sandbox, 'GET', `/1.0/sms/${SERVICE}/blacklists/${encodeURIComponent('+33612345678')}`)).status).toBe(404);
  });

  it('has a refused sender with the moderator comment, one waiting for validation, and accepts any other', async () => {
    expect(await ok('GET', `/1.0/sms/${SERVICE}/senders`)).toEqual(['SPAMSHOP', 'NEWBRAND']);
    expect(await ok('GET', `/1.0/sms/${SERVICE}/senders/SPAMSHOP`)).toMatchObject({
      status: 'refused',
      comment: expect.stringContaining('refused'),
    });
    expect(await ok('GET', `/1.0/sms/${SERVICE}/senders/NEWBRAND`)).toMatchObject({ status: 'waitingValidation', comment: null });
    expect(await ok('GET', `/1.0/sms/${SERVICE}/senders/ACME`)).toMatchObject({ status: 'enable', type: 'alpha' });
  });

  it('refuses to create a batch from a sender that is not enabled, as OVH does', async () => {
    const refused = await rawRequest(sandbox, 'POST', `/1.0/sms/${SERVICE}/batches`, {
      body: { message: 'Hi', from: 'SPAMSHOP', to: ['+33612345678'] },
    });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('SPAMSHOP');
    expect(sandbox.batches()).toHaveLength(0);
  });

  it('answers 403 "not granted" on any of these routes by fault injection', async () => {
    for (const path of [
      '/1.0/sms/rates/destinations',
      '/1.0/sms/estimate',
      `/1.0/sms/${SERVICE}/blacklists`,
      `/1.0/sms/${SERVICE}/senders/ACME`,
    ]) {
      sandbox.addFault({ path: new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`), kind: 'status', status: 403 });
    }
    const answers = await Promise.all([
      rawRequest(sandbox, 'GET', '/1.0/sms/rates/destinations?country=fr'),
      rawRequest(sandbox, 'POST', '/1.0/sms/estimate', { body: { message: 'x', noStopClause: true, senderType: 'alpha' } }),
      rawRequest(sandbox, 'GET', `/1.0/sms/${SERVICE}/blacklists`),
      rawRequest(sandbox, 'GET', `/1.0/sms/${SERVICE}/senders/ACME`),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(403);
      expect(answer.json).toEqual({ class: 'Client::Forbidden', message: 'This call has not been granted' });
    }
  });
});

describe('sandbox with an exact sender list', () => {
  it('answers 404 for a sender the account does not have', async () => {
    const sandbox = await startSandbox({ senders: [{ sender: 'ACME', status: 'enable' }] });
    try {
      expect((await rawRequest(sandbox, 'GET', `/1.0/sms/${SERVICE}/senders/ACME`)).json).toMatchObject({ status: 'enable' });
      expect((await rawRequest(sandbox, 'GET', `/1.0/sms/${SERVICE}/senders/OTHER`)).status).toBe(404);
    } finally {
      await sandbox.stop();
    }
  });
});
