import { cp, mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getOctokit } from '@actions/github';
import { afterEach, describe, expect, it } from 'vitest';
import { runAction, type ActionDeps } from '../../src/github/action.js';
import { parseCommentMarker } from '../../src/report/index.js';
import { startSandboxAccount } from '../../src/sandbox/index.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { actionDefaults } from '../support/runner.js';

// The action in process, through runAction(deps): the runner's toolkit is a recorder, GitHub a loopback fake,
// OVH the simulator over HTTPS. dist/ end to end is test/e2e.

const FIXTURES = path.resolve(import.meta.dirname, '../e2e/fixtures/valid');
const PR_NUMBER = 12;
const TOKEN = 'ghs_unit_test_token';

interface Recorded {
  failed: string[];
  outputs: Record<string, string>;
  secrets: string[];
  summary: string[];
  log: string[];
  uploads: string[];
  /** summary.md as uploaded. */
  summaryFile: string;
}

let github: FakeGitHub | null = null;
afterEach(async () => {
  await github?.close();
  github = null;
});

async function actionDeps(inputs: Record<string, string>, eventName: string, payload: Record<string, unknown>) {
  github = await startFakeGitHub();
  const workspace = path.join(await mkdtemp(path.join(tmpdir(), 'sms-action-run-')), 'workspace');
  await cp(FIXTURES, workspace, { recursive: true });
  const all = { ...(await actionDefaults(TOKEN)), ...inputs };
  const recorded: Recorded = { failed: [], outputs: {}, secrets: [], summary: [], log: [], uploads: [], summaryFile: '' };
  const record = (line: string) => void recorded.log.push(line);
  const baseUrl = github.url;
  const deps: ActionDeps = {
    core: {
      getInput: (name: string) => all[name] ?? '',
      setSecret: (secret: string) => void recorded.secrets.push(secret),
      info: record,
      notice: (message) => record(`notice: ${String(message)}`),
      warning: (message) => record(`warning: ${String(message)}`),
      error: (message) => record(`error: ${String(message)}`),
      debug: record,
      setFailed: (message) => void recorded.failed.push(String(message)),
      setOutput: (name: string, value: unknown) => void (recorded.outputs[name] = String(value)),
      summary: { addRaw: (text: string) => ({ write: async () => void recorded.summary.push(text) }) },
    },
    github: async () => ({
      context: { repo: { owner: 'acme', repo: 'sms' }, sha: 'c'.repeat(40), payload } as never,
      getOctokit: ((token: string) => getOctokit(token, { baseUrl })) as typeof getOctokit,
    }),
    uploadReportFolder: async () => async (folder: string) => {
      recorded.uploads.push(...(await readdir(folder)));
      if (recorded.uploads.includes('summary.md')) recorded.summaryFile = await readFile(path.join(folder, 'summary.md'), 'utf8');
      return { status: 'uploaded' as const, id: 99, size: null, files: recorded.uploads.length };
    },
    startSandbox: startSandboxAccount,
    env: { GITHUB_EVENT_NAME: eventName, GITHUB_WORKSPACE: workspace, RUNNER_TEMP: path.dirname(workspace) },
    cwd: workspace,
  };
  return { deps, recorded };
}

describe('runAction(deps)', () => {
  it('on a pull request: plans on the simulator, posts one sticky comment and sets the outputs', async () => {
    const payload = { pull_request: { number: PR_NUMBER, head: { sha: 'b'.repeat(40) } } };
    const { deps, recorded } = await actionDeps({ endpoint: 'sandbox' }, 'pull_request', payload);
    await runAction(deps);

    expect(recorded.failed).toEqual([]);
    const comments = github!.comments.get(PR_NUMBER) ?? [];
    expect(comments).toHaveLength(1);
    expect(parseCommentMarker(comments[0]!.body)?.digest).toBe(recorded.outputs['digest']);
    const plan = JSON.parse(recorded.outputs['plan']!) as { campaigns: { action: string }[] };
    expect(plan.campaigns.map((campaign) => campaign.action)).toEqual(['create', 'create']);
    expect(recorded.outputs['comment-id']).toBe(String(comments[0]!.id));
    expect(recorded.summary.join('')).toContain('appointment');
    expect(recorded.uploads).toContain('plan.json');
    // summary.md is the job summary with this step's notes (written once, by the action), less the upload's line.
    expect(recorded.summaryFile).toContain('Plan comment created on the pull request');
    expect(recorded.summary.join('').startsWith(recorded.summaryFile.trimEnd())).toBe(true);
    expect(recorded.log.join('\n')).not.toContain(TOKEN);
  });

  it('on a push: applies on the simulator and reports the created batches', async () => {
    const { deps, recorded } = await actionDeps({ endpoint: 'sandbox', 'overlap-guard': '0' }, 'push', {});
    await runAction(deps);

    expect(recorded.failed).toEqual([]);
    expect(recorded.outputs['created']).toBe('2');
    expect(Object.keys(JSON.parse(recorded.outputs['batches']!) as object).sort()).toEqual(
      (JSON.parse(recorded.outputs['plan']!) as { campaigns: { name: string }[] }).campaigns.map((campaign) => campaign.name).sort(),
    );
    expect(recorded.uploads).toEqual(expect.arrayContaining(['plan.json', 'results.json', 'summary.md']));
  });

  it('a bad input fails the step with its message and throws nothing', async () => {
    const { deps, recorded } = await actionDeps({ command: 'deploy' }, 'push', {});
    await expect(runAction(deps)).resolves.toBeUndefined();
    expect(recorded.failed).toHaveLength(1);
    expect(recorded.failed[0]).toMatch(/command/);
    expect(recorded.outputs).toEqual({});
  });
});
