import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import https from 'node:https';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tls from 'node:tls';
import { OvhApiError } from '../account/index.js';

/**
 * Document transfers to and from OVH's storage links (getUrl, putUrl): streamed, any size, with an idle
 * timeout (no byte for that long) rather than a total one, so a 1M-row export is never cut for being large.
 */
export interface TransferOptions {
  idleTimeoutMs: number;
  ca?: string;
}

function checkedUrl(url: string, what: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new OvhApiError(`${what} failed: invalid URL`, 'http');
  }
  if (parsed.protocol !== 'https:') throw new OvhApiError(`${what} failed: the URL is not HTTPS`, 'http');
  return parsed;
}

function transferError(where: string, error: unknown, idleTimeoutMs: number): OvhApiError {
  if (error instanceof OvhApiError) return error;
  const message = (error as Error).message;
  if (message === 'idle') return new OvhApiError(`${where} stalled: no data for ${idleTimeoutMs} ms`, 'timeout');
  return new OvhApiError(`${where} failed: network error ${(error as NodeJS.ErrnoException).code ?? message}`, 'network');
}

const contexts = new Map<string, tls.SecureContext>();

/** One secure context per extra CA (parsing the ~140 root certificates costs about 25 ms); a fresh connection each time. */
function agentOptions(options: TransferOptions): https.RequestOptions {
  if (!options.ca) return { agent: false };
  let secureContext = contexts.get(options.ca);
  if (!secureContext) {
    secureContext = tls.createSecureContext({ ca: [...tls.rootCertificates, options.ca] });
    contexts.set(options.ca, secureContext);
  }
  return { agent: false, secureContext } as https.RequestOptions;
}

/** Opens a GET, following up to 3 redirects; the URL is a bearer link to private data, so errors name the host only. */
function openGet(
  url: URL,
  options: TransferOptions,
  redirectsLeft = 3,
): Promise<{ response: import('node:http').IncomingMessage; request: import('node:http').ClientRequest }> {
  const where = `Document download from ${url.host}`;
  return new Promise((resolve, reject) => {
    const request = https.get(url, { ...agentOptions(options), timeout: options.idleTimeoutMs }, (response) => {
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400 && response.headers.location && redirectsLeft > 0) {
        response.resume();
        openGet(new URL(response.headers.location, url), options, redirectsLeft - 1).then(resolve, reject);
        return;
      }
      if (status < 200 || status > 299) {
        response.resume();
        reject(new OvhApiError(`${where} failed with HTTP ${status}`, 'http', status));
        return;
      }
      resolve({ response, request });
    });
    request.on('timeout', () => request.destroy(new Error('idle')));
    request.on('error', (error) => reject(transferError(where, error, options.idleTimeoutMs)));
  });
}

/**
 * Streams a document to `file` (through a temporary file renamed at the end, so a broken transfer never
 * leaves a truncated file that looks complete). Returns the bytes written.
 */
export async function downloadToFile(url: string, file: string, options: TransferOptions): Promise<number> {
  const parsed = checkedUrl(url, 'Document download');
  const where = `Document download from ${parsed.host}`;
  const partial = `${file}.part`;
  try {
    const { response, request } = await openGet(parsed, options);
    let bytes = 0;
    response.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    // The socket's idle timer also covers the body: a stall destroys the request, which fails the pipeline.
    request.on('timeout', () => response.destroy(new Error('idle')));
    await pipeline(response, createWriteStream(partial));
    await rename(partial, file);
    return bytes;
  } catch (error) {
    await rm(partial, { force: true });
    throw transferError(where, error, options.idleTimeoutMs);
  }
}

/** Downloads a (small) document into memory, with the same idle timeout. */
export async function downloadToBuffer(url: string, options: TransferOptions): Promise<Buffer> {
  const parsed = checkedUrl(url, 'Document download');
  const where = `Document download from ${parsed.host}`;
  try {
    const { response, request } = await openGet(parsed, options);
    request.on('timeout', () => response.destroy(new Error('idle')));
    const chunks: Buffer[] = [];
    for await (const chunk of response) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  } catch (error) {
    throw transferError(where, error, options.idleTimeoutMs);
  }
}

/** PUTs a document's content to its putUrl, streamed from `chunks` (e.g. one line of a 1M-number list at a time). */
export async function uploadDocument(
  url: string,
  chunks: () => Iterable<string> | AsyncIterable<string>,
  options: TransferOptions,
): Promise<void> {
  const parsed = checkedUrl(url, 'Document upload');
  const where = `Document upload to ${parsed.host}`;
  await new Promise<void>((resolve, reject) => {
    const request = https.request(
      parsed,
      {
        method: 'PUT',
        ...agentOptions(options),
        timeout: options.idleTimeoutMs,
        headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Transfer-Encoding': 'chunked' },
      },
      (response) => {
        const status = response.statusCode ?? 0;
        response.resume();
        response.on('end', () =>
          status >= 200 && status < 300 ? resolve() : reject(new OvhApiError(`${where} failed with HTTP ${status}`, 'http', status)),
        );
        response.on('error', (error) => reject(transferError(where, error, options.idleTimeoutMs)));
      },
    );
    request.on('timeout', () => request.destroy(new Error('idle')));
    request.on('error', (error) => reject(transferError(where, error, options.idleTimeoutMs)));
    pipeline(Readable.from(chunks()), request).catch((error: unknown) => reject(transferError(where, error, options.idleTimeoutMs)));
  });
}
