import { createHash } from 'node:crypto';
import https from 'node:https';
import { OvhApiError, type CurrentCredential } from '../account/index.js';
import { OvhConnection } from './client.js';
import { DEFAULT_TIMEOUT_MS, resolveEndpoint, type OvhSettings } from './settings.js';

const NAMED_HOSTS: Record<string, string> = { 'ovh-eu': 'eu.api.ovh.com', 'ovh-ca': 'ca.api.ovh.com', 'ovh-us': 'api.us.ovhcloud.com' };

function target(settings: OvhSettings): { host: string; port: number; basePath: string } {
  const endpoint = resolveEndpoint(settings.endpoint);
  if (endpoint.kind === 'url') return { host: endpoint.host, port: endpoint.port, basePath: endpoint.basePath };
  return { host: NAMED_HOSTS[endpoint.name] ?? endpoint.name, port: 443, basePath: '/1.0' };
}

function request(agent: https.Agent, options: https.RequestOptions, timeoutMs: number): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const sent = https.request({ ...options, agent, timeout: timeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = text ? JSON.parse(text) : null;
        } catch {
          body = text;
        }
        resolve({ status: response.statusCode ?? 0, body });
      });
    });
    sent.on('timeout', () => sent.destroy(new Error('timeout')));
    sent.on('error', (error) =>
      reject(
        error.message === 'timeout'
          ? new OvhApiError(`OVH API ${options.path} timed out`, 'timeout')
          : new OvhApiError(
              `OVH API ${options.path} failed: network error ${(error as NodeJS.ErrnoException).code ?? error.message}`,
              'network',
            ),
      ),
    );
    sent.end();
  });
}

/**
 * GET /auth/currentCredential: the consumer key's status and access rules. node-ovh sends paths containing `/auth`
 * unsigned, which OVH refuses for this route, so an application key signs it here, as OVH's signature rule says.
 */
export async function readCurrentCredential(settings: OvhSettings): Promise<CurrentCredential> {
  const connection = new OvhConnection(settings);
  const { credentials } = settings;
  if (credentials.kind === 'oauth2') return connection.get<CurrentCredential>('/auth/currentCredential');
  const timeoutMs = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const { host, port, basePath } = target(settings);
  const time = await request(connection.agent, { host, port, method: 'GET', path: `${basePath}/auth/time` }, timeoutMs);
  if (time.status !== 200 || typeof time.body !== 'number') throw new OvhApiError('OVH API GET /auth/time failed', 'http', time.status);
  const timestamp = String(time.body);
  const path = `${basePath}/auth/currentCredential`;
  const signed = [credentials.applicationSecret, credentials.consumerKey, 'GET', `https://${host}${path}`, '', timestamp].join('+');
  const answer = await request(
    connection.agent,
    {
      host,
      port,
      method: 'GET',
      path,
      headers: {
        'Content-Type': 'application/json',
        'X-Ovh-Application': credentials.applicationKey,
        'X-Ovh-Consumer': credentials.consumerKey,
        'X-Ovh-Timestamp': timestamp,
        'X-Ovh-Signature': `$1$${createHash('sha1').update(signed).digest('hex')}`,
      },
    },
    timeoutMs,
  );
  if (answer.status !== 200) {
    const message =
      typeof answer.body === 'object' && answer.body !== null && 'message' in answer.body
        ? String((answer.body as { message: unknown }).message)
        : `HTTP ${answer.status}`;
    throw new OvhApiError(`OVH API GET /auth/currentCredential failed with HTTP ${answer.status}: ${message}`, 'http', answer.status);
  }
  return answer.body as CurrentCredential;
}
