import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { parseCommentMarker } from '../../src/report/index.js';
import { startFakeArtifactService, type FakeArtifactService } from '../support/fake-artifacts.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { ensureBuilt } from '../support/build.js';
import { runAction, type ActionRun, type RunActionOptions } from '../support/runner.js';
import { readZip } from '../support/zip.js';

const FIXTURES = path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures');
const PR_NUMBER = 7;
const pullRequestPayload = {
  action: 'synchronize',
  number: PR_NUMBER,
  pull_request: { number: PR_NUMBER, head: { sha: 'b'.repeat(40) } },
  repository: { name: 'sms', owner: { login: 'acme' } },
};

let sandbox: Sandbox;
let caFile: string;
let github: FakeGitHub;
let artifacts: FakeArtifactService;

beforeAll(async () => {
  await ensureBuilt();
  sandbox = await startSandbox({ batchDurationMs: 300, documentReadyAfterPolls: 1 });
  caFile = path.join(await mkdtemp(path.join(tmpdir(), 'sms-ca-')), 'sandbox-ca.pem');
  await writeFile(caFile, sandbox.ca);
}, 300_000);

afterAll(async () => {
  await sandbox?.stop();
});

afterEach(async () => {
  await github?.close();
  await artifacts?.close();
});

/** A copy of the valid workspace whose order-shipped campaign says `message`, to one recipient. */
async function changedWorkspace(message: string): Promise<string> {
  const changed = path.join(await mkdtemp(path.join(tmpdir(), 'sms-ws-')), 'ws');
  await cp(path.join(FIXTURES, 'valid'), changed, { recursive: true });
  await writeFile(
    path.join(changed, 'campaigns', 'order-shipped.yml'),
    `name: order-shipped-e2e\ntype: transactional\nfrom: ACME\nnoStop: true\nmessage: ${message}\nto: ["+33612345601"]\n`,
  );
  return changed;
}

async function startFakes(options: Parameters<typeof startFakeGitHub>[0] = {}): Promise<void> {
  github = await startFakeGitHub(options);
  artifacts = await startFakeArtifactService();
}

function withSecrets(): Record<string, string> {
  return {
    endpoint: sandbox.url,
    'application-key': sandbox.credentials.applicationKey,
    'application-secret': sandbox.credentials.applicationSecret,
    'consumer-key': sandbox.credentials.consumerKey,
  };
}

function run(options: Partial<RunActionOptions> & Pick<RunActionOptions, 'eventName'>): Promise<ActionRun> {
  return runAction({
    payload: {},
    workspaceSource: path.join(FIXTURES, 'valid'),
    githubApiUrl: github.url,
    resultsUrl: artifacts.url,
    runtimeToken: artifacts.runtimeToken,
    ...options,
    extraEnv: { NODE_EXTRA_CA_CERTS: caFile, ...options.extraEnv },
  });
}

const planComments = () => (github.comments.get(PR_NUMBER) ?? []).filter((comment) => parseCommentMarker(comment.body) !== null);

function expectNoFullNumbers(text: string): void {
  expect(text).not.toMatch(/\+?33612345\d{3}/);
}

