import type { ApplyResult } from '../apply/types.js';
import type { PlanJson } from '../plan/types.js';

/** Outputs share a 1 MB budget per job; keep the plan output well under it. */
export const PLAN_OUTPUT_MAX_CHARS = 500_000;

export interface ActionOutputs {
  plan: string;
  digest: string;
  created: string;
  batches: string;
  'report-dir': string;
  'artifact-id': string;
  'comment-id': string;
}

/** The plan output: the plan JSON, or when too large its totals and one compact line per campaign. */
export function planOutput(plan: PlanJson | null, maxChars = PLAN_OUTPUT_MAX_CHARS): string {
  if (!plan) return '';
  const full = JSON.stringify(plan);
  if (full.length <= maxChars) return full;
  const compact = JSON.stringify({
    ...plan,
    truncated: true,
    campaigns: plan.campaigns.map(({ name, file, action, batchId, recipients, estimatedCredits }) => ({
      name,
      file,
      action,
      batchId,
      recipients,
      estimatedCredits,
    })),
  });
  if (compact.length <= maxChars) return compact;
  return JSON.stringify({ ...plan, truncated: true, campaigns: [] });
}

/** name → batch id: the batches this run created or found, apply results winning over the plan. */
export function batchesByName(plan: PlanJson | null, apply: ApplyResult | null): Record<string, string> {
  const batches: Record<string, string> = {};
  for (const campaign of plan?.campaigns ?? []) {
    if (campaign.name !== null && campaign.batchId !== null) batches[campaign.name] = campaign.batchId;
  }
  for (const result of apply?.campaigns ?? []) {
    if (result.name !== null && result.batchId !== null) batches[result.name] = result.batchId;
  }
  return batches;
}

export function actionOutputs(input: {
  plan: PlanJson | null;
  apply: ApplyResult | null;
  reportDir: string;
  artifactId: number | null;
  commentId: number | null;
}): ActionOutputs {
  return {
    plan: planOutput(input.plan),
    digest: input.plan?.digest ?? '',
    created: String(input.apply?.created ?? 0),
    batches: JSON.stringify(batchesByName(input.plan, input.apply)),
    'report-dir': input.reportDir,
    'artifact-id': input.artifactId === null ? '' : String(input.artifactId),
    'comment-id': input.commentId === null ? '' : String(input.commentId),
  };
}
