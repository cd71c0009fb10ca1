import { roundCredits, type PlanAction, type PlanView } from '../plan/index.js';
import { escapeMarkdown, formatCount, tableHeader, tableRow, type BoundedMarkdown } from './markdown.js';

/** The actions that create a batch, so send SMS and spend credits. */
const SENDS: ReadonlySet<PlanAction> = new Set(['create', 'reschedule']);

interface CountryLine {
  country: string | null;
  recipients: number;
  sms: number;
  creditsPerPart: number;
  credits: number;
  ovhRate: boolean;
}

/** What the campaigns to create cost, by destination country, across campaigns; most recipients first. */
export function creationCostByCountry(plan: PlanView): CountryLine[] {
  const lines = new Map<string | null, CountryLine>();
  for (const campaign of plan.campaigns) {
    if (!SENDS.has(campaign.action)) continue;
    for (const row of campaign.byCountry) {
      const line = lines.get(row.country) ?? {
        country: row.country,
        recipients: 0,
        sms: 0,
        creditsPerPart: row.creditsPerPart,
        credits: 0,
        ovhRate: row.rate === 'ovh',
      };
      line.recipients += row.recipients;
      line.sms += row.recipients * (campaign.parts ?? 1);
      line.credits = roundCredits(line.credits + row.estimatedCredits);
      lines.set(row.country, line);
    }
  }
  return [...lines.values()].sort((a, b) => b.recipients - a.recipients);
}

/** SMS parts apply would send: parts × recipients of every campaign to create. */
export function smsToSend(plan: PlanView): number {
  return plan.campaigns.reduce(
    (sum, campaign) => sum + (SENDS.has(campaign.action) ? (campaign.parts ?? 0) * (campaign.recipients ?? 0) : 0),
    0,
  );
}

/** The cost table: by destination, then the total against the account's credits. Nothing when nothing is created. */
export function addCostByCountry(out: BoundedMarkdown, plan: PlanView): void {
  const lines = creationCostByCountry(plan);
  if (lines.length === 0) return;
  out.add('### Cost by destination\n\n');
  out.add(tableHeader(['Country', 'Recipients', 'SMS', 'Credits per SMS', 'Credits'], ['left', 'right', 'right', 'right', 'right']));
  for (const line of lines) {
    out.add(
      tableRow([
        line.country === null ? 'unknown' : escapeMarkdown(line.country),
        formatCount(line.recipients),
        formatCount(line.sms),
        line.ovhRate ? formatCount(line.creditsPerPart) : `${formatCount(line.creditsPerPart)} (assumed)`,
        formatCount(line.credits),
      ]),
    );
  }
  const total = plan.totals.estimatedCredits;
  out.add(
    tableRow([
      '**Total**',
      `**${formatCount(plan.totals.recipients)}**`,
      `**${formatCount(smsToSend(plan))}**`,
      '',
      `**${formatCount(total)}**`,
    ]),
  );
  out.add('\n');
  const creditsLeft = plan.creditsLeft;
  const notes: string[] = [];
  if (creditsLeft !== null) {
    notes.push(
      total > creditsLeft
        ? `❌ The account has **${formatCount(creditsLeft)}** credits left: not enough, apply will refuse to send.`
        : `The account has **${formatCount(creditsLeft)}** credits left (${formatCount(roundCredits(creditsLeft - total))} after this plan).`,
    );
  } else {
    notes.push(plan.offline ? 'Credits left on the account: unknown (offline plan).' : 'Credits left on the account: could not be read.');
  }
  const stoplisted = plan.campaigns.reduce((sum, campaign) => sum + (SENDS.has(campaign.action) ? (campaign.stoplisted ?? 0) : 0), 0);
  if (stoplisted > 0) notes.push(`${formatCount(stoplisted)} recipient(s) on the service's STOP list are left out: not sent, not paid.`);
  if (lines.some((line) => !line.ovhRate)) {
    notes.push(
      plan.offline
        ? 'Offline, every SMS part is counted at 1 credit (OVH’s rates by destination are read online).'
        : '"Assumed": OVH’s rate for that destination was not available, so 1 credit per SMS part is counted (see the warnings).',
    );
  }
  out.add(`${notes.join(' ')}\n\n`);
}

/** The comment's first line: whether merging sends, how many SMS and credits. */
export function mergeHeadline(plan: PlanView): string {
  const blocked = plan.campaigns.filter((campaign) => campaign.action === 'invalid' || campaign.action === 'conflict').length;
  const cancels = plan.campaigns.filter((campaign) => campaign.action === 'cancel').length;
  if (blocked > 0) return `**Merging will send nothing**: ${blocked} campaign(s) are invalid or in conflict (see the errors).`;
  const cancelText = cancels > 0 ? ` and cancel ${cancels} scheduled batch(es)` : '';
  if (plan.totals.create === 0)
    return cancels > 0
      ? `**Merging will send nothing**${cancelText}.`
      : '**Merging will send nothing**: every campaign is already sent or running.';
  return (
    `**Merging will send ${formatCount(smsToSend(plan))} SMS** to ${formatCount(plan.totals.recipients)} recipient(s) in ` +
    `${plan.totals.create} campaign(s), about **${formatCount(plan.totals.estimatedCredits)} credits**${cancelText}.`
  );
}
