import type { ReviewEvidence } from '../plan/index.js';
import { parseCommentMarker } from '../report/index.js';
import { findPlanComments, type IssueCommentsApi } from './comment.js';
import { errorText } from '../common/index.js';

export interface AssociatedPullRequest {
  number: number;
  merged_at: string | null;
  merge_commit_sha: string | null;
}

/** The GitHub calls the review check needs. */
export interface ReviewLookupApi {
  /** GitHub's "list pull requests associated with a commit". */
  pullRequestsOfCommit(sha: string): Promise<AssociatedPullRequest[]>;
  comments(pullRequest: number): IssueCommentsApi;
}

/**
 * What the reviewers of the pushed commit saw: the merged pull request it came from (the one merged as this very
 * commit, else the last merged) and the campaign digests in that pull request's plan comment.
 */
export async function findReview(api: ReviewLookupApi, sha: string): Promise<ReviewEvidence> {
  try {
    const merged = (await api.pullRequestsOfCommit(sha))
      .filter((pull) => pull.merged_at !== null)
      .sort((a, b) => (b.merged_at ?? '').localeCompare(a.merged_at ?? ''));
    const pull = merged.find((candidate) => candidate.merge_commit_sha === sha) ?? merged[0];
    if (!pull) return { kind: 'no-pull-request', commit: sha };
    const [comment] = await findPlanComments(api.comments(pull.number));
    const marker = parseCommentMarker(comment?.body);
    if (!marker) return { kind: 'no-plan-comment', pullRequest: pull.number };
    return { kind: 'reviewed', pullRequest: pull.number, planDigest: marker.digest, campaigns: marker.campaigns };
  } catch (error) {
    const status = (error as { status?: unknown } | null)?.status;
    const hint = status === 403 || status === 401 ? ' (grant the workflow `pull-requests: read`)' : '';
    const detail = errorText(error);
    return { kind: 'unknown', reason: `the pull request of commit ${sha.slice(0, 7)} could not be read: ${detail}${hint}` };
  }
}
