import https from 'node:https';
import type { Sandbox } from '../../src/sandbox/index.js';
import { ovhSignature } from '../../src/sandbox/auth.js';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

export interface RawOptions {
  body?: unknown;
  applicationKey?: string | null;
  applicationSecret?: string;
  consumerKey?: string | null;
  timestamp?: number;
  /** Sign with the port in the URL (python-ovh / go-ovh style) instead of node-ovh's form. */
  signWithPort?: boolean;
  headers?: Record<string, string>;
  /** Sign this text instead of the body actually sent. */
  signedBody?: string;
}

/** A signed request written by hand, to see exactly what the sandbox answers (status, headers, body). */
export function rawRequest(sandbox: Sandbox, method: string, target: string, options: RawOptions = {}): Promise<RawResponse> {
  const body = options.body === undefined ? '' : JSON.stringify(options.body);
  const timestamp = String(options.timestamp ?? Math.round(Date.now() / 1000));
  const applicationKey = options.applicationKey === undefined ? sandbox.credentials.applicationKey : options.applicationKey;
  const consumerKey = options.consumerKey === undefined ? sandbox.credentials.consumerKey : options.consumerKey;
  const host = options.signWithPort ? `127.0.0.1:${sandbox.port}` : '127.0.0.1';
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-Ovh-Timestamp': timestamp, ...options.headers };
  if (applicationKey !== null) headers['X-Ovh-Application'] = applicationKey;
  if (consumerKey !== null) {
    headers['X-Ovh-Consumer'] = consumerKey;
    headers['X-Ovh-Signature'] = ovhSignature(
      options.applicationSecret ?? sandbox.credentials.applicationSecret,
      consumerKey,
      method,
      `https://${host}${target}`,
      options.signedBody ?? body,
      timestamp,
    );
  }
  return new Promise((resolve, reject) => {
    const request = https.request(
      { host: '127.0.0.1', port: sandbox.port, method, path: target, headers, ca: sandbox.ca, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : null;
          } catch {
            json = undefined;
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json });
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** A clock the test moves by hand. */
export function manualClock(start = Date.now()) {
  let current = start;
  return {
    now: () => current,
    advance: (ms: number) => {
      current += ms;
    },
  };
}
