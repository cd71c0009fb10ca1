import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCampaigns } from '../../src/campaign/index.js';
import { changesSinceBase } from '../../src/github/base-branch.js';
import { makePlan, planChanges, reviewPlan } from '../../src/plan/index.js';
import { renderPlanComment } from '../../src/report/index.js';
import { NOW, batchFor, campaign, loaded } from '../plan/fixtures.js';

const file = (name: string, message: string, numbers: string[]) =>
  `name: ${name}\ntype: transactional\nfrom: SHOP\nnoStop: true\nmessage: ${message}\nto: [${numbers.map((number) => `"${number}"`).join(', ')}]\n`;

let dir: string | null = null;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = null;
});

describe('changes since the base branch', () => {
  it('lists campaigns added, edited (with what) and removed, and the credits a merge spends before and after', () => {
    const sent = campaign({ name: 'sent' });
    const edited = campaign({ name: 'edited', recipients: ['+33612345678'] });
    const removed = campaign({ name: 'removed', recipients: ['+33612345678', '+33612345679', '+33612345680'] });
    const base = [sent, edited, removed].map(loaded);
    const head = [sent, { ...edited, message: 'New text', recipients: ['+33612345678', '+32470123456'] }, campaign({ name: 'added' })].map(
      loaded,
    );
    const plan = reviewPlan(makePlan(head, { service: 's', batches: [batchFor(sent)] }, NOW), null);
    const result = planChanges(base, plan);
    expect(result.changes).toEqual([
      { kind: 'edited', name: 'edited', file: 'campaigns/edited.yml', fields: ['message', 'recipients'] },
      { kind: 'added', name: 'added', file: 'campaigns/added.yml' },
      { kind: 'removed', name: 'removed', file: 'campaigns/removed.yml' },
    ]);
    expect(result).toMatchObject({ creditsBefore: 4, creditsAfter: 4 });
    const comment = renderPlanComment(plan, { changes: { kind: 'computed', base: 'main', changes: result } });
    expect(comment).toContain('### Changes since `main`');
    expect(comment).toContain('- ✏️ **edited** edited (message, recipients): campaigns/edited.yml');
    expect(comment).toContain('Credits to spend on merge: 4 on `main` → **4** with this pull request (+0).');
  });

  it('reads the base commit from git, and says why when it cannot', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'changes-'));
    const run = (...args: string[]) =>
      execFileSync('git', ['-C', dir!, ...args], { stdio: 'pipe' })
        .toString()
        .trim();
    run('init', '-q');
    await mkdir(path.join(dir, 'campaigns'));
    await writeFile(path.join(dir, 'campaigns', 'a.yml'), file('a', 'Hello', ['+33612345678']));
    await writeFile(path.join(dir, 'campaigns', 'b.yml'), file('b', 'Bye', ['+33612345678']));
    run('add', '.');
    run('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'base');
    const baseSha = run('rev-parse', 'HEAD');
    await writeFile(path.join(dir, 'campaigns', 'a.yml'), file('a', 'Hello again', ['+33612345678']));
    await rm(path.join(dir, 'campaigns', 'b.yml'));
    await writeFile(path.join(dir, 'campaigns', 'c.yml'), file('c', 'New', ['+33612345678', '+33612345679']));

    const plan = reviewPlan(makePlan(await loadCampaigns(['campaigns/*.yml'], { cwd: dir, env: {} }), null, NOW), null);
    const section = await changesSinceBase({ cwd: dir, baseSha, baseName: 'main', patterns: [], env: {}, plan });
    expect(section).toMatchObject({ kind: 'computed', base: 'main', changes: { creditsBefore: 2, creditsAfter: 3 } });
    expect(section.kind === 'computed' && section.changes.changes.map((change) => `${change.kind} ${change.name}`)).toEqual([
      'edited a',
      'added c',
      'removed b',
    ]);

    const missing = await changesSinceBase({ cwd: dir, baseSha: '0'.repeat(40), baseName: 'main', patterns: [], env: {}, plan });
    expect(missing).toMatchObject({ kind: 'unavailable', reason: expect.stringContaining('git fetch exited') });
    expect(renderPlanComment(plan, { changes: missing })).toContain('Not computed: git fetch exited');
  });
});
