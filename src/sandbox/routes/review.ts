import { json } from '../http.js';
import type { Route } from '../router.js';
import { API, type SandboxParts } from './parts.js';

/** What a reviewer's checks read: destination rates, the message estimate, the STOP list, the senders. */
export function reviewRoutes({ simulator, review }: SandboxParts): Route[] {
  return [
    { method: 'GET', path: `${API}/sms/rates/destinations`, handle: ({ query }) => json(200, review.destinationRate(query)) },
    { method: 'POST', path: `${API}/sms/estimate`, handle: (request) => json(200, review.estimate(request.json())) },
    {
      method: 'GET',
      path: `${API}/sms/:service/blacklists`,
      handle: ({ param, query }) => json(200, review.blacklistNumbers(simulator.service(param('service')).blacklist, query)),
    },
    {
      method: 'GET',
      path: `${API}/sms/:service/blacklists/:number`,
      handle: ({ param }) => json(200, review.blacklistItem(simulator.service(param('service')).blacklist, param('number'))),
    },
    {
      method: 'GET',
      path: `${API}/sms/:service/senders`,
      handle: ({ param }) => {
        simulator.service(param('service'));
        return json(200, review.senderNames());
      },
    },
    {
      method: 'GET',
      path: `${API}/sms/:service/senders/:sender`,
      handle: ({ param }) => {
        simulator.service(param('service'));
        return json(200, review.sender(param('sender')));
      },
    },
  ];
}
