import type { ReceiversList } from '../account/index.js';
import { badRequest, notFound } from './http-error.js';
import { iso } from './ovh-format.js';

/** A receivers list in its slot (`/sms/{sn}/receivers/{slotId}`). */
export interface StoredReceivers {
  slotId: number;
  description: string;
  createdAt: number;
  numbers: string[];
}

export type ReceiversSlots = Map<number, StoredReceivers>;

/** The list a batch's slotID names, or why it is refused. */
export function slotFor(lists: ReceiversSlots, slotID: string): StoredReceivers {
  const list = /^\d+$/.test(slotID) ? lists.get(Number(slotID)) : undefined;
  if (!list) throw badRequest(`Invalid slotID: no receivers list in slot ${slotID}`);
  return list;
}

export function listSlots(lists: ReceiversSlots): number[] {
  return [...lists.keys()].sort((a, b) => a - b);
}

export function getReceiversList(lists: ReceiversSlots, slotId: string): ReceiversList {
  const list = lists.get(Number(slotId));
  if (!/^\d+$/.test(slotId) || !list) throw notFound(`The requested object (slotId = ${slotId}) does not exist`);
  return receiversView(list);
}

/**
 * POST /sms/{sn}/receivers: the numbers of an uploaded document (first column; a header line is skipped) into a slot.
 * `uploaded` gives an uploaded document's content (null when there is none).
 */
export function createReceiversList(
  lists: ReceiversSlots,
  body: unknown,
  now: number,
  maxLists: number,
  uploaded: (documentId: string) => Buffer | null,
): ReceiversList {
  const params = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const missing = ['autoUpdate', 'description', 'slotId'].filter((key) => params[key] === undefined);
  if (missing.length > 0) throw badRequest(`Missing parameter(s): ${missing.join(', ')}`);
  if (typeof params.autoUpdate !== 'boolean') throw badRequest('Invalid parameter [autoUpdate]: expected boolean');
  if (typeof params.description !== 'string') throw badRequest('Invalid parameter [description]: expected string');
  const slotId = params.slotId;
  if (typeof slotId !== 'number' || !Number.isInteger(slotId) || slotId < 1)
    throw badRequest('Invalid parameter [slotId]: expected a positive long');
  if (params.csvUrl !== undefined) throw badRequest('The sandbox only imports receivers from a documentId');
  if (typeof params.documentId !== 'string') throw badRequest('Either "csvUrl" or "documentId" must be passed');
  if (lists.has(slotId)) throw badRequest(`Slot ${slotId} already holds a receivers list`);
  if (lists.size >= maxLists) {
    throw badRequest(`This service already has ${lists.size} receivers lists, the most it keeps: delete one first`);
  }
  const content = uploaded(params.documentId);
  if (content === null) throw badRequest(`Document ${params.documentId} has no content`);
  const numbers = readReceiversCsv(content);
  if (numbers.length === 0) throw badRequest('The document holds no receiver');
  const list: StoredReceivers = { slotId, description: params.description, createdAt: now, numbers };
  lists.set(slotId, list);
  return receiversView(list);
}

export function deleteReceiversList(lists: ReceiversSlots, slotId: string): void {
  if (!/^\d+$/.test(slotId) || !lists.delete(Number(slotId))) {
    throw notFound(`The requested object (slotId = ${slotId}) does not exist`);
  }
}

function receiversView(list: StoredReceivers): ReceiversList {
  return {
    autoUpdate: false,
    canAutoUpdate: false,
    datetime: iso(list.createdAt),
    description: list.description,
    records: list.numbers.length,
    slotId: list.slotId,
  };
}

/** First cell of each line, a header (a first line that is not a number) skipped. */
function readReceiversCsv(content: Buffer): string[] {
  const numbers: string[] = [];
  for (const line of content.toString('utf8').split(/\r?\n/)) {
    const cell = line
      .split(/[;,\t]/)[0]!
      .trim()
      .replace(/^"|"$/g, '');
    if (cell === '') continue;
    if (numbers.length === 0 && !/^\+?\d/.test(cell)) continue;
    numbers.push(cell);
  }
  return numbers;
}
