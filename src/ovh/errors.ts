import { getSystemErrorName } from 'node:util';
import { OvhApiError } from '../account/index.js';

/** What we know about the attempt when node-ovh rejected. */
export interface RejectionContext {
  method: string;
  path: string;
  elapsedMs: number;
  timeoutMs: number;
}

function describe(context: RejectionContext): string {
  return `OVH API ${context.method} ${context.path}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (isRecord(value)) {
    if (typeof value.message === 'string') return value.message;
    if (typeof value.error_description === 'string') return value.error_description;
    if (typeof value.error === 'string') return value.error;
  }
  return null;
}

function errnoName(errno: number): string {
  try {
    return getSystemErrorName(errno);
  } catch {
    return `errno ${errno}`;
  }
}

/**
 * Turns whatever node-ovh rejected with (`{error, message}` where `error` is an HTTP status, a negative errno,
 * a string or an Error; or an OAuth2 token failure) into an OvhApiError.
 */
export function normaliseRejection(rejection: unknown, context: RejectionContext): OvhApiError {
  if (rejection instanceof OvhApiError) return rejection;
  const where = describe(context);
  const raw = isRecord(rejection) && 'error' in rejection ? rejection : { error: rejection, message: undefined };
  const { error, message } = raw as { error: unknown; message: unknown };

  if (typeof error === 'number' && error >= 100) {
    const detail = textOf(message) ?? `HTTP ${error}`;
    return new OvhApiError(`${where} failed with HTTP ${error}: ${detail}`, 'http', error);
  }
  if (typeof error === 'number') {
    return new OvhApiError(`${where} failed: network error ${errnoName(error)}`, 'network');
  }
  if (typeof error === 'string') {
    if (/parse JSON/i.test(error)) {
      // A non-JSON answer (e.g. an HTML 502 page from a proxy): the status is lost, the server did answer.
      return new OvhApiError(`${where} failed: the API answered with a non-JSON body`, 'http');
    }
    return new OvhApiError(`${where} failed: ${error.replace(/^\[OVH\]\s*/, '')}`, 'network');
  }
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    // node-ovh's socket timeout aborts the request, which surfaces as a plain "socket hang up".
    if (code === 'ECONNRESET' && context.elapsedMs >= context.timeoutMs * 0.95) {
      return new OvhApiError(`${where} timed out after ${context.timeoutMs} ms`, 'timeout');
    }
    return new OvhApiError(`${where} failed: network error ${code ?? error.message}`, 'network');
  }
  if (isRecord(error) && 'statusCode' in error) {
    // OAuth2 token failure: {statusCode, error, message: token endpoint payload}.
    const status = typeof error.statusCode === 'number' ? error.statusCode : null;
    const detail = textOf(error.message) ?? textOf(error.error) ?? 'no detail';
    return new OvhApiError(
      `OVH OAuth2 token request failed${status ? ` with HTTP ${status}` : ''}: ${detail}`,
      status ? 'http' : 'network',
      status,
    );
  }
  return new OvhApiError(`${where} failed: ${textOf(error) ?? textOf(message) ?? 'unknown error'}`, 'network');
}
