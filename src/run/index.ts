import path from 'node:path';
import { secretValues, type OvhSettings } from '../ovh/index.js';
import { ReportFolder, reportFolderProblem } from '../report/index.js';
import { COMMANDS, fail } from './commands.js';
import { RUN_DEFAULTS } from './defaults.js';
import type { Command, EphemeralAccount, RunOutcome, RunSettings } from './types.js';

export { RUN_DEFAULTS } from './defaults.js';
export { renderCredentialsText, type CredentialsReport } from './credentials.js';
export { STATUS_CONCURRENCY } from './delivery.js';
export { readStatus } from './commands.js';
export type * from './types.js';

/** Loads, plans and (for apply) sends: the one engine behind the CLI and the action. */
export async function runCommand(command: Command, settings: RunSettings): Promise<RunOutcome> {
  const now = settings.now ?? (() => new Date());
  const outcome: RunOutcome = {
    command,
    plan: null,
    planJson: null,
    apply: null,
    batches: null,
    tests: null,
    credentials: null,
    summaryMarkdown: null,
    service: null,
    exitCode: 0,
    reportDir: settings.reportDir,
    message: null,
    secrets: settings.ovh ? secretValues(settings.ovh) : [],
    reviewNote: null,
  };

  const wantsAccount = command !== 'validate' && !(command === 'plan' && settings.offline);
  // Found after sending, an unwritable report folder would lose the statistics and the export of what was sent.
  const unwritable = command === 'apply' || command === 'plan' ? await reportFolderProblem(settings.reportDir) : null;
  if (unwritable !== null) return fail(outcome, 2, command === 'apply' ? `${unwritable}: nothing was sent` : unwritable);
  let ephemeral: EphemeralAccount | null = null;
  try {
    let ovh = withRateLimit(settings.ovh, settings.rateLimitPerSecond);
    if (wantsAccount && settings.sandbox) {
      ephemeral = await settings.sandbox();
      ovh = withRateLimit(ephemeral.settings, settings.rateLimitPerSecond);
      settings.log(ephemeral.description);
    }
    const report = new ReportFolder(settings.reportDir, { maskNumbers: settings.maskExport ?? false });
    const summary = settings.summaryWriter === 'caller' ? 'no summary' : 'summary.md';
    return await COMMANDS[command]({ command, settings, ovh, wantsAccount, now, outcome, report, summary });
  } finally {
    await ephemeral?.stop();
  }
}

/** The rate limit of --rate-limit (0: none) on the account's settings; unset keeps the client's default. */
function withRateLimit(ovh: OvhSettings | null, perSecond: number | undefined): OvhSettings | null {
  if (ovh === null || perSecond === undefined) return ovh;
  return { ...ovh, rateLimit: perSecond > 0 ? { perSecond, burst: Math.max(1, Math.ceil(perSecond)) } : null };
}

/** The report folder, resolved against the working directory. */
export function resolveReportDir(cwd: string, out: string | undefined): string {
  return path.resolve(cwd, out && out.length > 0 ? out : RUN_DEFAULTS.reportDir);
}
