import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { OvhSettings } from '../../src/ovh/index.js';
import { downloadToFile } from '../../src/ovh/transfer.js';
import { SANDBOX_CERTIFICATE, SANDBOX_PRIVATE_KEY } from '../../src/sandbox/certificate.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { rejection, sandboxClient } from './sandbox-client.js';

let sandbox: Sandbox | null = null;
let scratch: string | null = null;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = null;
  if (scratch) await rm(scratch, { recursive: true, force: true });
  scratch = null;
});

async function connect(options: SandboxOptions = {}, overrides: Partial<OvhSettings> = {}) {
  sandbox = await startSandbox({ batchDurationMs: 200, ...options });
  return sandboxClient(sandbox, overrides);
}

const numbers = (count: number) => Array.from({ length: count }, (_, index) => `+336${String(10_000_000 + index).padStart(8, '0')}`);

describe('receivers lists (slotID) against the sandbox', () => {
  it('uploads a document, registers it in a slot, sends a batch from it, then deletes the list', async () => {
    const { sb, api } = await connect();
    const list = numbers(1000);
    const document = await api.createDocument('list.csv');
    expect(document.size).toBe(0);
    await api.uploadDocument(document.putUrl, function* () {
      yield 'number\n';
      for (const number of list) yield `${number}\n`;
    });
    expect((await api.getDocument(document.id)).size).toBeGreaterThan(13_000);
    const registered = await api.createReceiversList({ slotId: 3, documentId: document.id, description: 'sms-campaigns: big' });
    expect(registered).toMatchObject({ slotId: 3, records: 1000, description: 'sms-campaigns: big', autoUpdate: false });
    await api.deleteDocument(document.id);
    expect(await api.listReceiversLists()).toEqual([3]);
    expect(await api.getReceiversList(3)).toMatchObject({ records: 1000 });

    const batch = await api.createBatch({ name: 'big', message: 'Hello', from: 'ACME', slotID: '3', noStop: true });
    expect(batch).toMatchObject({ receivers: null, slotID: '3', totalRecords: 1000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await api.getStatistics(batch.id)).sent).toBe(1000);

    await api.deleteReceiversList(3);
    expect(await api.listReceiversLists()).toEqual([]);
    expect((await rejection(api.getReceiversList(3))).status).toBe(404);
    expect(sb.batches()[0]).toMatchObject({ status: 'COMPLETED', totalRecords: 1000 });
  });

  it('refuses a taken slot, a slot beyond the service limit, an empty document and an unknown slotID', async () => {
    const { api } = await connect({ maxReceiversLists: 2 });
    const upload = async (content: string) => {
      const document = await api.createDocument('l.csv');
      if (content !== '') await api.uploadDocument(document.putUrl, () => [content]);
      return document.id;
    };
    await api.createReceiversList({ slotId: 1, documentId: await upload('+33612345678\n'), description: 'a' });
    expect(
      (await rejection(api.createReceiversList({ slotId: 1, documentId: await upload('+33612345678\n'), description: 'b' }))).message,
    ).toMatch(/already holds/);
    await api.createReceiversList({ slotId: 2, documentId: await upload('+33612345678\n'), description: 'c' });
    expect(
      (await rejection(api.createReceiversList({ slotId: 3, documentId: await upload('+33612345678\n'), description: 'd' }))).message,
    ).toMatch(/2 receivers lists/);
    await api.deleteReceiversList(1);
    expect((await rejection(api.createReceiversList({ slotId: 4, documentId: await upload(''), description: 'e' }))).message).toMatch(
      /no content/,
    );
    expect((await rejection(api.createBatch({ message: 'x', from: 'ACME', slotID: '9' }))).message).toMatch(/no receivers list in slot 9/);
  });

  it('streams a large export to a file, without a total timeout', async () => {
    const { api } = await connect({ documentReadyAfterPolls: 0, creditsLeft: 1_000_000 });
    const list = numbers(50_000);
    const document = await api.createDocument('list.csv');
    await api.uploadDocument(document.putUrl, () => [`number\n${list.join('\n')}\n`]);
    await api.createReceiversList({ slotId: 1, documentId: document.id, description: 'x' });
    const batch = await api.createBatch({ name: 'big', message: 'Hello', from: 'ACME', slotID: '1', noStop: true });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const exported = await api.getDocument(await api.requestOutgoingExport(batch.id));
    scratch = await mkdtemp(path.join(tmpdir(), 'export-'));
    const file = path.join(scratch, 'outgoing.csv');
    // The idle timeout is far below what the whole transfer may take: only a stall counts.
    const bytes = await api.downloadToFile(exported.getUrl, file, 2_000);
    expect(bytes).toBe(exported.size);
    expect((await stat(file)).size).toBe(exported.size);
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(50_001);
    expect(lines[1]).toContain(list[0]);
  });

  it('a download that stalls fails on the idle timeout and leaves no file behind', async () => {
    const server = https.createServer({ key: SANDBOX_PRIVATE_KEY, cert: SANDBOX_CERTIFICATE }, (_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/csv' });
      response.write('id;receiver\n'); // …then nothing more
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as { port: number }).port;
      scratch = await mkdtemp(path.join(tmpdir(), 'export-'));
      const file = path.join(scratch, 'outgoing.csv');
      const error = await rejection(downloadToFile(`https://127.0.0.1:${port}/doc`, file, { idleTimeoutMs: 200, ca: SANDBOX_CERTIFICATE }));
      expect(error.kind).toBe('timeout');
      expect(error.message).toMatch(/no data for 200 ms/);
      await expect(stat(file)).rejects.toThrow();
      await expect(stat(`${file}.part`)).rejects.toThrow();
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
