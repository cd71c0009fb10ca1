import { randomUUID } from 'node:crypto';
import type { OvhDocument } from '../account/index.js';
import { deliveredAt, finished, type StoredBatch } from './batches.js';
import { notFound } from './http-error.js';
import { deliveredText } from './messages.js';
import { csvDate, csvQuoted, iso } from './ovh-format.js';

/** Sender OVH would pick for senderForResponse (a French short number). */
const SHORT_NUMBER_SENDER = '38100';

/** An export OVH generates (`/sms/{sn}/document`), or a file a client uploads (`POST /me/document` then PUT). */
type StoredDocument =
  | {
      kind: 'export';
      id: string;
      serviceName: string;
      batchID: string | null;
      createdAt: number;
      polls: number;
      readyAt: number | null;
      size: number;
    }
  | { kind: 'upload'; id: string; name: string; createdAt: number; content: Buffer | null };

export interface DocumentTiming {
  documentReadyAfterPolls: number;
  /** An export is also ready once this long has passed since it was requested (OVH builds it in its own time). */
  documentReadyAfterMs: number | null;
}

/** A service's outgoing export at `now`, in chunks. */
export type ExportCsv = (serviceName: string, batchID: string | null, now: number) => Iterable<string>;

/** The account's documents (`/me/document`): the exports OVH generates and the files clients upload. */
export class DocumentStore {
  private readonly documents = new Map<string, StoredDocument>();

  constructor(
    private readonly timing: DocumentTiming,
    private readonly exportCsv: ExportCsv,
  ) {}

  /** Starts an export of a service's outgoing SMS (of one batch, or all): its document id. */
  requestExport(serviceName: string, batchID: string | null, now: number): string {
    const id = randomUUID();
    this.documents.set(id, { kind: 'export', id, serviceName, batchID, createdAt: now, polls: 0, readyAt: null, size: 0 });
    return id;
  }

  /** POST /me/document: an empty document whose content the client PUTs to its putUrl. */
  create(name: string, now: number, url: (id: string) => string): OvhDocument {
    const id = randomUUID();
    this.documents.set(id, { kind: 'upload', id, name, createdAt: now, content: null });
    return this.get(id, now, url(id));
  }

  /** PUT to a putUrl; false when there is no such document. */
  upload(id: string, content: Buffer): boolean {
    const document = this.documents.get(id);
    if (document?.kind !== 'upload') return false;
    document.content = content;
    return true;
  }

  delete(id: string): void {
    if (!this.documents.delete(id)) throw notFound(`The requested object (id = ${id}) does not exist`);
  }

  /**
   * GET /me/document/{id}: an export is empty until ready (after `documentReadyAfterPolls` GETs, or
   * `documentReadyAfterMs`), as OVH generates exports asynchronously; its content is frozen at that time.
   */
  get(id: string, now: number, downloadUrl: string): OvhDocument {
    const document = this.documents.get(id);
    if (!document) throw notFound(`The requested object (id = ${id}) does not exist`);
    const base = {
      id,
      getUrl: downloadUrl,
      putUrl: downloadUrl,
      creationDate: iso(document.createdAt),
      expirationDate: iso(document.createdAt + 24 * 3600_000),
      validationDate: null,
      tags: [],
    };
    if (document.kind === 'upload') return { ...base, name: document.name, size: document.content?.length ?? 0 };
    document.polls += 1;
    const { documentReadyAfterMs } = this.timing;
    const ready =
      document.polls > this.timing.documentReadyAfterPolls ||
      (documentReadyAfterMs !== null && now - document.createdAt >= documentReadyAfterMs);
    if (document.readyAt === null && ready) {
      document.readyAt = now;
      for (const chunk of this.exportCsv(document.serviceName, document.batchID, now)) document.size += Buffer.byteLength(chunk);
    }
    return { ...base, name: `sms-outgoing-${document.batchID ?? 'all'}.csv`, size: document.size };
  }

  /** A document's content, produced piece by piece (a 1M-row export is never one string); null when unknown. */
  content(id: string, now: number): Iterable<string | Buffer> | null {
    const document = this.documents.get(id);
    if (!document) return null;
    if (document.kind === 'upload') return document.content === null ? [] : [document.content];
    return this.exportCsv(document.serviceName, document.batchID, document.readyAt ?? now);
  }

  /** The content a client uploaded to this document, or null (no such upload, or nothing PUT yet). */
  uploaded(id: string): Buffer | null {
    const document = this.documents.get(id);
    return document?.kind !== 'upload' ? null : document.content;
  }
}

/** The `;` CSV of OVH's outgoing export, one row per SMS handed to operators, in chunks of rows. */
export function* outgoingCsv(batches: readonly StoredBatch[], batchID: string | null, now: number, duration: number): Generator<string> {
  yield 'id;date;sender;receiver;ptt;operatorCode;descriptionDlr;tag;message;sentAt;deliveredAt\n';
  for (const batch of batches) {
    if (batchID !== null && batch.id !== batchID) continue;
    if (!finished(batch, now, duration)) continue;
    const delivered = now >= deliveredAt(batch, duration);
    const sentAt = csvDate(batch.startAt + duration);
    const skipped = new Set([...batch.invalid, ...batch.stoplisted]);
    const fixed = [csvDate(batch.createdAt), csvQuoted(batch.from ?? SHORT_NUMBER_SENDER)].join(';');
    const tail = [
      delivered ? '0' : '1',
      '20815',
      csvQuoted(delivered ? 'Success' : 'Pending'),
      csvQuoted(batch.tag),
      csvQuoted(deliveredText(batch.message, batch.noStop)),
      sentAt,
      delivered ? csvDate(deliveredAt(batch, duration)) : '',
    ].join(';');
    let chunk = '';
    for (let index = 0; index < batch.receivers.length; index += 1) {
      const receiver = batch.receivers[index]!;
      if (skipped.has(receiver)) continue;
      chunk += `${batch.firstOutgoingId + index};${fixed};${receiver};${tail}\n`;
      if (chunk.length > 65_536) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk.length > 0) yield chunk;
  }
}
