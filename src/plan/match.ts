import type { Campaign } from '../campaign/types.js';
import type { Batch } from '../account/index.js';
import { STOP_CLAUSE } from '../sms/index.js';

/** OVH appends its STOP mention after a newline; the short code varies between sources, so any number is accepted. */
const TRAILING_STOP_CLAUSE = /\r?\nSTOP[ :]?\d+\s*$/;

export function stripStopClause(message: string): string {
  if (message.endsWith(STOP_CLAUSE)) return message.slice(0, -STOP_CLAUSE.length);
  return message.replace(TRAILING_STOP_CLAUSE, '');
}

/** Numbers as OVH may return them (`0033…` or `+33…`) reduced to one spelling. */
export function normaliseReceiver(receiver: string): string {
  const compact = receiver.replace(/[\s.()-]/g, '');
  return compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
}

export interface ContentDifference {
  field: 'from' | 'to' | 'message';
  /** Describes the difference without quoting any phone number. */
  description: string;
}

/**
 * What differs between a campaign and a batch OVH already holds under its name.
 * The sender is not compared under senderForResponse (OVH picks it), and the message is compared without
 * the STOP clause OVH appends.
 */
export function compareWithBatch(campaign: Campaign, batch: Batch): ContentDifference[] {
  const differences: ContentDifference[] = [];
  if (!campaign.senderForResponse && (batch.from ?? null) !== campaign.from) {
    differences.push({ field: 'from', description: 'the sender differs from the batch already sent' });
  }
  differences.push(
    ...(batch.receivers === null ? compareListCount(campaign.recipients, batch) : compareRecipients(campaign.recipients, batch.receivers)),
  );
  const remoteMessage = campaign.noStop ? batch.message : stripStopClause(batch.message);
  if (remoteMessage !== campaign.message && batch.message !== campaign.message) {
    differences.push({ field: 'message', description: 'the message differs from the batch already sent' });
  }
  return differences;
}

/**
 * A batch sent from a receivers list (slotID) shows no numbers, and its list is deleted once it is done: what
 * remains is how many records it had, compared with the campaign's distinct recipients.
 */
function compareListCount(local: string[], batch: Batch): ContentDifference[] {
  if (batch.slotID === null) return [{ field: 'to', description: 'the batch already sent shows neither receivers nor a receivers list' }];
  if (batch.totalRecords === local.length) return [];
  const counts = `${local.length} recipient${local.length === 1 ? '' : 's'} in the campaign, ${batch.totalRecords} in the receivers list the batch was sent from`;
  return [{ field: 'to', description: `the recipients differ from the batch already sent: ${counts}` }];
}

function compareRecipients(local: string[], remote: string[]): ContentDifference[] {
  const localSet = new Set(local.map(normaliseReceiver));
  const remoteSet = new Set(remote.map(normaliseReceiver));
  const added = [...localSet].filter((number) => !remoteSet.has(number)).length;
  const removed = [...remoteSet].filter((number) => !localSet.has(number)).length;
  if (added === 0 && removed === 0) return [];
  const parts: string[] = [];
  if (added > 0) parts.push(`${added} recipient${added === 1 ? '' : 's'} added`);
  if (removed > 0) parts.push(`${removed} recipient${removed === 1 ? '' : 's'} removed`);
  return [{ field: 'to', description: `the recipients differ from the batch already sent: ${parts.join(', ')}` }];
}
