import type { Campaign, LoadedCampaign } from '../campaign/types.js';
import { costByCountry, roundCredits, totalCredits } from './cost.js';
import { planDigest } from './digest.js';
import type { Plan, PlanAction } from './types.js';

export type CampaignChange =
  | { kind: 'added'; name: string; file: string }
  | { kind: 'edited'; name: string; file: string; fields: string[] }
  | { kind: 'removed'; name: string; file: string };

/** What a pull request changes in the campaign files, against its base branch, and what that does to the send. */
export interface PlanChanges {
  changes: CampaignChange[];
  /** Credits the base branch's campaigns not yet on the account would cost, priced like this plan. */
  creditsBefore: number;
  /** The same for this plan: its totals. */
  creditsAfter: number;
}

/** The actions meaning the account already has a batch of that name. */
const ON_ACCOUNT: ReadonlySet<PlanAction> = new Set(['none', 'wait', 'cancel', 'conflict', 'reschedule']);

/** A hash of what would be sent for one campaign alone: equal contents, equal hashes. */
function contentOf(campaign: Campaign): string {
  return planDigest([{ action: 'create', campaign, errors: [] }]);
}

function editedFields(before: Campaign, after: Campaign): string[] {
  const fields: string[] = [];
  if (before.message !== after.message) fields.push('message');
  if (before.from !== after.from || before.senderForResponse !== after.senderForResponse) fields.push('sender');
  const beforeSet = new Set(before.recipients);
  if (before.recipients.length !== after.recipients.length || after.recipients.some((number) => !beforeSet.has(number)))
    fields.push('recipients');
  if (before.deferred !== after.deferred) fields.push('schedule');
  if (before.noStop !== after.noStop || before.tag !== after.tag) fields.push('options');
  return fields.length > 0 || contentOf(before) === contentOf(after) ? fields : ['content'];
}

/**
 * Campaigns added, edited or removed since the base branch (by name; invalid files are compared by file), and the
 * credits a merge of the base would have spent against those of this plan. Pure: both sides priced with this
 * plan's rates, against the batches this plan saw.
 */
export function planChanges(base: readonly LoadedCampaign[], head: Plan): PlanChanges {
  const baseValid = new Map(base.flatMap((entry) => (entry.valid ? [[entry.campaign.name, entry.campaign] as const] : [])));
  const headValid = new Map(head.campaigns.flatMap((entry) => (entry.campaign ? [[entry.campaign.name, entry] as const] : [])));
  const changes: CampaignChange[] = [];
  for (const [name, entry] of headValid) {
    const before = baseValid.get(name);
    const after = entry.campaign!;
    if (!before) changes.push({ kind: 'added', name, file: after.file });
    else if (contentOf(before) !== contentOf(after) || before.file !== after.file) {
      changes.push({
        kind: 'edited',
        name,
        file: after.file,
        fields: before.file !== after.file ? ['file', ...editedFields(before, after)] : editedFields(before, after),
      });
    }
  }
  for (const [name, campaign] of baseValid) if (!headValid.has(name)) changes.push({ kind: 'removed', name, file: campaign.file });

  const onAccount = new Set([
    ...head.campaigns.flatMap((entry) => (entry.campaign && ON_ACCOUNT.has(entry.action) ? [entry.campaign.name] : [])),
    ...head.unmanaged.map((batch) => batch.name),
  ]);
  const rates = head.review?.rates ?? null;
  const creditsBefore = roundCredits(
    [...baseValid.values()]
      .filter((campaign) => !campaign.cancel && !onAccount.has(campaign.name))
      .reduce((sum, campaign) => sum + totalCredits(costByCountry(campaign.recipients, campaign.analysis.parts, rates)), 0),
  );
  return { changes, creditsBefore, creditsAfter: head.totals.estimatedCredits };
}
