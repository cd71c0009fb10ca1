import { describe, expect, it } from 'vitest';
import { OvhApiError, OvhConfigError, chooseService, ovhSettingsFromEnv, resolveEndpoint, secretValues } from '../../src/ovh/index.js';
import { normaliseRejection } from '../../src/ovh/errors.js';
import { backoffDelayMs, isRetryable } from '../../src/account/index.js';

const application = { OVH_APPLICATION_KEY: 'ak', OVH_APPLICATION_SECRET: 'as', OVH_CONSUMER_KEY: 'ck' };

describe('ovhSettingsFromEnv', () => {
  it('is null without any credentials, even with an endpoint or service set (offline plan)', () => {
    expect(ovhSettingsFromEnv({})).toBeNull();
    expect(ovhSettingsFromEnv({ OVH_ENDPOINT: 'ovh-ca', OVH_SMS_SERVICE_NAME: 'sms-x', OVH_CLIENT_ID: '  ' })).toBeNull();
  });

  it('reads application-key credentials, default endpoint ovh-eu', () => {
    expect(ovhSettingsFromEnv({ ...application, OVH_SMS_SERVICE_NAME: 'sms-ab12345-1' })).toEqual({
      endpoint: 'ovh-eu',
      serviceName: 'sms-ab12345-1',
      credentials: { kind: 'application', applicationKey: 'ak', applicationSecret: 'as', consumerKey: 'ck' },
    });
  });

  it('reads OAuth2 credentials and a URL endpoint', () => {
    expect(ovhSettingsFromEnv({ OVH_CLIENT_ID: 'id', OVH_CLIENT_SECRET: 'secret', OVH_ENDPOINT: 'https://127.0.0.1:8443' })).toEqual({
      endpoint: 'https://127.0.0.1:8443',
      serviceName: null,
      credentials: { kind: 'oauth2', clientId: 'id', clientSecret: 'secret' },
    });
  });

  it('names the missing variables of partial credentials', () => {
    expect(() => ovhSettingsFromEnv({ OVH_APPLICATION_KEY: 'ak', OVH_CONSUMER_KEY: '' })).toThrow(
      new OvhConfigError('Incomplete OVH credentials: OVH_APPLICATION_SECRET, OVH_CONSUMER_KEY not set'),
    );
    expect(() => ovhSettingsFromEnv({ OVH_CLIENT_SECRET: 's' })).toThrow(/OVH_CLIENT_ID not set/);
  });

  it('refuses mixed credential kinds and unknown endpoints', () => {
    expect(() => ovhSettingsFromEnv({ ...application, OVH_CLIENT_ID: 'id' })).toThrow(OvhConfigError);
    expect(() => ovhSettingsFromEnv({ ...application, OVH_ENDPOINT: 'ovh-mars' })).toThrow(/Unknown OVH endpoint "ovh-mars"/);
    expect(() => ovhSettingsFromEnv({ ...application, OVH_ENDPOINT: 'http://127.0.0.1:8080' })).toThrow(/must use https/);
  });
});

describe('resolveEndpoint', () => {
  it('keeps OVH names and splits URLs into host, port and base path', () => {
    expect(resolveEndpoint('ovh-us')).toEqual({ kind: 'named', name: 'ovh-us' });
    expect(resolveEndpoint('https://127.0.0.1:8443')).toEqual({
      kind: 'url',
      host: '127.0.0.1',
      port: 8443,
      basePath: '/1.0',
      origin: 'https://127.0.0.1:8443',
    });
    expect(resolveEndpoint('https://api.example.test/v1/')).toMatchObject({ host: 'api.example.test', port: 443, basePath: '/v1' });
  });
});

describe('secretValues', () => {
  it('lists every credential value of either kind', () => {
    const fromEnv = ovhSettingsFromEnv(application)!;
    expect(secretValues(fromEnv).sort()).toEqual(['ak', 'as', 'ck']);
    expect(
      secretValues({ endpoint: 'ovh-eu', serviceName: null, credentials: { kind: 'oauth2', clientId: 'i', clientSecret: 's' } }).sort(),
    ).toEqual(['i', 's']);
  });
});

describe('chooseService', () => {
  it('takes the only service, or the named one', () => {
    expect(chooseService(['sms-a-1'], null)).toBe('sms-a-1');
    expect(chooseService(['sms-a-1', 'sms-b-1'], 'sms-b-1')).toBe('sms-b-1');
  });

  it('lists the services when several exist and none is chosen, or the chosen one is absent', () => {
    expect(() => chooseService(['sms-a-1', 'sms-b-1'], null)).toThrow(/2 SMS services \(sms-a-1, sms-b-1\).*OVH_SMS_SERVICE_NAME/);
    expect(() => chooseService(['sms-a-1'], 'sms-z-9')).toThrow(/"sms-z-9".*available: sms-a-1/);
    expect(() => chooseService([], null)).toThrow(/no SMS service/);
  });
});

describe('normaliseRejection', () => {
  const context = { method: 'GET', path: '/sms', elapsedMs: 10, timeoutMs: 1000 };

  it('maps node-ovh’s rejection shapes onto OvhApiError kinds', () => {
    const http = normaliseRejection({ error: 404, message: 'The requested object (id = x) does not exist' }, context);
    expect(http).toMatchObject({
      kind: 'http',
      status: 404,
      message: 'OVH API GET /sms failed with HTTP 404: The requested object (id = x) does not exist',
    });
    expect(normaliseRejection({ error: -111 }, context)).toMatchObject({
      kind: 'network',
      message: expect.stringContaining('ECONNREFUSED'),
    });
    expect(normaliseRejection({ error: '[OVH] Unable to fetch OVH API time' }, context)).toMatchObject({
      kind: 'network',
      message: 'OVH API GET /sms failed: Unable to fetch OVH API time',
    });
    expect(normaliseRejection({ error: '[OVH] Unable to parse JSON reponse' }, context)).toMatchObject({ kind: 'http', status: null });
    const hangUp = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(normaliseRejection({ error: hangUp }, context).kind).toBe('network');
    expect(normaliseRejection({ error: hangUp }, { ...context, elapsedMs: 1001 }).kind).toBe('timeout');
    const oauth = normaliseRejection({ error: { statusCode: 401, error: 'Unauthorized', message: { error: 'invalid_client' } } }, context);
    expect(oauth).toMatchObject({ kind: 'http', status: 401, message: 'OVH OAuth2 token request failed with HTTP 401: invalid_client' });
  });

  it('retries rate limiting, server errors, network and timeouts only', () => {
    expect(isRetryable(new OvhApiError('x', 'http', 429))).toBe(true);
    expect(isRetryable(new OvhApiError('x', 'http', 503))).toBe(true);
    expect(isRetryable(new OvhApiError('x', 'timeout'))).toBe(true);
    expect(isRetryable(new OvhApiError('x', 'http', 400))).toBe(false);
    expect(isRetryable(new OvhApiError('x', 'http', 404))).toBe(false);
  });

  it('backs off exponentially with jitter between half and the full delay', () => {
    const policy = { attempts: 4, baseDelayMs: 100 };
    expect([1, 2, 3].map((retry) => backoffDelayMs(policy, retry, () => 0))).toEqual([50, 100, 200]);
    expect([1, 2, 3].map((retry) => backoffDelayMs(policy, retry, () => 1))).toEqual([100, 200, 400]);
  });
});