describe('dist/index.js on a pull request', () => {
  it('plans, creates one sticky comment, then updates the same comment on the next push', async () => {
    await startFakes();
    const first = await run({ eventName: 'pull_request', payload: pullRequestPayload, inputs: withSecrets() });
    expect(first.exitCode, first.stdout + first.stderr).toBe(0);
    expect(planComments()).toHaveLength(1);
    const [comment] = planComments();
    const firstPlan = JSON.parse(first.outputs['plan'] ?? '{}') as { campaigns: { digest: string | null }[] };
    expect(firstPlan.campaigns.map((campaign) => campaign.digest)).toEqual([
      expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      expect.stringMatching(/^sha256:/),
    ]);
    expect(parseCommentMarker(comment?.body)).toEqual({
      digest: first.outputs['digest'],
      campaigns: firstPlan.campaigns.map((campaign) => campaign.digest),
    });
    expect(comment?.body).toContain('order-shipped-e2e');
    expect(first.outputs['comment-id']).toBe(String(comment?.id));
    expect(JSON.parse(first.outputs['plan'] ?? '{}')).toMatchObject({ offline: false, totals: { create: 2, recipients: 3 } });
    expect(first.outputs['created']).toBe('0');

    const masks = first.commands.filter((command) => command.name === 'add-mask').map((command) => command.message);
    expect(masks).toEqual(expect.arrayContaining([sandbox.credentials.applicationSecret, sandbox.credentials.consumerKey]));

    const changed = await changedWorkspace('Your order has shipped.');
    const second = await run({ eventName: 'pull_request', payload: pullRequestPayload, inputs: withSecrets(), workspaceSource: changed });
    expect(second.exitCode, second.stdout + second.stderr).toBe(0);
    expect(second.outputs['digest']).not.toBe(first.outputs['digest']);
    expect(planComments()).toHaveLength(1);
    expect(planComments()[0]?.id).toBe(comment?.id);
    expect(parseCommentMarker(planComments()[0]?.body)).toMatchObject({ digest: second.outputs['digest'] });
    expect(github.requests.filter((request) => request.method === 'PATCH')).toHaveLength(1);
    expect(sandbox.batches()).toHaveLength(0);
  });

  it('leaves one comment when two runs race', async () => {
    await startFakes({ listBarrier: 2 });
    const runs = await Promise.all([
      run({ eventName: 'pull_request', payload: pullRequestPayload, inputs: withSecrets() }),
      run({ eventName: 'pull_request', payload: pullRequestPayload, inputs: withSecrets() }),
    ]);
    for (const result of runs) expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(github.requests.filter((request) => request.method === 'POST')).toHaveLength(2);
    expect(planComments()).toHaveLength(1);
    expect(runs.map((result) => result.outputs['comment-id'])).toEqual([String(planComments()[0]?.id), String(planComments()[0]?.id)]);
  });

  it('annotates an invalid campaign file and fails the step', async () => {
    await startFakes();
    const result = await run({
      eventName: 'pull_request',
      payload: pullRequestPayload,
      inputs: withSecrets(),
      workspaceSource: path.join(FIXTURES, 'invalid'),
    });
    expect(result.exitCode).toBe(1);
    const errors = result.commands.filter((command) => command.name === 'error');
    const annotated = errors.filter((command) => command.properties['file'] !== undefined);
    expect(annotated.map((command) => [command.properties['file'], command.properties['line']])).toEqual([
      ['campaigns/bad-number.yml', '8'],
      ['campaigns/broken.yml', '7'],
    ]);
    expect(result.stdout).toMatch(/^::error title=[^,]*,file=campaigns\/broken\.yml,line=7,col=1::unknown field/m);
    expect(errors.some((command) => command.properties['file'] === undefined)).toBe(true);
    expect(result.summary).toContain('campaigns/broken.yml:7:1');
    expect(result.summary).toContain('campaigns/bad-number.yml:8:5');
    expect(planComments()[0]?.body).toContain('invalid');
    expectNoFullNumbers(result.stdout + result.summary);
  });

  it('plans offline for a fork pull request without secrets, and says why it could not comment', async () => {
    await startFakes({ readOnly: true });
    const result = await run({ eventName: 'pull_request', payload: pullRequestPayload, inputs: {} });
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(JSON.parse(result.outputs['plan'] ?? '{}')).toMatchObject({ offline: true, service: null });
    expect(result.commands.some((command) => command.name === 'notice' && /offline/i.test(command.message))).toBe(true);
    expect(result.summary).toContain('Offline plan');
    expect(result.summary).toMatch(/No plan comment: the token cannot comment/);
    expect(result.outputs['comment-id']).toBe('');
    expect(github.comments.get(PR_NUMBER)).toBeUndefined();
  });
});

