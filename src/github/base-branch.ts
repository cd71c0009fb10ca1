import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_CAMPAIGN_GLOBS, loadCampaigns } from '../campaign/index.js';
import { planChanges, type Plan } from '../plan/index.js';
import type { ChangesSection } from '../report/index.js';
import { errorText } from '../common/index.js';

/** Runs git, resolving with stdout; `into` pipes stdout to a second process instead. */
function git(cwd: string, args: string[], into?: { command: string; args: string[] }): Promise<string> {
  return new Promise((resolve, reject) => {
    // Never wait for a password prompt: a fetch that needs one fails, and the section says why.
    const child = spawn('git', ['-C', cwd, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
    });
    const sink = into ? spawn(into.command, into.args, { stdio: ['pipe', 'ignore', 'pipe'] }) : null;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    if (sink) child.stdout.pipe(sink.stdin);
    else child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    sink?.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    let pending = sink ? 2 : 1;
    let failed: string | null = null;
    const done = (what: string) => (code: number | null) => {
      if (code !== 0 && failed === null)
        failed = `${what} exited with ${code}: ${Buffer.concat(err).toString('utf8').trim().split('\n')[0] ?? ''}`;
      if (--pending > 0) return;
      if (failed === null) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(failed));
    };
    child.on('error', (error) => reject(new Error(`git could not run: ${error.message}`)));
    sink?.on('error', (error) => reject(new Error(`${into!.command} could not run: ${error.message}`)));
    child.on('close', done(`git ${args[0]}`));
    sink?.on('close', done(into!.command));
  });
}

/**
 * The campaign changes of a pull request against its base commit: the base tree is extracted from git (fetched
 * when a shallow checkout lacks it) into a temporary folder, loaded like the head, and compared with the plan.
 * Never throws: what went wrong becomes the section's reason.
 */
export async function changesSinceBase(input: {
  cwd: string;
  baseSha: string;
  baseName: string;
  patterns: string[];
  env: Record<string, string | undefined>;
  plan: Plan;
}): Promise<ChangesSection> {
  const folder = await mkdtemp(path.join(tmpdir(), 'sms-campaigns-base-'));
  try {
    const present = await git(input.cwd, ['cat-file', '-e', `${input.baseSha}^{commit}`]).then(
      () => true,
      () => false,
    );
    if (!present) await git(input.cwd, ['fetch', '--no-tags', '--depth=1', 'origin', input.baseSha]);
    await git(input.cwd, ['archive', '--format=tar', input.baseSha], { command: 'tar', args: ['-x', '-C', folder] });
    const patterns = input.patterns.length > 0 ? input.patterns : DEFAULT_CAMPAIGN_GLOBS;
    const base = await loadCampaigns(patterns, { cwd: folder, env: input.env });
    return { kind: 'computed', base: input.baseName, changes: planChanges(base, input.plan) };
  } catch (error) {
    return { kind: 'unavailable', base: input.baseName, reason: errorText(error) };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
