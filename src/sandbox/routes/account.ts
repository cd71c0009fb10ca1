import { json } from '../http.js';
import type { Route } from '../router.js';
import { API, type SandboxParts } from './parts.js';

/** The clock, OAuth2 tokens, the token's rules, the services and their accounts. */
export function accountRoutes({ simulator, review, access }: SandboxParts): Route[] {
  return [
    { method: 'GET', path: `${API}/auth/time`, open: true, handle: ({ now }) => json(200, Math.round(now / 1000)) },
    {
      method: 'POST',
      path: '/auth/oauth2/token',
      open: true,
      handle: ({ request, raw }) => access.issueToken(request, raw.toString('utf8')),
    },
    { method: 'GET', path: `${API}/auth/currentCredential`, handle: ({ now }) => json(200, review.currentCredential(now)) },
    { method: 'GET', path: `${API}/sms`, handle: () => json(200, simulator.serviceNames()) },
    { method: 'GET', path: `${API}/sms/:service`, handle: ({ param, now }) => json(200, simulator.account(param('service'), now)) },
  ];
}
