import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import type { RunSettings } from '../../src/run/index.js';
import { sandboxSettings, startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';

export interface SandboxRepository {
  sandbox: Sandbox;
  /** The repository's root: `campaigns/parcel.yml` holds the campaign. */
  repo: string;
  /** Settings for runCommand against the sandbox: wait, overlap guard off, report folder `report/` in the repository. */
  settings: RunSettings;
}

/**
 * A sandbox account and a temporary repository holding one campaign file, both removed after each test of the file
 * that calls this (at module level).
 */
export function useSandboxRepository(): (campaign: string, options?: SandboxOptions) => Promise<SandboxRepository> {
  let opened: SandboxRepository | null = null;
  afterEach(async () => {
    await opened?.sandbox.stop();
    if (opened) await rm(opened.repo, { recursive: true, force: true });
    opened = null;
  });
  return async (campaign, options = {}) => {
    const sandbox = await startSandbox({ batchDurationMs: 100, documentReadyAfterPolls: 1, ...options });
    const repo = await mkdtemp(path.join(tmpdir(), 'sms-run-'));
    opened = { sandbox, repo, settings: runSettings(repo, sandbox) };
    await mkdir(path.join(repo, 'campaigns'));
    await writeFile(path.join(repo, 'campaigns', 'parcel.yml'), campaign);
    return opened;
  };
}

function runSettings(repo: string, sandbox: Sandbox): RunSettings {
  return {
    cwd: repo,
    patterns: [],
    env: {},
    ovh: sandboxSettings(sandbox),
    offline: false,
    sandbox: null,
    wait: true,
    timeoutMinutes: 1,
    maxCredits: null,
    overlapGuardSeconds: 0,
    reportDir: path.join(repo, 'report'),
    log: () => undefined,
  };
}
