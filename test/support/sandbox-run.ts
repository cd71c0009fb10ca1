import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { runCommand, type Command, type RunOutcome, type RunSettings } from '../../src/run/index.js';
import { sandboxSettings, startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';

/** runCommand's settings for the repository `cwd` against the sandbox: no waiting, no overlap guard, report in `cwd/report`, no log. */
export function sandboxRunSettings(sandbox: Sandbox, cwd: string, extra: Partial<RunSettings> = {}): RunSettings {
  return {
    cwd,
    patterns: [],
    env: {},
    ovh: sandboxSettings(sandbox),
    offline: false,
    sandbox: null,
    wait: false,
    timeoutMinutes: 1,
    maxCredits: null,
    overlapGuardSeconds: 0,
    reportDir: path.join(cwd, 'report'),
    log: () => undefined,
    ...extra,
  };
}

export interface SandboxRun {
  sandbox: Sandbox;
  /** The repository's root; the campaign files are in campaigns/. */
  dir: string;
  /** runCommand on the repository against the sandbox, with sandboxRunSettings, then `defaults`, then `extra`. */
  run(command: Command, extra?: Partial<RunSettings>): Promise<RunOutcome>;
  /** Writes campaigns/<name>. */
  write(name: string, text: string): Promise<void>;
}

/**
 * A sandbox (batches complete in 200 ms unless told) and a temporary repository of campaign files, both removed after
 * each test of the file or describe block that calls this.
 */
export function useSandboxRun(
  prefix: string,
): (files: Record<string, string>, options?: SandboxOptions, defaults?: Partial<RunSettings>) => Promise<SandboxRun> {
  let opened: SandboxRun | null = null;
  afterEach(async () => {
    await opened?.sandbox.stop();
    if (opened) await rm(opened.dir, { recursive: true, force: true });
    opened = null;
  });
  return async (files, options = {}, defaults = {}) => {
    const sandbox = await startSandbox({ batchDurationMs: 200, ...options });
    const dir = await mkdtemp(path.join(tmpdir(), prefix));
    const write = (name: string, text: string) => writeFile(path.join(dir, 'campaigns', name), text);
    opened = {
      sandbox,
      dir,
      write,
      run: (command, extra = {}) => runCommand(command, sandboxRunSettings(sandbox, dir, { ...defaults, ...extra })),
    };
    await mkdir(path.join(dir, 'campaigns'));
    for (const [name, text] of Object.entries(files)) await write(name, text);
    return opened;
  };
}
