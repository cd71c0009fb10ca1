import { createHash } from 'node:crypto';
import { normaliseReceiver } from './match.js';
import type { CampaignPlan } from './types.js';

/**
 * `sha256:` + hex of a canonical JSON of everything apply would send or change: for each `create`, the name,
 * sender, message, sorted recipients, deferral, noStop and tag; for each `cancel`, the name and batch id
 * (a `reschedule` is both).
 * Entries are sorted by name, so file order and recipient order do not change the digest.
 */
export function planDigest(campaigns: CampaignPlan[]): string {
  const creations = campaigns.flatMap((plan) => (plan.action === 'create' || plan.action === 'reschedule' ? [plan.campaign] : []))
    .map((campaign) => ({
      name: campaign.name,
      from: campaign.senderForResponse ? null : campaign.from,
      senderForResponse: campaign.senderForResponse,
      message: campaign.message,
      recipients: [...new Set(campaign.recipients.map(normaliseReceiver))].sort(),
      deferred: campaign.deferred === null ? null : new Date(campaign.deferred).toISOString(),
      noStop: campaign.noStop,
      tag: campaign.tag,
    }))
    .sort((a, b) => compareStrings(a.name, b.name));
  const cancellations = campaigns.flatMap((plan) => (plan.action === 'cancel' || plan.action === 'reschedule' ? [{ name: plan.campaign.name, batchId: plan.batch.id }] : []))
    .sort((a, b) => compareStrings(a.name, b.name));
  const canonical = JSON.stringify({ version: 1, create: creations, cancel: cancellations });
  return `sha256:${createHash('sha256').update(canonical, 'utf8').digest('hex')}`;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
