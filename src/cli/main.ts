import { createTerminalProgress } from '../apply/index.js';
import { loadOvhSettings, OvhConfigError } from '../ovh/index.js';
import { startSandboxAccount } from '../sandbox/index.js';
import { logLine, logText } from '../report/index.js';
import { renderCredentialsText, runCommand, resolveReportDir, type RunOutcome } from '../run/index.js';
import { parseCliArgs, UsageError, USAGE } from './args.js';
import { cliJson } from './json.js';
import { renderApplyText, renderFunnelText, renderPlanText, renderStatusText, renderTestText, renderValidateText } from './render.js';
import { errorText } from '../common/index.js';

/** Runs one CLI invocation and returns its exit code; output goes to stdout/stderr. */
export async function main(argv: string[], env: Record<string, string | undefined>, cwd: string): Promise<number> {
  // In a workflow `run:` step the runner reads our output for workflow commands: external text (an OVH error, a
  // file's content) must not be able to forge one, so it goes through the action's escaping.
  const inWorkflow = env['GITHUB_ACTIONS'] === 'true';
  const safe = inWorkflow ? logText : (value: string) => value;
  const stderr = (value: string) => process.stderr.write(safe(value));
  try {
    const parsed = parseCliArgs(argv);
    if (parsed.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const { options } = parsed;
    const ovh = options.sandbox || options.offline || options.command === 'validate' ? null : await loadOvhSettings(env, { cwd });
    // Progress goes to stderr so that --json keeps stdout machine-readable.
    const log = (line: string) => process.stderr.write(`${inWorkflow ? logLine(line) : line}\n`);
    const outcome = await runCommand(options.command, {
      cwd,
      patterns: options.patterns,
      env,
      ovh,
      offline: options.offline,
      sandbox: options.sandbox ? startSandboxAccount : null,
      wait: options.wait,
      timeoutMinutes: options.timeoutMinutes,
      overlapGuardSeconds: options.overlapGuardSeconds,
      maskExport: options.maskExport,
      receiversListThreshold: options.receiversListThreshold,
      rateLimitPerSecond: options.rateLimitPerSecond,
      maxCredits: options.maxCredits,
      expectDigest: options.expectDigest,
      reportDir: resolveReportDir(cwd, options.out),
      statusName: options.statusName,
      statusSinceDays: options.statusSinceDays,
      log,
      // A terminal gets one line per campaign, rewritten in place; logs get a line per change.
      progress: process.stderr.isTTY ? createTerminalProgress((text) => process.stderr.write(text)) : undefined,
    });
    // A configuration error (exit 2) has no result to show, only what to fix; `credentials` shows the link anyway.
    if (outcome.exitCode === 2 && outcome.command !== 'credentials') {
      stderr(`sms-campaigns: ${outcome.message}\n`);
      return 2;
    }
    // JSON escapes line breaks inside values: no line of it can start a command.
    process.stdout.write(`${options.json ? JSON.stringify(cliJson(outcome), null, 2) : safe(textOutput(outcome, options.statusName))}\n`);
    if (outcome.message) stderr(`${outcome.message}\n`);
    return outcome.exitCode;
  } catch (error) {
    if (error instanceof UsageError) {
      stderr(`sms-campaigns: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof OvhConfigError) {
      stderr(`sms-campaigns: ${error.message}\n`);
      return 2;
    }
    stderr(`sms-campaigns: ${errorText(error)}\n`);
    return 1;
  }
}

function textOutput(outcome: RunOutcome, statusName: string | null): string {
  const sections: string[] = [];
  if (outcome.command === 'status' && outcome.summaryMarkdown !== null)
    return `${renderFunnelText(outcome.service, outcome.batches ?? [])}\n\nReport folder: ${outcome.reportDir}`;
  if (outcome.command === 'status') return renderStatusText(outcome.service, outcome.batches ?? [], statusName);
  if (outcome.command === 'test') return renderTestText(outcome.tests ?? []);
  if (outcome.command === 'credentials' && outcome.credentials) return renderCredentialsText(outcome.credentials);
  if (outcome.plan) sections.push(outcome.command === 'validate' ? renderValidateText(outcome.plan) : renderPlanText(outcome.plan));
  if (outcome.apply) sections.push(renderApplyText(outcome.apply));
  if (outcome.command !== 'validate' && outcome.plan) sections.push(`Report folder: ${outcome.reportDir}`);
  return sections.join('\n\n');
}
