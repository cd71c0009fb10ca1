import { json } from '../http.js';
import type { Route } from '../router.js';
import { API, type SandboxParts } from './parts.js';

const BATCHES = `${API}/sms/:service/batches`;

/** A service's batches: list, create, read, delete, cancel, statistics. */
export function batchRoutes({ simulator }: SandboxParts): Route[] {
  return [
    { method: 'GET', path: BATCHES, handle: ({ param, now }) => json(200, simulator.listBatches(param('service'), now)) },
    {
      method: 'POST',
      path: BATCHES,
      handle: (request) => json(200, simulator.createBatch(request.param('service'), request.json(), request.now)),
    },
    {
      method: 'GET',
      path: `${BATCHES}/:id`,
      handle: ({ param, now }) => json(200, simulator.getBatch(param('service'), param('id'), now)),
    },
    {
      method: 'DELETE',
      path: `${BATCHES}/:id`,
      handle: ({ param, now }) => {
        simulator.deleteBatch(param('service'), param('id'), now);
        return json(200, null);
      },
    },
    {
      method: 'POST',
      path: `${BATCHES}/:id/cancel`,
      handle: ({ param, now }) => json(200, simulator.cancelBatch(param('service'), param('id'), now)),
    },
    {
      method: 'GET',
      path: `${BATCHES}/:id/statistics`,
      handle: ({ param, now }) => json(200, simulator.statistics(param('service'), param('id'), now)),
    },
  ];
}
