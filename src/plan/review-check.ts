import type { Problem } from '../campaign/types.js';
import { campaignDigest, planDigest } from './digest.js';
import { campaignCredits } from './view.js';
import { roundCredits } from './cost.js';
import type { CampaignPlan, Plan } from './types.js';

/** What is known, on a push, about the review of the pushed commit's plan. */
export type ReviewEvidence =
  /** The pull request's plan comment: the plan digest and the campaign digests its reviewers saw. */
  | { kind: 'reviewed'; pullRequest: number; planDigest: string; campaigns: string[] }
  | { kind: 'no-plan-comment'; pullRequest: number }
  | { kind: 'no-pull-request'; commit: string }
  /** The look-up failed: nothing can be shown to be reviewed. */
  | { kind: 'unknown'; reason: string };

export interface ReviewCheck {
  /** The plan with every refused campaign turned `invalid` (an error saying why), totals and digest recomputed. */
  plan: Plan;
  refused: string[];
  /** For the summary: what the check found. */
  note: string;
}

/**
 * Keeps the campaigns the reviewers saw: a campaign apply would send or change is refused unless its digest is in
 * the reviewed plan comment (or the whole plan is the one reviewed). A push with no pull request behind it is
 * applied as planned; when the review cannot be found or read, every such campaign is refused.
 */
export function checkReview(plan: Plan, evidence: ReviewEvidence): ReviewCheck {
  if (evidence.kind === 'no-pull-request') {
    return { plan, refused: [], note: `The plan was not reviewed: commit ${evidence.commit.slice(0, 7)} came from no pull request.` };
  }
  const reviewed = (digest: string): boolean =>
    evidence.kind === 'reviewed' && (evidence.planDigest === plan.digest || evidence.campaigns.includes(digest));
  const refused: string[] = [];
  const campaigns = plan.campaigns.map((entry): CampaignPlan => {
    const digest = campaignDigest(entry);
    if (digest === null || entry.campaign === null || reviewed(digest)) return entry;
    refused.push(entry.campaign.name);
    const problem: Problem = {
      file: entry.campaign.file,
      line: entry.campaign.positions['name']?.line ?? null,
      column: entry.campaign.positions['name']?.column ?? null,
      field: null,
      message: `not sent: ${whyRefused(evidence, digest)}`,
    };
    const invalid = { name: entry.campaign.name, file: entry.campaign.file, errors: [problem], warnings: entry.campaign.warnings };
    return { action: 'invalid', invalid, campaign: entry.campaign, errors: [problem] };
  });
  const checked =
    refused.length === 0 ? plan : { ...plan, campaigns, digest: planDigest(campaigns), totals: withoutRefused(plan, campaigns) };
  return { plan: checked, refused, note: reviewNote(evidence, refused.length) };
}

function whyRefused(evidence: Exclude<ReviewEvidence, { kind: 'no-pull-request' }>, digest: string): string {
  switch (evidence.kind) {
    case 'reviewed':
      return (
        `this content (digest ${digest.slice(0, 19)}…) is not in the plan reviewed in pull request #${evidence.pullRequest}: ` +
        'it changed after the review. Have the change reviewed in a pull request first.'
      );
    case 'no-plan-comment':
      return (
        `pull request #${evidence.pullRequest} has no plan comment from this action, so its plan was not reviewed ` +
        '(commenting off, or the token could not comment). Run the workflow by hand to apply it anyway.'
      );
    case 'unknown':
      return `could not check that its plan was reviewed: ${evidence.reason}`;
  }
}

function reviewNote(evidence: Exclude<ReviewEvidence, { kind: 'no-pull-request' }>, refused: number): string {
  const refusedText = refused > 0 ? ` ${refused} campaign(s) refused, nothing sent for them.` : '';
  switch (evidence.kind) {
    case 'reviewed':
      return `Review check: the plan comment of pull request #${evidence.pullRequest} lists what was reviewed.${refused > 0 ? refusedText : ' Every campaign to send matches it.'}`;
    case 'no-plan-comment':
      return `Review check: pull request #${evidence.pullRequest} has no plan comment, so nothing in it was reviewed.${refusedText}`;
    case 'unknown':
      return `Review check failed: ${evidence.reason}.${refusedText}`;
  }
}

/** The totals less what the refused campaigns would have created. */
function withoutRefused(plan: Plan, checked: CampaignPlan[]): Plan['totals'] {
  const creates = (entry: CampaignPlan | undefined): boolean => entry?.action === 'create' || entry?.action === 'reschedule';
  const dropped = plan.campaigns.flatMap((entry, index) =>
    creates(entry) && !creates(checked[index]) && entry.campaign ? [entry.campaign] : [],
  );
  return {
    create: plan.totals.create - dropped.length,
    recipients: plan.totals.recipients - dropped.reduce((sum, campaign) => sum + campaign.recipients.length, 0),
    estimatedCredits: roundCredits(
      plan.totals.estimatedCredits - dropped.reduce((sum, campaign) => sum + campaignCredits(plan, campaign), 0),
    ),
  };
}
