import { parseCommentMarker } from '../report/index.js';
import { errorText } from '../common/index.js';

export interface IssueComment {
  id: number;
  body?: string | null;
  user: { login: string } | null;
  created_at: string;
}

/** The issue comment endpoints of one pull request. */
export interface IssueCommentsApi {
  /** Every comment, all pages. */
  list(): Promise<IssueComment[]>;
  create(body: string): Promise<IssueComment>;
  update(id: number, body: string): Promise<IssueComment>;
  remove(id: number): Promise<void>;
  /** The login comments are posted as; null when the token cannot tell (GITHUB_TOKEN cannot read /user). */
  viewerLogin(): Promise<string | null>;
}

/** The author of comments posted with the workflow's GITHUB_TOKEN. */
export const ACTIONS_BOT_LOGIN = 'github-actions[bot]';

export type StickyCommentResult =
  | { status: 'created' | 'updated' | 'unchanged'; commentId: number; duplicatesRemoved: number }
  | { status: 'forbidden' | 'failed'; reason: string };

/**
 * Creates or updates this pull request's plan comment, found by its hidden marker and author.
 * Read-then-create is not atomic, so after creating it lists again and keeps the oldest plan comment:
 * two racing runs converge on one comment.
 */
export async function upsertStickyComment(api: IssueCommentsApi, body: string): Promise<StickyCommentResult> {
  try {
    const login = (await api.viewerLogin()) ?? ACTIONS_BOT_LOGIN;
    const existing = await findPlanComments(api, login);
    if (existing.length > 0) return await keepOldest(api, existing, body, null);

    const created = await api.create(body);
    const author = created.user?.login ?? login;
    const afterCreate = ourComments(await api.list(), author);
    if (!afterCreate.some((comment) => comment.id === created.id)) afterCreate.push(created);
    return await keepOldest(api, sortOldestFirst(afterCreate), body, created.id);
  } catch (error) {
    const status = httpStatus(error);
    if (status === 403 || status === 401) {
      return {
        status: 'forbidden',
        reason:
          'the token cannot comment on this pull request (pull requests from forks get a read-only token; ' +
          'otherwise grant `pull-requests: write`)',
      };
    }
    return { status: 'failed', reason: errorText(error) };
  }
}

/** The plan comments this action posted (by marker and author, so nobody else's comment counts), oldest first. */
export async function findPlanComments(api: IssueCommentsApi, login?: string): Promise<IssueComment[]> {
  return ourComments(await api.list(), login ?? (await api.viewerLogin()) ?? ACTIONS_BOT_LOGIN);
}

function ourComments(comments: IssueComment[], login: string): IssueComment[] {
  return sortOldestFirst(comments.filter((comment) => comment.user?.login === login && parseCommentMarker(comment.body) !== null));
}

function sortOldestFirst(comments: IssueComment[]): IssueComment[] {
  return [...comments].sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id - b.id);
}

async function keepOldest(
  api: IssueCommentsApi,
  comments: IssueComment[],
  body: string,
  createdId: number | null,
): Promise<StickyCommentResult> {
  const [keep, ...duplicates] = comments as [IssueComment, ...IssueComment[]];
  for (const duplicate of duplicates) await removeIfPresent(api, duplicate.id);
  const duplicatesRemoved = duplicates.length;
  if (keep.id === createdId) return { status: 'created', commentId: keep.id, duplicatesRemoved };
  if (keep.body === body) return { status: 'unchanged', commentId: keep.id, duplicatesRemoved };
  await api.update(keep.id, body);
  return { status: 'updated', commentId: keep.id, duplicatesRemoved };
}

/** A racing run may have deleted the same duplicate already. */
async function removeIfPresent(api: IssueCommentsApi, id: number): Promise<void> {
  try {
    await api.remove(id);
  } catch (error) {
    if (httpStatus(error) !== 404) throw error;
  }
}

function httpStatus(error: unknown): number | null {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : null;
}
