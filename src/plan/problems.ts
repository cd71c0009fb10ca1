import type { Campaign, Problem } from '../campaign/types.js';

/** A problem the plan finds in a campaign, placed at the field's position in its file. */
export function problem(campaign: Campaign, field: string, message: string): Problem {
  const position = campaign.positions[field];
  return { file: campaign.file, line: position?.line ?? null, column: position?.column ?? null, field, message };
}

/** The campaign with these warnings added (the same value when there are none). */
export function withWarnings(campaign: Campaign, warnings: Problem[]): Campaign {
  return warnings.length === 0 ? campaign : { ...campaign, warnings: [...campaign.warnings, ...warnings] };
}
