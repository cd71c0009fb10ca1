import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** An authentication refusal, rendered as OVH's `{errorCode, httpCode, message}` body. */
export interface AuthFailure {
  status: number;
  body: { errorCode: string; httpCode: string; message: string };
}

const failure = (status: number, httpCode: string, errorCode: string, message: string): AuthFailure => ({
  status,
  body: { errorCode, httpCode, message },
});

/** Largest accepted gap between X-Ovh-Timestamp and the server clock. */
export const MAX_CLOCK_SKEW_SECONDS = 180;

export interface ApplicationCredentials {
  applicationKey: string;
  applicationSecret: string;
  consumerKey: string;
}

export function ovhSignature(secret: string, consumerKey: string, method: string, url: string, body: string, timestamp: string): string {
  const text = [secret, consumerKey, method, url, body, timestamp].join('+');
  return '$1$' + createHash('sha1').update(text).digest('hex');
}

function header(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name];
  return typeof value === 'string' && value.length > 0 ? value : null;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export interface SignedRequest {
  method: string;
  /** Path and query as received, e.g. /1.0/sms?x=1 */
  target: string;
  host: string;
  headers: IncomingHttpHeaders;
  body: string;
  nowSeconds: number;
}

/**
 * Checks an application-key request as OVH does. node-ovh signs https://host+path without the port while
 * python-ovh and go-ovh sign the URL as sent, so both forms are accepted.
 */
export function checkApplicationRequest(request: SignedRequest, known: ApplicationCredentials): AuthFailure | null {
  const { headers } = request;
  const applicationKey = header(headers, 'x-ovh-application');
  if (applicationKey === null || applicationKey !== known.applicationKey) {
    return failure(403, '403 Forbidden', 'INVALID_KEY', 'This application key is invalid');
  }
  const consumerKey = header(headers, 'x-ovh-consumer');
  if (consumerKey === null || consumerKey !== known.consumerKey) {
    return failure(403, '403 Forbidden', 'NOT_CREDENTIAL', 'This credential does not exist');
  }
  const timestamp = header(headers, 'x-ovh-timestamp');
  if (timestamp === null || !/^\d+$/.test(timestamp)) {
    return failure(400, '400 Bad Request', 'INVALID_SIGNATURE', 'Invalid signature');
  }
  if (Math.abs(Number(timestamp) - request.nowSeconds) > MAX_CLOCK_SKEW_SECONDS) {
    return failure(400, '400 Bad Request', 'QUERY_TIME_OUT', 'Query out of time');
  }
  const signature = header(headers, 'x-ovh-signature') ?? '';
  const hostWithoutPort = request.host.replace(/:\d+$/, '');
  const candidates = [...new Set([hostWithoutPort, request.host])].map((host) =>
    ovhSignature(known.applicationSecret, consumerKey, request.method, `https://${host}${request.target}`, request.body, timestamp),
  );
  if (!candidates.some((candidate) => sameText(candidate, signature))) {
    return failure(400, '400 Bad Request', 'INVALID_SIGNATURE', 'Invalid signature');
  }
  return null;
}

export function unauthenticated(): AuthFailure {
  return failure(401, '401 Unauthorized', 'NOT_AUTHENTICATED', 'You must login first');
}
