import { sendJson, startLoopbackServer, type LoopbackServer } from './http.js';

export interface FakeComment {
  id: number;
  body: string;
  user: { login: string; type: string };
  created_at: string;
  updated_at: string;
}

/** What "list pull requests associated with a commit" returns for one pull request. */
export interface FakePull {
  number: number;
  state: 'open' | 'closed';
  merged_at: string | null;
  merge_commit_sha: string | null;
}

export interface FakeGitHubOptions {
  /** Largest page the fake serves whatever per_page asks, to exercise pagination. */
  maxPerPage?: number;
  /** Answer 403 to every write, like a fork pull request's read-only token. */
  readOnly?: boolean;
  /** Login comments are created as. */
  login?: string;
  /** Hold the first N list requests until all N arrived (or 10 s passed), so N runs surely race. */
  listBarrier?: number;
  /** Answer this status to the pull requests of a commit, like a token without `pull-requests: read`. */
  pullsStatus?: number;
}

export interface FakeGitHub extends LoopbackServer {
  /** Comments by issue number, in creation order. */
  comments: Map<number, FakeComment[]>;
  addComment(issue: number, body: string, login: string): FakeComment;
  /** Pull requests associated with each commit sha (none by default: a direct push). */
  pulls: Map<string, FakePull[]>;
}

const COMMENTS = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/;
const COMMENT = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/;
const COMMIT_PULLS = /^\/repos\/([^/]+)\/([^/]+)\/commits\/([0-9a-f]+)\/pulls$/;

/** The issue comment endpoints of GitHub's REST API, in memory. */
export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const comments = new Map<number, FakeComment[]>();
  const pulls = new Map<string, FakePull[]>();
  const login = options.login ?? 'github-actions[bot]';
  let nextId = 1000;
  let barrierWaiting: (() => void)[] = [];
  let barrierLeft = options.listBarrier ?? 0;
  const passBarrier = (): Promise<void> => {
    if (barrierLeft <= 0) return Promise.resolve();
    barrierLeft -= 1;
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 10_000);
      barrierWaiting.push(() => {
        clearTimeout(timer);
        resolve();
      });
      if (barrierLeft === 0) {
        for (const release of barrierWaiting) release();
        barrierWaiting = [];
      }
    });
  };
  // GitHub timestamps have one-second resolution; racing creates often share one.
  const now = (): string => new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace('.000', '');

  const addComment = (issue: number, body: string, author: string): FakeComment => {
    const comment: FakeComment = {
      id: nextId++,
      body,
      user: { login: author, type: author.endsWith('[bot]') ? 'Bot' : 'User' },
      created_at: now(),
      updated_at: now(),
    };
    comments.set(issue, [...(comments.get(issue) ?? []), comment]);
    return comment;
  };
  const find = (id: number): { issue: number; comment: FakeComment } | null => {
    for (const [issue, list] of comments) {
      const comment = list.find((candidate) => candidate.id === id);
      if (comment) return { issue, comment };
    }
    return null;
  };

  const server = await startLoopbackServer(async (request, response) => {
    const url = new URL(request.path, 'http://fake');
    if (request.method === 'GET' && url.pathname === '/user') {
      return sendJson(response, 403, { message: 'Resource not accessible by integration' });
    }
    const commitPulls = COMMIT_PULLS.exec(url.pathname);
    if (request.method === 'GET' && commitPulls) {
      if (options.pullsStatus) return sendJson(response, options.pullsStatus, { message: 'Resource not accessible by integration' });
      return sendJson(response, 200, pulls.get(commitPulls[3] ?? '') ?? []);
    }
    const write = request.method !== 'GET';
    if (write && options.readOnly) {
      return sendJson(response, 403, { message: 'Resource not accessible by integration' });
    }
    const many = COMMENTS.exec(url.pathname);
    if (many) {
      const issue = Number(many[3]);
      if (request.method === 'GET') {
        if (url.searchParams.get('page') === null) await passBarrier();
        const all = comments.get(issue) ?? [];
        const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), options.maxPerPage ?? 100);
        const page = Number(url.searchParams.get('page') ?? 1);
        const slice = all.slice((page - 1) * perPage, page * perPage);
        const headers: Record<string, string> = {};
        if (page * perPage < all.length) {
          const next = new URL(url.toString());
          next.searchParams.set('page', String(page + 1));
          headers['link'] = `<${server.url}${next.pathname}${next.search}>; rel="next"`;
        }
        return sendJson(response, 200, slice, headers);
      }
      if (request.method === 'POST') {
        const { body } = JSON.parse(request.body.toString()) as { body: string };
        return sendJson(response, 201, addComment(issue, body, login));
      }
    }
    const one = COMMENT.exec(url.pathname);
    if (one) {
      const found = find(Number(one[3]));
      if (!found) return sendJson(response, 404, { message: 'Not Found' });
      if (request.method === 'PATCH') {
        const { body } = JSON.parse(request.body.toString()) as { body: string };
        found.comment.body = body;
        found.comment.updated_at = now();
        return sendJson(response, 200, found.comment);
      }
      if (request.method === 'DELETE') {
        comments.set(
          found.issue,
          (comments.get(found.issue) ?? []).filter((comment) => comment.id !== found.comment.id),
        );
        response.writeHead(204).end();
        return;
      }
    }
    sendJson(response, 404, { message: `Not Found: ${request.method} ${url.pathname}` });
  });
  return Object.assign(server, { comments, addComment, pulls });
}
