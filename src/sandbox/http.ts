import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a route answers; the server turns it into an HTTP response. */
export interface Reply {
  status: number;
  body: unknown;
  /** With a content type, the body is sent as it is: text or chunks (a document). */
  contentType?: string;
  headers?: Record<string, string>;
}

export const json = (status: number, body: unknown): Reply => ({ status, body });
export const apiError = (status: number, errorClass: string | undefined, message: string): Reply =>
  json(status, errorClass ? { class: errorClass, message } : { message });
export const routeNotFound = (): Reply => apiError(404, 'Client::NotFound', 'Got an invalid (or empty) URL');

function queryId(): string {
  return `SANDBOX.ext-1.${randomBytes(8).toString('hex')}`;
}

export function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** Resolves when the response can take more, or is gone. */
function drained(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}

/** Writes a reply as OVH would: JSON with a query id, or a document streamed in chunks with backpressure. */
export async function sendReply(response: ServerResponse, reply: Reply): Promise<void> {
  if (reply.contentType && typeof reply.body === 'object' && reply.body !== null) {
    response.writeHead(reply.status, { 'Content-Type': reply.contentType, 'X-Ovh-QueryID': queryId(), ...reply.headers });
    for (const chunk of reply.body as Iterable<string | Buffer>) {
      if (!response.write(chunk)) await drained(response);
      if (response.destroyed) return;
    }
    response.end();
    return;
  }
  const payload = reply.contentType ? String(reply.body) : reply.body === null ? '' : JSON.stringify(reply.body);
  response.writeHead(reply.status, {
    'Content-Type': reply.contentType ?? 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(payload),
    'X-Ovh-QueryID': queryId(),
    ...reply.headers,
  });
  response.end(payload);
}
