import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ACTION_ENTRY = path.join(REPO_ROOT, 'dist', 'index.js');
/** Another Node binary for the same scenarios, e.g. Node 24: E2E_NODE=/path/to/node. */
export const NODE_BINARY = process.env['E2E_NODE'] || process.execPath;

/** action.yml's input defaults, with `${{ github.token }}` replaced as the runner would. */
export async function actionDefaults(githubToken: string): Promise<Record<string, string>> {
  const metadata = parse(await readFile(path.join(REPO_ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
  };
  const defaults: Record<string, string> = {};
  for (const [name, input] of Object.entries(metadata.inputs)) {
    if (input.default === undefined) continue;
    defaults[name] = String(input.default).replace(/\$\{\{\s*github\.token\s*\}\}/g, githubToken);
  }
  return defaults;
}

/** The runner's input variable name: spaces to underscores, upper case, hyphens kept. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

export interface ActionRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** `::name props::message` workflow commands printed on stdout. */
  commands: WorkflowCommand[];
  /** When the process was spawned (ms since epoch). */
  spawnedAt: number;
  workspace: string;
}

export interface WorkflowCommand {
  name: string;
  properties: Record<string, string>;
  message: string;
}

export interface RunActionOptions {
  /** Inputs given in the workflow; action.yml defaults fill the rest. */
  inputs?: Record<string, string>;
  eventName: string;
  payload: Record<string, unknown>;
  /** A folder copied as the workspace (the checked-out repository). */
  workspaceSource: string;
  githubApiUrl: string;
  resultsUrl?: string;
  runtimeToken?: string;
  extraEnv?: Record<string, string>;
  githubToken?: string;
  timeoutMs?: number;
}

/** Runs dist/index.js the way the runner runs a node24 action: clean env, INPUT_*, GITHUB_* files. */
export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  const root = await mkdtemp(path.join(tmpdir(), 'sms-e2e-'));
  const workspace = path.join(root, 'workspace');
  const runnerTemp = path.join(root, 'runner-temp');
  await cp(options.workspaceSource, workspace, { recursive: true });
  await mkdir(runnerTemp);
  const files = {
    event: path.join(root, 'event.json'),
    output: path.join(root, 'output'),
    summary: path.join(root, 'summary.md'),
    state: path.join(root, 'state'),
    env: path.join(root, 'env'),
  };
  await writeFile(files.event, JSON.stringify(options.payload));
  for (const file of [files.output, files.summary, files.state, files.env]) await writeFile(file, '');

  const githubToken = options.githubToken ?? 'ghs_fake-installation-token';
  const inputs = { ...(await actionDefaults(githubToken)), ...options.inputs };
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: options.eventName,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_REPOSITORY: 'acme/sms',
    GITHUB_REPOSITORY_OWNER: 'acme',
    GITHUB_SHA: 'a'.repeat(40),
    GITHUB_REF: options.eventName === 'push' ? 'refs/heads/main' : 'refs/pull/7/merge',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_STATE: files.state,
    GITHUB_ENV: files.env,
    GITHUB_API_URL: options.githubApiUrl,
    GITHUB_RUN_ID: '1',
    GITHUB_RUN_ATTEMPT: '1',
    RUNNER_TEMP: runnerTemp,
    RUNNER_OS: 'Linux',
    ...(options.resultsUrl ? { ACTIONS_RESULTS_URL: options.resultsUrl } : {}),
    ...(options.runtimeToken ? { ACTIONS_RUNTIME_TOKEN: options.runtimeToken } : {}),
    ...options.extraEnv,
  };
  for (const [name, value] of Object.entries(inputs)) env[inputVariable(name)] = value;

  const spawnedAt = Date.now();
  const child = spawn(NODE_BINARY, [ACTION_ENTRY], { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`action timed out\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
  return {
    exitCode,
    stdout,
    stderr,
    outputs: parseOutputFile(await readFile(files.output, 'utf8')),
    summary: await readFile(files.summary, 'utf8'),
    commands: parseWorkflowCommands(stdout),
    spawnedAt,
    workspace,
  };
}

/** Reads GITHUB_OUTPUT's `name<<delimiter` heredocs (and plain name=value lines). */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name = '', delimiter] = heredoc;
      const value: string[] = [];
      for (index += 1; index < lines.length && lines[index] !== delimiter; index += 1) value.push(lines[index] ?? '');
      outputs[name] = value.join('\n');
    } else if (line.includes('=')) {
      const at = line.indexOf('=');
      outputs[line.slice(0, at)] = line.slice(at + 1);
    }
  }
  return outputs;
}

const unescapeProperty = (value: string): string =>
  value.replace(/%2C/g, ',').replace(/%3A/g, ':').replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%');

export function parseWorkflowCommands(stdout: string): WorkflowCommand[] {
  const commands: WorkflowCommand[] = [];
  for (const line of stdout.split('\n')) {
    const match = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!match) continue;
    const [, name = '', rawProperties = '', message = ''] = match;
    const properties: Record<string, string> = {};
    for (const pair of rawProperties.split(',').filter(Boolean)) {
      const at = pair.indexOf('=');
      properties[pair.slice(0, at)] = unescapeProperty(pair.slice(at + 1));
    }
    commands.push({
      name,
      properties,
      message: message.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%'),
    });
  }
  return commands;
}
