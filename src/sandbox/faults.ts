import { apiError, type Reply } from './http.js';

/**
 * What a fault does to a matching request; "before" faults leave the account untouched, "after" ones act on it first.
 * - latency: waits `delayMs`, then handles the request (it takes effect late).
 * - slow-answer: handles the request at once, answers `delayMs` later.
 * - status: answers `status` (default 500) as OVH would, without handling the request.
 * - html: answers `status` (default 502) with a proxy's HTML page; handled first when `afterCommit`.
 * - drop: closes the connection without handling the request.
 * - lose-response: handles the request, then closes the connection without answering.
 */
export type SandboxFaultKind = 'latency' | 'slow-answer' | 'status' | 'html' | 'drop' | 'lose-response';

export interface SandboxFault {
  method?: string;
  /** Tested against the request path with its /1.0 prefix and without the query, e.g. /1.0/sms/x/batches. */
  path: RegExp;
  kind: SandboxFaultKind;
  status?: number;
  /** The error message of a `status` fault (default "Sandbox fault: HTTP <status>"). */
  message?: string;
  /** With status 429: the Retry-After header, in seconds. */
  retryAfterSeconds?: number;
  delayMs?: number;
  /** For `html`: the request takes effect before the error page is answered. */
  afterCommit?: boolean;
  /** How many matching requests it affects; default 1. */
  times?: number;
}

/** A fault as it was applied to one request. */
export interface InjectedFault {
  kind: SandboxFaultKind;
  method: string;
  path: string;
  status: number | null;
  afterCommit: boolean;
}

/** The faults still to inject, and the record of those injected. */
export class FaultBook {
  private readonly pending: (SandboxFault & { remaining: number })[] = [];
  readonly injected: InjectedFault[] = [];

  constructor(faults: readonly SandboxFault[]) {
    for (const fault of faults) this.add(fault);
  }

  add(fault: SandboxFault): void {
    this.pending.push({ ...fault, remaining: fault.times ?? 1 });
  }

  /** The first fault matching the request, counted as used once. */
  take(method: string, pathname: string): SandboxFault | null {
    const index = this.pending.findIndex(
      (fault) => (fault.method === undefined || fault.method.toUpperCase() === method) && fault.path.test(pathname),
    );
    if (index < 0) return null;
    const fault = this.pending[index]!;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.pending.splice(index, 1);
    this.injected.push({ kind: fault.kind, method, path: pathname, status: fault.status ?? null, afterCommit: fault.afterCommit === true });
    return fault;
  }
}

/** The error OVH would answer for a `status` fault. */
export function statusFaultReply(fault: SandboxFault): Reply {
  const status = fault.status ?? 500;
  const reply =
    status === 429
      ? apiError(429, 'Client::TooManyRequests', 'Too many requests')
      : status === 403
        ? apiError(403, 'Client::Forbidden', fault.message ?? 'This call has not been granted')
        : apiError(
            status,
            status >= 500 ? 'Server::InternalServerError' : 'Client::BadRequest',
            fault.message ?? `Sandbox fault: HTTP ${status}`,
          );
  if (fault.retryAfterSeconds !== undefined) reply.headers = { 'Retry-After': String(fault.retryAfterSeconds) };
  return reply;
}

/** A proxy's error page in place of OVH's answer. */
export function htmlFaultReply(fault: SandboxFault): Reply {
  const status = fault.status ?? 502;
  return { status, body: `<html><body><h1>${status} Bad Gateway</h1></body></html>`, contentType: 'text/html' };
}
