import { json } from '../http.js';
import type { Route } from '../router.js';
import { API, type SandboxParts } from './parts.js';

const RECEIVERS = `${API}/sms/:service/receivers`;

/** A service's receivers lists (slots): list, create from an uploaded document, read, delete. */
export function receiversRoutes({ simulator }: SandboxParts): Route[] {
  return [
    { method: 'GET', path: RECEIVERS, handle: ({ param }) => json(200, simulator.listReceivers(param('service'))) },
    {
      method: 'POST',
      path: RECEIVERS,
      handle: (request) => json(200, simulator.createReceivers(request.param('service'), request.json(), request.now)),
    },
    {
      method: 'GET',
      path: `${RECEIVERS}/:slot`,
      handle: ({ param }) => json(200, simulator.getReceivers(param('service'), param('slot'))),
    },
    {
      method: 'DELETE',
      path: `${RECEIVERS}/:slot`,
      handle: ({ param }) => {
        simulator.deleteReceivers(param('service'), param('slot'));
        return json(200, null);
      },
    },
  ];
}