describe('dist/index.js on push', () => {
  it('applies, writes statistics to the summary, uploads the report folder and sets the outputs', async () => {
    await startFakes();
    const before = sandbox.batches().length;
    const result = await run({ eventName: 'push', payload: { after: 'a'.repeat(40) }, inputs: { ...withSecrets(), 'overlap-guard': '1' } });
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);

    const created = sandbox.batches().slice(before);
    expect(created.map((batch) => batch.name).sort()).toEqual(['appointment-reminder-e2e', 'order-shipped-e2e']);
    expect(result.outputs['created']).toBe('2');
    expect(JSON.parse(result.outputs['batches'] ?? '{}')).toEqual(Object.fromEntries(created.map((batch) => [batch.name, batch.id])));
    expect(result.outputs['report-dir']).toContain('sms-campaign-report-');

    expect(result.summary).toContain('### Results');
    expect(result.summary).toContain('The plan was not reviewed: commit aaaaaaa came from no pull request.');
    expect(result.summary).toMatch(/\| order-shipped-e2e \| [^|]+ \| ✅ completed \| 2 \| \d+ \|/);
    expectNoFullNumbers(result.stdout + result.summary);

    expect(artifacts.artifacts).toHaveLength(1);
    const [artifact] = artifacts.artifacts;
    expect(result.outputs['artifact-id']).toBe(String(artifact?.id));
    const files = readZip(artifact?.zip ?? Buffer.alloc(0));
    const names = [...files.keys()].sort();
    expect(names).toEqual(expect.arrayContaining(['plan.json', 'results.json', 'summary.md']));
    expect(names.filter((name) => name.endsWith('/statistics.json'))).toHaveLength(2);
    expect(names.filter((name) => name.endsWith('/outgoing.csv'))).toHaveLength(2);
    const summaryFile = files.get('summary.md')?.toString() ?? '';
    expect(result.summary.startsWith(summaryFile.trimEnd())).toBe(true);
    expect(summaryFile).toContain('### Results');
    expect(Buffer.byteLength(result.summary)).toBeLessThan(1024 * 1024);
    const results = JSON.parse(files.get('results.json')?.toString() ?? '{}');
    expect(results.campaigns.map((campaign: { batchId: string }) => campaign.batchId).sort()).toEqual(
      created.map((batch) => batch.id).sort(),
    );

    const again = await run({ eventName: 'push', payload: {}, inputs: { ...withSecrets(), 'artifact-name': '' } });
    expect(again.exitCode, again.stdout + again.stderr).toBe(0);
    expect(again.outputs['created']).toBe('0');
    expect(sandbox.batches().length).toBe(before + 2);
    expect(artifacts.artifacts).toHaveLength(1);
    expect(again.outputs['artifact-id']).toBe('');
  });

  it('prints an OVH error with workflow commands in it as text, never as commands', async () => {
    await startFakes();
    const hostile = await startSandbox({
      batchDurationMs: 300,
      faults: [
        {
          method: 'POST',
          path: /\/batches$/,
          kind: 'status',
          status: 400,
          message: 'Invalid receiver\n::add-mask::x\n::error::forged by the API\r##[add-mask]y',
        },
      ],
    });
    try {
      const inputs = {
        endpoint: hostile.url,
        'application-key': hostile.credentials.applicationKey,
        'application-secret': hostile.credentials.applicationSecret,
        'consumer-key': hostile.credentials.consumerKey,
        'overlap-guard': '1',
        'artifact-name': '',
      };
      const result = await run({ eventName: 'push', payload: {}, inputs });
      expect(result.exitCode, result.stdout + result.stderr).toBe(1);
      expect(result.stdout).toMatch(/^[^:].*Invalid receiver%0A::add-mask::x%0A::error::forged by the API%0D##\[add-mask\]y/m);
      const masks = result.commands.filter((command) => command.name === 'add-mask').map((command) => command.message);
      expect([...new Set(masks)].sort()).toEqual(Object.values(hostile.credentials).sort());
      const errors = result.commands.filter((command) => command.name === 'error').map((command) => command.message);
      expect(errors).not.toContain('forged by the API');
      for (const line of result.stdout.split(/\r\n|\r|\n/)) expect(line).not.toMatch(/^\s*##\[/);
    } finally {
      await hostile.stop();
    }
  });

  it('fails clearly when asked to apply without credentials', async () => {
    await startFakes();
    const result = await run({ eventName: 'push', payload: {}, inputs: {} });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/::error::apply needs OVH credentials/);
  });
});

