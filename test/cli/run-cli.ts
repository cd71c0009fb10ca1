import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { expect } from 'vitest';
import { loadCampaigns, type Campaign } from '../../src/campaign/index.js';
import { REPO_ROOT } from '../support/runner.js';
import type { Sandbox } from '../../src/sandbox/index.js';

/** The package bin, what `npx sms-campaigns` runs. */
export const CLI_BIN = path.join(REPO_ROOT, 'dist', 'cli', 'index.js');
const KILL_AFTER_MS = 60_000;

/** Whether dist/cli/index.js is newer than every file of src/ (CI rebuilds dist/ before the tests). */
export async function binIsFresh(): Promise<boolean> {
  const built = await stat(CLI_BIN).then(
    (info) => info.mtimeMs,
    () => 0,
  );
  const sources = await readdir(path.join(REPO_ROOT, 'src'), { recursive: true, withFileTypes: true });
  for (const entry of sources) {
    if (entry.isFile() && (await stat(path.join(entry.parentPath, entry.name))).mtimeMs > built) return false;
  }
  return built > 0;
}

/**
 * Bundles src/cli.ts as it is now, dependencies included, into dir/cli.mjs: the tests do not depend on a fresh
 * dist/, and a spawn costs half of what compiling through tsx on every start does (they spawn the CLI ~50 times).
 */
export async function buildCliFromSource(dir: string): Promise<string> {
  const outfile = path.join(dir, 'cli.mjs');
  await build({
    entryPoints: [path.join(REPO_ROOT, 'src', 'cli.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
    // CommonJS dependencies (node-ovh…) call require: give the ESM bundle one.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });
  return outfile;
}

/** A scratch folder holding the CLI as built from the source, and the workspace the CLI runs in. */
export interface CliSetUp {
  scratch: string;
  script: string;
  workspace: string;
  /** Deletes the scratch folder and the workspace. */
  remove(): Promise<void>;
}

/** The CLI built into a new scratch folder (`prefix…`), with a workspace inside it holding these files (relative paths). */
export async function cliWithFiles(prefix: string, files: Record<string, string>): Promise<CliSetUp> {
  const scratch = await mkdtemp(path.join(tmpdir(), prefix));
  const script = await buildCliFromSource(scratch);
  const workspace = path.join(scratch, 'repo');
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(workspace, file)), { recursive: true });
    await writeFile(path.join(workspace, file), text);
  }
  return { scratch, script, workspace, remove: () => rm(scratch, { recursive: true, force: true }) };
}

/** A CLI set-up on the example campaigns: the campaigns as the library reads them, and every number they hold. */
export interface ExamplesSetUp extends CliSetUp {
  campaigns: Campaign[];
  numbers: string[];
}

/** The CLI built into a new scratch folder (`prefix…`), and a workspace of the example campaigns. */
export async function cliWithExamples(prefix: string): Promise<ExamplesSetUp> {
  const scratch = await mkdtemp(path.join(tmpdir(), prefix));
  const script = await buildCliFromSource(scratch);
  const workspace = await exampleWorkspace();
  const campaigns = await exampleCampaigns(workspace);
  const remove = async () => {
    await rm(scratch, { recursive: true, force: true });
    await rm(workspace, { recursive: true, force: true });
  };
  return { scratch, script, workspace, campaigns, numbers: recipientsOf(campaigns), remove };
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliCall {
  /** The CLI script: buildCliFromSource's output, or CLI_BIN. */
  script: string;
  cwd: string;
  /** Added to a clean environment (only PATH and TMPDIR are inherited): no OVH_* leaks in from the host. */
  env?: Record<string, string>;
}

export function runCli(args: string[], call: CliCall): Promise<CliRun> {
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '' };
  if (process.env['TMPDIR']) env['TMPDIR'] = process.env['TMPDIR'];
  Object.assign(env, call.env);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [call.script, ...args], { cwd: call.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** What no CLI run may ever print: a stack trace, an error class dump, a full recipient number. */
export function expectCleanOutput(run: CliRun, phoneNumbers: readonly string[]): void {
  for (const [stream, text] of [
    ['stdout', run.stdout],
    ['stderr', run.stderr],
  ] as const) {
    expect(text, `${stream} shows a stack frame`).not.toMatch(/^\s+at /m);
    expect(text, `${stream} shows an error class`).not.toMatch(/(^|\s)[A-Z][A-Za-z]*Error\b/);
    expect(text, `${stream} shows node internals`).not.toMatch(/node:internal|triggerUncaughtException/);
    for (const number of phoneNumbers) {
      expect(text.includes(number), `${stream} shows the full number ${number.slice(0, 4)}…`).toBe(false);
      expect(text.includes(number.slice(1)), `${stream} shows the full number ${number.slice(0, 4)}… without +`).toBe(false);
    }
  }
}

/** A temp copy of the example campaigns, whose scheduled date is moved to next year when it is already past. */
export async function exampleWorkspace(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sms-cli-'));
  await cp(path.join(REPO_ROOT, 'campaigns'), path.join(dir, 'campaigns'), { recursive: true });
  const scheduled = path.join(dir, 'campaigns', 'new-year-greetings.yml');
  const text = await readFile(scheduled, 'utf8');
  const deferred = /^deferred: (\d{4})(-.*)$/m.exec(text);
  if (deferred && Date.parse(`${deferred[1]}${deferred[2]}`) < Date.now() + 86_400_000) {
    // Past dates are an error for a campaign to create; the examples must stay sendable whatever the date.
    await writeFile(scheduled, text.replace(deferred[0], `deferred: ${new Date().getFullYear() + 1}${deferred[2]}`));
  }
  return dir;
}

/** The example campaigns as the library reads them (the truth the CLI's output is checked against). */
export async function exampleCampaigns(workspace: string): Promise<Campaign[]> {
  const loaded = await loadCampaigns(['campaigns/**/*.yml'], { cwd: workspace, env: {} });
  return loaded.map((entry) => {
    if (!entry.valid) throw new Error(`example ${entry.invalid.file} is invalid`);
    return entry.campaign;
  });
}

export function recipientsOf(campaigns: Campaign[]): string[] {
  return [...new Set(campaigns.flatMap((campaign) => campaign.recipients))];
}

/** Every file under dir, relative, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

/** The CLI's environment for a sandbox account: its endpoint, credentials, and its certificate written into `dir`. */
export async function sandboxAccountEnv(
  sandbox: Sandbox,
  dir: string,
  overrides: Record<string, string> = {},
): Promise<Record<string, string>> {
  const caFile = path.join(dir, 'sandbox-ca.pem');
  await writeFile(caFile, sandbox.ca);
  return {
    OVH_ENDPOINT: sandbox.url,
    OVH_APPLICATION_KEY: sandbox.credentials.applicationKey,
    OVH_APPLICATION_SECRET: sandbox.credentials.applicationSecret,
    OVH_CONSUMER_KEY: sandbox.credentials.consumerKey,
    NODE_EXTRA_CA_CERTS: caFile,
    ...overrides,
  };
}
