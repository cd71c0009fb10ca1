import { apiError, json } from '../http.js';
import type { Route } from '../router.js';
import { API, type SandboxParts } from './parts.js';

/** Exports (`/sms/{sn}/document`), uploads (`/me/document`), and the unauthenticated links that serve and take their content. */
export function documentRoutes({ simulator, documentUrl }: SandboxParts): Route[] {
  return [
    {
      method: 'GET',
      path: `${API}/sms/:service/document`,
      handle: ({ param, query, now }) => json(200, simulator.requestDocument(param('service'), query, now)),
    },
    {
      method: 'POST',
      path: `${API}/me/document`,
      handle: (request) => json(200, simulator.createDocument(request.json(), request.now, documentUrl)),
    },
    {
      method: 'GET',
      path: `${API}/me/document/:id`,
      handle: ({ param, now }) => json(200, simulator.getDocument(param('id'), now, documentUrl(param('id')))),
    },
    {
      method: 'DELETE',
      path: `${API}/me/document/:id`,
      handle: ({ param }) => {
        simulator.deleteDocument(param('id'));
        return json(200, null);
      },
    },
    {
      method: 'GET',
      path: '/documents/:id',
      open: true,
      handle: ({ param, now }) => {
        const content = simulator.documentContent(param('id'), now);
        return content === null
          ? apiError(404, undefined, 'No such document')
          : { status: 200, body: content, contentType: 'text/csv; charset=utf-8' };
      },
    },
    {
      method: 'PUT',
      path: '/documents/:id',
      open: true,
      handle: ({ param, raw }) =>
        simulator.uploadDocument(param('id'), raw) ? json(200, null) : apiError(404, undefined, 'No such document'),
    },
  ];
}
