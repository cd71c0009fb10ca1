import type { IncomingMessage } from 'node:http';
import type https from 'node:https';
import { request as httpsRequest } from 'node:https';
import querystring from 'node:querystring';

/** node-ovh's completion callback: (HTTP status, message), (error), or (null, body). */
type Callback = (error: unknown, response?: unknown) => void;

interface OAuthToken {
  token: { access_token: string };
  expired(withinSeconds: number): boolean;
}

/** What of a node-ovh client the transport reads or keeps: endpoint, credentials, signer, clock offset, OAuth2 token. */
export interface NodeOvhClient {
  host: string;
  port: number;
  appKey?: string;
  consumerKey?: string | null;
  apiTimeDiff: number | null;
  oauthConfig?: unknown;
  oauthClient?: { getToken(params: { scope: string }): Promise<OAuthToken> };
  accessToken?: OAuthToken;
  getFullPath(path: string): string;
  signRequest(method: string, url: string, body: string | null, timestamp: number): string;
  request(method: string, path: string, params: Record<string, unknown> | undefined, callback: Callback): unknown;
}

/**
 * Makes one node-ovh client send through `agent`: node-ovh takes no agent option and would use https.globalAgent,
 * so trusting a certificate for it would mean trusting it process-wide. Signing, the /auth/time offset, the OAuth2
 * token and the callback contract stay node-ovh's.
 */
export function sendThrough(
  client: NodeOvhClient,
  agent: https.Agent,
  observe: (response: IncomingMessage) => void = () => undefined,
): void {
  client.request = (method, path, params, callback) => {
    send(client, agent, method, path, params, callback, observe).catch((error: unknown) => callback(error));
  };
}

async function send(
  client: NodeOvhClient,
  agent: https.Agent,
  method: string,
  path: string,
  params: Record<string, unknown> | undefined,
  callback: Callback,
  /** Sees each answer's status and headers (node-ovh's callback contract carries neither). */
  observe: (response: IncomingMessage) => void = () => undefined,
): Promise<void> {
  if (!client.oauthConfig && client.apiTimeDiff === null && path !== '/auth/time') {
    await send(client, agent, 'GET', '/auth/time', undefined, (error, time) => {
      if (error) return callback('[OVH] Unable to fetch OVH API time');
      client.apiTimeDiff = Number(time) - Math.round(Date.now() / 1000);
      send(client, agent, method, path, params, callback, observe).catch((failure: unknown) => callback(failure));
    });
    return;
  }
  const hasParams = params !== undefined && Object.keys(params).length > 0;
  const inBody = method === 'POST' || method === 'PUT';
  // ASCII only, as node-ovh sends it: the signature covers these exact bytes.
  const body =
    hasParams && inBody
      ? JSON.stringify(params).replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
      : null;
  const fullPath =
    client.getFullPath(path) + (hasParams && !inBody ? `?${querystring.stringify(params as querystring.ParsedUrlQueryInput)}` : '');

  const headers: Record<string, string | number> = {};
  if (body !== null) headers['Content-Length'] = body.length;
  if (client.oauthConfig && client.oauthClient) {
    if (!client.accessToken || client.accessToken.expired(10)) {
      try {
        client.accessToken = await client.oauthClient.getToken({ scope: 'all' });
      } catch (error) {
        const failure = error as { output?: { statusCode?: number; payload?: { error?: unknown } }; data?: { payload?: unknown } };
        return callback({ statusCode: failure.output?.statusCode, error: failure.output?.payload?.error, message: failure.data?.payload });
      }
    }
    headers['Authorization'] = `Bearer ${client.accessToken.token.access_token}`;
    if (body !== null) headers['Content-Type'] = 'application/json';
  } else {
    headers['Content-Type'] = 'application/json';
    headers['X-Ovh-Application'] = client.appKey ?? '';
    if (!path.includes('/auth')) {
      const timestamp = Math.round(Date.now() / 1000) + (client.apiTimeDiff ?? 0);
      headers['X-Ovh-Timestamp'] = timestamp;
      if (typeof client.consumerKey === 'string') {
        headers['X-Ovh-Consumer'] = client.consumerKey;
        headers['X-Ovh-Signature'] = client.signRequest(method, `https://${client.host}${fullPath}`, body, timestamp);
      }
    }
  }

  const request = httpsRequest({ host: client.host, port: client.port, method, path: fullPath, headers, agent }, (response) => {
    observe(response);
    let text = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => (text += chunk));
    response.on('end', () => {
      let parsed: unknown = null;
      if (text.length > 0) {
        try {
          parsed = JSON.parse(text);
        } catch {
          return callback('[OVH] Unable to parse JSON reponse');
        }
      }
      const status = response.statusCode ?? 0;
      if (status < 200 || status > 299) return callback(status, (parsed as { message?: unknown } | null)?.message ?? parsed);
      callback(null, parsed);
    });
  });
  request.on('error', (error: NodeJS.ErrnoException) => callback(error.errno || error));
  if (body !== null) request.write(body);
  request.end();
}