describe('dist/index.js on push: sends only what was reviewed', () => {
  let account: Sandbox;
  beforeEach(async () => {
    account = await startSandbox({ batchDurationMs: 300, documentReadyAfterPolls: 1 });
  });
  afterEach(async () => {
    await account?.stop();
  });
  const secrets = (): Record<string, string> => ({
    endpoint: account.url,
    'application-key': account.credentials.applicationKey,
    'application-secret': account.credentials.applicationSecret,
    'consumer-key': account.credentials.consumerKey,
    'overlap-guard': '1',
    'artifact-name': '',
  });
  const mergedAs = (sha: string) =>
    github.pulls.set(sha, [{ number: PR_NUMBER, state: 'closed', merged_at: '2026-12-01T10:00:00Z', merge_commit_sha: sha }]);

  it('sends the campaigns whose digest the pull request comment showed, refuses the one changed after review', async () => {
    await startFakes();
    const reviewed = await run({ eventName: 'pull_request', payload: pullRequestPayload, inputs: secrets() });
    expect(reviewed.exitCode, reviewed.stdout + reviewed.stderr).toBe(0);
    mergedAs('a'.repeat(40));

    const result = await run({
      eventName: 'push',
      payload: { after: 'a'.repeat(40) },
      inputs: secrets(),
      workspaceSource: await changedWorkspace('Changed after the review.'),
    });
    expect(result.exitCode, result.stdout + result.stderr).toBe(1);
    expect(account.batches().map((batch) => batch.name)).toEqual(['appointment-reminder-e2e']);
    const refusal = result.commands.find(
      (command) => command.name === 'error' && command.properties['file'] === 'campaigns/order-shipped.yml',
    );
    expect(refusal?.message).toMatch(/not in the plan reviewed in pull request #7/);
    expect(refusal?.properties['line']).toBe('1');
    const summary = result.summary.replace(/&#35;/g, '#');
    expect(summary).toMatch(
      /campaigns\/order-shipped\.yml:1:7\*\*: not sent: this content .* is not in the plan reviewed in pull request #7/,
    );
    expect(summary).toContain('Review check: the plan comment of pull request #7 lists what was reviewed. 1 campaign(s) refused');
    expect(result.outputs['created']).toBe('1');
    expect(github.requests.some((request) => request.path.startsWith(`/repos/acme/sms/commits/${'a'.repeat(40)}/pulls`))).toBe(true);
  });

  it('sends everything when nothing changed since the review', async () => {
    await startFakes();
    expect((await run({ eventName: 'pull_request', payload: pullRequestPayload, inputs: secrets() })).exitCode).toBe(0);
    mergedAs('a'.repeat(40));
    const result = await run({ eventName: 'push', payload: {}, inputs: secrets() });
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(
      account
        .batches()
        .map((batch) => batch.name)
        .sort(),
    ).toEqual(['appointment-reminder-e2e', 'order-shipped-e2e']);
    expect(result.summary).toContain('Every campaign to send matches it.');
  });

  it('refuses everything when the pull request has no plan comment, or cannot be looked up', async () => {
    await startFakes();
    mergedAs('a'.repeat(40));
    const uncommented = await run({ eventName: 'push', payload: {}, inputs: secrets() });
    expect(uncommented.exitCode).toBe(1);
    expect(uncommented.summary.replace(/&#35;/g, '#')).toMatch(/pull request #7 has no plan comment/);
    await github.close();
    await artifacts.close();
    await startFakes({ pullsStatus: 403 });
    const forbidden = await run({ eventName: 'push', payload: {}, inputs: secrets() });
    expect(forbidden.exitCode).toBe(1);
    expect(forbidden.summary).toMatch(/pull-requests: read/);
    expect(account.batches()).toEqual([]);
  });

  it('refuses a plan whose digest is not the expected one, sending nothing', async () => {
    await startFakes();
    const result = await run({ eventName: 'push', payload: {}, inputs: { ...secrets(), 'expect-digest': `sha256:${'0'.repeat(64)}` } });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/::error::Nothing was sent: the plan's digest sha256:[0-9a-f]{64} is not the expected sha256:0{64}/);
    expect(account.batches()).toEqual([]);
  });
});
