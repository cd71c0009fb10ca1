import { planView, type Plan } from '../plan/index.js';
import { addChanges, type ChangesSection } from './changes.js';
import { addCostByCountry, mergeHeadline } from './cost.js';
import { BoundedMarkdown, escapeMarkdown, measureChars } from './markdown.js';
import { addMessages, addPlanTable, addProblems, allProblems, headline } from './sections.js';

/** GitHub refuses comment bodies over 65,536 characters. */
export const COMMENT_MAX_CHARS = 65_536;
const NOTICE_RESERVE = 400;
const MARKER_PREFIX = '<!-- sms-campaigns:plan ';
const MARKER_SUFFIX = ' -->';

export interface CommentMarker {
  digest: string;
  /** The digest of every campaign the plan would send or change (`campaigns[].digest`): what was reviewed. */
  campaigns: string[];
}

export function commentMarker(marker: CommentMarker): string {
  // JSON.stringify cannot produce "-->" from digests, but escape ">" anyway so no value ever closes the comment.
  const data = JSON.stringify({ digest: marker.digest, campaigns: marker.campaigns });
  return MARKER_PREFIX + data.replace(/>/g, '\\u003e') + MARKER_SUFFIX;
}

/** Reads the hidden marker at the start of a comment body; null when the comment is not a plan comment. */
export function parseCommentMarker(body: string | null | undefined): CommentMarker | null {
  if (!body?.startsWith(MARKER_PREFIX)) return null;
  const end = body.indexOf(MARKER_SUFFIX, MARKER_PREFIX.length);
  if (end < 0) return null;
  try {
    const data: unknown = JSON.parse(body.slice(MARKER_PREFIX.length, end));
    if (typeof data !== 'object' || data === null) return null;
    const { digest, campaigns } = data as { digest?: unknown; campaigns?: unknown };
    if (typeof digest !== 'string') return null;
    // Comments written before per-campaign digests existed reviewed no campaign in this form.
    const reviewed = Array.isArray(campaigns) ? campaigns.filter((entry): entry is string => typeof entry === 'string') : [];
    return { digest, campaigns: reviewed };
  } catch {
    return null;
  }
}

/** The sticky pull request comment: marker, headline, errors, plan table, warnings. */
export function renderPlanComment(
  plan: Plan,
  options: { maxChars?: number; artifactHint?: string; changes?: ChangesSection } = {},
): string {
  const maxChars = options.maxChars ?? COMMENT_MAX_CHARS;
  const view = planView(plan);
  const reviewed = view.campaigns.map((campaign) => campaign.digest).filter((digest): digest is string => digest !== null);
  let marker = commentMarker({ digest: view.digest, campaigns: reviewed }) + '\n';
  // Past ~440 campaigns the list would crowd out the plan: then only the whole plan's digest is reviewed.
  if (marker.length > maxChars / 2) marker = commentMarker({ digest: view.digest, campaigns: [] }) + '\n';
  const out = new BoundedMarkdown(Math.max(0, maxChars - marker.length - NOTICE_RESERVE), measureChars);
  const { errors, warnings } = allProblems(view);

  out.add(`${mergeHeadline(view)}\n\n`);
  out.add('## 📱 SMS campaigns plan\n\n');
  out.add(headline(view));
  addChanges(out, options.changes);
  addProblems(out, 'Errors', '❌', errors);
  addPlanTable(out, view);
  addCostByCountry(out, view);
  addMessages(out, view);
  addProblems(out, 'Warnings', '⚠️', warnings);
  out.add('<sub>Updated by the sms-campaigns action on every push; applied when merged.</sub>\n');

  return (
    marker +
    out.finish(
      (omitted) =>
        `\n\n> [!WARNING]\n> This comment was cut to stay under GitHub's size limit (${omitted} more line(s) not shown). ` +
        `The full plan is in ${options.artifactHint ? escapeMarkdown(options.artifactHint) : 'the job summary and the report artifact'}.\n`,
    )
  );
}
