import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { checkApplicationRequest, unauthenticated, type ApplicationCredentials, type AuthFailure } from './auth.js';
import { json, type Reply } from './http.js';

/** Who may call the sandbox: one application key (signed requests) and one OAuth2 client (bearer tokens). */
export class SandboxAccess {
  readonly credentials: ApplicationCredentials = {
    applicationKey: `sandbox-ak-${randomBytes(6).toString('hex')}`,
    applicationSecret: `sandbox-as-${randomBytes(12).toString('hex')}`,
    consumerKey: `sandbox-ck-${randomBytes(12).toString('hex')}`,
  };
  readonly oauthClient = { clientId: `sandbox-client-${randomBytes(6).toString('hex')}`, clientSecret: randomBytes(16).toString('hex') };
  private readonly accessTokens = new Set<string>();

  /** null when the request is a valid bearer token's or a valid signed request at the server's clock. */
  authenticate(request: IncomingMessage, target: string, body: string, nowMs: number): AuthFailure | null {
    const authorization = request.headers.authorization;
    if (authorization?.startsWith('Bearer ')) {
      return this.accessTokens.has(authorization.slice('Bearer '.length)) ? null : unauthenticated();
    }
    return checkApplicationRequest(
      {
        method: request.method ?? 'GET',
        target,
        host: request.headers.host ?? '127.0.0.1',
        headers: request.headers,
        body,
        nowSeconds: Math.round(nowMs / 1000),
      },
      this.credentials,
    );
  }

  /** POST /auth/oauth2/token with the client-credentials grant, the client in Basic auth or in the form. */
  issueToken(request: IncomingMessage, body: string): Reply {
    const authorization = request.headers.authorization ?? '';
    const decoded = authorization.startsWith('Basic ') ? Buffer.from(authorization.slice(6), 'base64').toString('utf8') : '';
    const form = new URLSearchParams(body);
    const [id, secret] = decoded.includes(':')
      ? [decodeURIComponent(decoded.slice(0, decoded.indexOf(':'))), decodeURIComponent(decoded.slice(decoded.indexOf(':') + 1))]
      : [form.get('client_id') ?? '', form.get('client_secret') ?? ''];
    if (form.get('grant_type') !== 'client_credentials') {
      return json(400, { error: 'unsupported_grant_type', error_description: 'Only client_credentials is supported' });
    }
    if (id !== this.oauthClient.clientId || secret !== this.oauthClient.clientSecret) {
      return json(401, { error: 'invalid_client', error_description: 'Client authentication failed' });
    }
    const token = randomBytes(24).toString('hex');
    this.accessTokens.add(token);
    return json(200, { access_token: token, token_type: 'Bearer', expires_in: 3600, scope: 'all' });
  }
}
