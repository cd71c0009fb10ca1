import { getOctokit } from '@actions/github';
import { afterEach, describe, expect, it } from 'vitest';
import { reviewLookupApi } from '../../src/github/octokit.js';
import { findReview } from '../../src/github/review.js';
import { commentMarker } from '../../src/report/index.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';

const SHA = 'c'.repeat(40);
const REVIEWED = `sha256:${'1'.repeat(64)}`;
let github: FakeGitHub | null = null;
afterEach(async () => {
  await github?.close();
  github = null;
});

async function lookup(options: Parameters<typeof startFakeGitHub>[0] = {}) {
  github = await startFakeGitHub(options);
  const api = reviewLookupApi(getOctokit('ghs_fake', { baseUrl: github.url }), { owner: 'acme', repo: 'sms' });
  return { github, find: () => findReview(api, SHA) };
}

const merged = (number: number, at: string, sha: string | null = null) => ({
  number,
  state: 'closed' as const,
  merged_at: at,
  merge_commit_sha: sha,
});

describe('findReview against a loopback GitHub API', () => {
  it('reads the campaign digests of the plan comment of the pull request merged as this commit', async () => {
    const { github, find } = await lookup();
    github.pulls.set(SHA, [
      merged(3, '2026-12-01T12:00:00Z'),
      merged(5, '2026-12-01T09:00:00Z', SHA),
      { number: 8, state: 'open', merged_at: null, merge_commit_sha: null },
    ]);
    github.addComment(5, 'LGTM', 'octocat');
    github.addComment(5, `${commentMarker({ digest: 'sha256:forged', campaigns: ['sha256:forged'] })}\nfake`, 'mallory');
    github.addComment(5, `${commentMarker({ digest: 'sha256:plan', campaigns: [REVIEWED] })}\n## plan`, 'github-actions[bot]');
    expect(await find()).toEqual({ kind: 'reviewed', pullRequest: 5, planDigest: 'sha256:plan', campaigns: [REVIEWED] });
  });

  it('takes the last merged pull request when none was merged as this commit; a plan comment must exist', async () => {
    const { github, find } = await lookup();
    github.pulls.set(SHA, [merged(3, '2026-12-01T12:00:00Z'), merged(4, '2026-12-01T08:00:00Z')]);
    expect(await find()).toEqual({ kind: 'no-plan-comment', pullRequest: 3 });
  });

  it('says when no merged pull request is behind the commit (a direct push)', async () => {
    const { github, find } = await lookup();
    github.pulls.set(SHA, [{ number: 8, state: 'open', merged_at: null, merge_commit_sha: null }]);
    expect(await find()).toEqual({ kind: 'no-pull-request', commit: SHA });
  });

  it('reports a look-up GitHub refuses, naming the permission', async () => {
    const { find } = await lookup({ pullsStatus: 403 });
    expect(await find()).toMatchObject({ kind: 'unknown', reason: expect.stringMatching(/cccccc.*pull-requests: read/) });
  });
});
