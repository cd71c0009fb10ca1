import { createHash } from 'node:crypto';
import { normaliseReceiver } from './match.js';
import type { Campaign } from '../campaign/types.js';
import type { CampaignPlan } from './types.js';

type Creation = {
  name: string;
  from: string | null;
  senderForResponse: boolean;
  message: string;
  recipients: string[];
  deferred: string | null;
  noStop: boolean;
  tag: string | null;
};
type Cancellation = { name: string; batchId: string };

function creation(campaign: Campaign): Creation {
  return {
    name: campaign.name,
    from: campaign.senderForResponse ? null : campaign.from,
    senderForResponse: campaign.senderForResponse,
    message: campaign.message,
    recipients: [...new Set(campaign.recipients.map(normaliseReceiver))].sort(),
    deferred: campaign.deferred === null ? null : new Date(campaign.deferred).toISOString(),
    noStop: campaign.noStop,
    tag: campaign.tag,
  };
}

/** What one plan entry would send or change, in canonical form; nothing for the entries apply does not act on. */
function digestParts(plan: CampaignPlan): { create: Creation[]; cancel: Cancellation[] } {
  switch (plan.action) {
    case 'create':
      return { create: [creation(plan.campaign)], cancel: [] };
    case 'cancel':
      return { create: [], cancel: [{ name: plan.campaign.name, batchId: plan.batch.id }] };
    case 'reschedule':
      return { create: [creation(plan.campaign)], cancel: [{ name: plan.campaign.name, batchId: plan.batch.id }] };
    default:
      return { create: [], cancel: [] };
  }
}

/**
 * `sha256:` + hex of a canonical JSON of everything apply would send or change: for each `create`, the name,
 * sender, message, sorted recipients, deferral, noStop and tag; for each `cancel`, the name and batch id
 * (a `reschedule` is both).
 * Entries are sorted by name, so file order and recipient order do not change the digest.
 */
export function planDigest(campaigns: CampaignPlan[]): string {
  const parts = campaigns.map(digestParts);
  const creations = parts.flatMap((part) => part.create).sort((a, b) => compareStrings(a.name, b.name));
  const cancellations = parts.flatMap((part) => part.cancel).sort((a, b) => compareStrings(a.name, b.name));
  const canonical = JSON.stringify({ version: 1, create: creations, cancel: cancellations });
  return `sha256:${createHash('sha256').update(canonical, 'utf8').digest('hex')}`;
}

// Plan entries are not changed once made; the plan JSON is built several times per run (files, summary, comment).
const campaignDigests = new WeakMap<CampaignPlan, string | null>();

/** The plan digest of this campaign alone; null when apply neither sends nor changes anything for it. */
export function campaignDigest(plan: CampaignPlan): string | null {
  let digest = campaignDigests.get(plan);
  if (digest === undefined) {
    const parts = digestParts(plan);
    digest = parts.create.length + parts.cancel.length > 0 ? planDigest([plan]) : null;
    campaignDigests.set(plan, digest);
  }
  return digest;
}

/** How a plan or campaign digest is written: `sha256:` and 64 lower-case hex digits. */
export const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
