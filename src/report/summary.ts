import type { ApplyResult } from '../apply/types.js';
import { planView, type Plan } from '../plan/index.js';
import { addCostByCountry } from './cost.js';
import { BoundedMarkdown, escapeMarkdown, measureBytes } from './markdown.js';
import { addMessages, addPlanTable, addProblems, addReceiverErrors, addResultsTable, allProblems, headline } from './sections.js';

/** GitHub drops a job summary over 1 MiB whole; stay well under it. */
export const SUMMARY_MAX_BYTES = 1_000_000;
/** Room kept for the closing notice, so adding it never crosses the limit. */
const NOTICE_RESERVE = 600;

export interface SummaryOptions {
  maxBytes?: number;
  /** Where the full report is, e.g. "the artifact `sms-campaign-report`". */
  artifactHint?: string;
  /** The command in the heading; by default apply when there are results, else plan. */
  command?: string;
}

/** The job summary and summary.md: plan table, results after apply, every error and warning; the plan as its view shows it. */
export function renderSummaryMarkdown(plan: Plan, apply: ApplyResult | null, options: SummaryOptions = {}): string {
  const maxBytes = options.maxBytes ?? SUMMARY_MAX_BYTES;
  const out = new BoundedMarkdown(Math.max(0, maxBytes - NOTICE_RESERVE), measureBytes);
  const view = planView(plan);
  const { errors, warnings } = allProblems(view);

  out.add(`## SMS campaigns: ${escapeMarkdown(options.command ?? (apply ? 'apply' : 'plan'))}\n\n`);
  out.add(headline(view));
  addProblems(out, 'Errors', '❌', errors);
  if (apply) {
    addResultsTable(out, apply);
    addReceiverErrors(out, apply);
  }
  addPlanTable(out, view);
  addCostByCountry(out, view);
  addMessages(out, view);
  addProblems(out, 'Warnings', '⚠️', warnings);

  const where = options.artifactHint ? escapeMarkdown(options.artifactHint) : 'the report folder (plan.json, results.json)';
  const text = out.finish(
    (omitted) =>
      `\n\n> [!WARNING]\n> This summary was cut to stay under GitHub's size limit (${omitted} more line(s) not shown). ` +
      `The full report is in ${where}.\n`,
  );
  return text;
}
