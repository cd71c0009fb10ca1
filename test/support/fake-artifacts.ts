import { createHash } from 'node:crypto';
import { sendJson, startLoopbackServer, type LoopbackServer } from './http.js';

export interface StoredArtifact {
  id: number;
  name: string;
  expiresAt: string | null;
  /** The zip as assembled from the committed block list. */
  zip: Buffer;
  declaredSize: number;
  declaredHash: string;
}

export interface FakeArtifactService extends LoopbackServer {
  artifacts: StoredArtifact[];
  /** An unsigned JWT carrying the run and job ids the client reads. */
  runtimeToken: string;
}

const SERVICE = '/twirp/github.actions.results.api.v1.ArtifactService/';

/** The results service's artifact endpoints and a blob store behind its signed upload URL. */
export async function startFakeArtifactService(): Promise<FakeArtifactService> {
  const artifacts: StoredArtifact[] = [];
  const pending = new Map<string, { expiresAt: string | null; blocks: Map<string, Buffer>; blob: Buffer | null }>();
  let nextId = 4200;

  const server = await startLoopbackServer((request, response) => {
    const url = new URL(request.path, 'http://fake');
    if (request.method === 'POST' && url.pathname === `${SERVICE}CreateArtifact`) {
      const body = JSON.parse(request.body.toString()) as { name: string; expires_at?: string };
      pending.set(body.name, { expiresAt: body.expires_at ?? null, blocks: new Map(), blob: null });
      return sendJson(response, 200, {
        ok: true,
        signed_upload_url: `${server.url}/blob/${encodeURIComponent(body.name)}?sig=fake-signature`,
      });
    }
    if (request.method === 'PUT' && url.pathname.startsWith('/blob/')) {
      const upload = pending.get(decodeURIComponent(url.pathname.slice('/blob/'.length)));
      if (!upload) return sendJson(response, 404, { message: 'no such upload' });
      const comp = url.searchParams.get('comp');
      if (comp === 'block') upload.blocks.set(url.searchParams.get('blockid') ?? '', request.body);
      else if (comp === 'blocklist') {
        const ids = [...request.body.toString().matchAll(/<(?:Latest|Committed|Uncommitted)>([^<]*)<\//g)].map((match) => match[1] ?? '');
        upload.blob = Buffer.concat(ids.map((id) => upload.blocks.get(id) ?? Buffer.alloc(0)));
      } else upload.blob = request.body;
      response.writeHead(201, { etag: '"fake"', 'last-modified': new Date().toUTCString() }).end();
      return;
    }
    if (request.method === 'POST' && url.pathname === `${SERVICE}FinalizeArtifact`) {
      const body = JSON.parse(request.body.toString()) as { name: string; size: string; hash?: string };
      const upload = pending.get(body.name);
      if (!upload?.blob) return sendJson(response, 404, { msg: 'artifact not uploaded' });
      const artifact: StoredArtifact = {
        id: nextId++,
        name: body.name,
        expiresAt: upload.expiresAt,
        zip: upload.blob,
        declaredSize: Number(body.size),
        declaredHash: body.hash ?? '',
      };
      artifacts.push(artifact);
      return sendJson(response, 200, { ok: true, artifact_id: String(artifact.id) });
    }
    sendJson(response, 404, { msg: `Not Found: ${request.method} ${url.pathname}` });
  });
  return Object.assign(server, { artifacts, runtimeToken: unsignedJwt({ scp: 'Actions.GenericRead:r Actions.Results:run-1:job-1' }) });
}

export function unsignedJwt(payload: Record<string, unknown>): string {
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(payload)}.`;
}

export function sha256(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}
