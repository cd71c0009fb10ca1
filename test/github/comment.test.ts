import { getOctokit } from '@actions/github';
import { afterEach, describe, expect, it } from 'vitest';
import { upsertStickyComment } from '../../src/github/comment.js';
import { issueCommentsApi } from '../../src/github/octokit.js';
import { startFakeGitHub, type FakeGitHub, type FakeGitHubOptions } from '../support/fake-github.js';

const PR = 7;
const marker = (digest: string) => `<!-- sms-campaigns:plan {"digest":"${digest}"} -->\n`;
let fake: FakeGitHub | null = null;

async function setup(options: FakeGitHubOptions = {}) {
  fake = await startFakeGitHub(options);
  const octokit = getOctokit('ghs_test', { baseUrl: fake.url });
  return { fake, api: issueCommentsApi(octokit, { owner: 'acme', repo: 'sms', issueNumber: PR }) };
}

afterEach(async () => {
  await fake?.close();
  fake = null;
});

const ours = (github: FakeGitHub) =>
  (github.comments.get(PR) ?? []).filter((comment) => comment.body.startsWith('<!-- sms-campaigns:plan'));

describe('upsertStickyComment', () => {
  it('creates the comment once, then updates it in place', async () => {
    const { fake, api } = await setup();
    const first = await upsertStickyComment(api, marker('a') + 'plan A');
    expect(first).toMatchObject({ status: 'created' });
    const second = await upsertStickyComment(api, marker('b') + 'plan B');
    expect(second).toMatchObject({ status: 'updated', commentId: (first as { commentId: number }).commentId });
    const third = await upsertStickyComment(api, marker('b') + 'plan B');
    expect(third).toMatchObject({ status: 'unchanged' });
    expect(ours(fake).map((comment) => comment.body)).toEqual([marker('b') + 'plan B']);
    expect(fake.requests.filter((request) => request.method === 'PATCH')).toHaveLength(1);
  });

  it('finds its comment on a later page and ignores look-alikes from people', async () => {
    const { fake, api } = await setup({ maxPerPage: 5 });
    for (let index = 0; index < 12; index += 1) fake.addComment(PR, `comment ${index}`, 'alice');
    fake.addComment(PR, marker('forged') + 'not ours', 'mallory');
    const existing = fake.addComment(PR, marker('old') + 'old plan', 'github-actions[bot]');
    const outcome = await upsertStickyComment(api, marker('new') + 'new plan');
    expect(outcome).toMatchObject({ status: 'updated', commentId: existing.id });
    expect(fake.comments.get(PR)?.find((comment) => comment.user.login === 'mallory')?.body).toContain('not ours');
    expect(fake.requests.filter((request) => request.method === 'GET' && request.path.includes('/comments')).length).toBe(3);
  });

  it('leaves one comment when two runs race', async () => {
    const { fake, api } = await setup({ listBarrier: 2 });
    const outcomes = await Promise.all([upsertStickyComment(api, marker('1') + 'run 1'), upsertStickyComment(api, marker('2') + 'run 2')]);
    expect(fake.requests.filter((request) => request.method === 'POST')).toHaveLength(2);
    const left = ours(fake);
    expect(left).toHaveLength(1);
    for (const outcome of outcomes) expect(outcome).toMatchObject({ commentId: left[0]?.id });
  });

  it('removes duplicates left by earlier races, keeping the oldest', async () => {
    const { fake, api } = await setup();
    const oldest = fake.addComment(PR, marker('x') + 'one', 'github-actions[bot]');
    fake.addComment(PR, marker('x') + 'two', 'github-actions[bot]');
    const outcome = await upsertStickyComment(api, marker('y') + 'three');
    expect(outcome).toMatchObject({ status: 'updated', commentId: oldest.id, duplicatesRemoved: 1 });
    expect(ours(fake).map((comment) => comment.body)).toEqual([marker('y') + 'three']);
  });

  it('converges with a GitHub App token whose login /user cannot tell', async () => {
    const { fake, api } = await setup({ login: 'sms-app[bot]' });
    const existing = fake.addComment(PR, marker('old') + 'old', 'sms-app[bot]');
    const outcome = await upsertStickyComment(api, marker('new') + 'new');
    expect(outcome).toMatchObject({ status: 'updated', commentId: existing.id, duplicatesRemoved: 1 });
    expect(ours(fake).map((comment) => [comment.id, comment.body])).toEqual([[existing.id, marker('new') + 'new']]);
  });

  it('reports a read-only token (fork pull request) instead of throwing', async () => {
    const { fake, api } = await setup({ readOnly: true });
    const outcome = await upsertStickyComment(api, marker('a') + 'plan');
    expect(outcome).toMatchObject({ status: 'forbidden' });
    expect((outcome as { reason: string }).reason).toMatch(/fork/);
    expect(fake.comments.get(PR)).toBeUndefined();
  });
});
