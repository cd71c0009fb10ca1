import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxAccess } from './access.js';
import { htmlFaultReply, statusFaultReply, type FaultBook } from './faults.js';
import { apiError, json, readBody, routeNotFound, sendReply, type Reply } from './http.js';
import { SandboxHttpError } from './http-error.js';
import { routeContext, type Router } from './router.js';
import { API } from './routes/index.js';

export interface SandboxRequest {
  method: string;
  /** Path and query as received, e.g. /1.0/sms/sms-sandbox-1/document?wayType=outgoing&batchID=… */
  path: string;
  /** HTTP status answered; 0 when the connection was dropped without an answer. */
  status: number;
}

/** Answers one request: open routes as they are, API routes once authenticated; OVH's errors as OVH renders them. */
export function dispatcher(router: Router, access: SandboxAccess, serverNow: () => number) {
  return (request: IncomingMessage, pathname: string, target: string, raw: Buffer): Reply => {
    const method = request.method ?? 'GET';
    const now = serverNow();
    const found = router.match(method, pathname);
    const run = (): Reply => {
      if (found === null) return routeNotFound();
      try {
        return found.route.handle(routeContext(request, target, raw, found.params, now));
      } catch (error) {
        if (error instanceof SandboxHttpError) return apiError(error.status, error.errorClass, error.message);
        throw error;
      }
    };
    if (found?.route.open) return run();
    if (!pathname.startsWith(`${API}/`)) return routeNotFound();
    const refused = access.authenticate(request, target, raw.toString('utf8'), now);
    return refused ? json(refused.status, refused.body) : run();
  };
}

export interface Exchange {
  faults: FaultBook;
  requests: SandboxRequest[];
  answer(request: IncomingMessage, pathname: string, target: string, raw: Buffer): Reply;
}

const pause = (ms: number | undefined) => new Promise((resolve) => setTimeout(resolve, ms ?? 1000));

/** One HTTP exchange: reads the body, applies a matching fault around the answer, records it, writes the reply. */
export async function serve(request: IncomingMessage, response: ServerResponse, { faults, requests, answer }: Exchange): Promise<void> {
  const method = request.method ?? 'GET';
  const target = request.url ?? '/';
  const pathname = target.split('?')[0]!;
  const body = await readBody(request);
  const record = (status: number) => requests.push({ method, path: target, status });
  const fault = faults.take(method, pathname);
  const handled = (): Reply => {
    try {
      return answer(request, pathname, target, body);
    } catch (error) {
      return apiError(500, 'Server::InternalServerError', `Sandbox failure: ${(error as Error).message}`);
    }
  };
  if (fault?.kind === 'latency') await pause(fault.delayMs);
  if (fault?.kind === 'drop') {
    record(0);
    request.socket.destroy();
    return;
  }
  let reply: Reply;
  if (fault?.kind === 'status') {
    reply = statusFaultReply(fault);
  } else if (fault?.kind === 'html') {
    if (fault.afterCommit) handled();
    reply = htmlFaultReply(fault);
  } else {
    reply = handled();
  }
  if (fault?.kind === 'slow-answer') await pause(fault.delayMs);
  if (fault?.kind === 'lose-response') {
    record(0);
    request.socket.destroy();
    return;
  }
  record(reply.status);
  await sendReply(response, reply);
}
