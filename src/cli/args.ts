import { parseArgs } from 'node:util';
import { DIGEST_PATTERN } from '../plan/index.js';
import { RUN_DEFAULTS, type Command } from '../run/index.js';
import { errorText } from '../common/index.js';

export const USAGE = `Usage: sms-campaigns <command> [paths or globs…] [options]

Commands:
  validate            schema and semantic checks, no network
  plan                the plan against the OVH account (--offline: against nothing)
  apply               plan, then create the batches, wait, fetch statistics and the CSV export
  status [name]       the account's batches and their statistics
                      (--since <days>: refresh the campaigns sent in that period, write the
                      report folder and a delivery funnel per campaign)
  test [paths]        send each campaign's exact message to its testRecipients, as a separate
                      test batch (a content already tested is not sent again)
  credentials         OVH's token-creation link with the least rules this tool needs; with
                      credentials set, check their rules (exit 0 enough, 1 missing, 2 none)

Options:
  --json              machine output on stdout
  --out <dir>         report folder (default ${RUN_DEFAULTS.reportDir})
  --max-credits <n>   apply refuses to send when the plan's estimated credits exceed n
  --sandbox           run against the built-in OVH SMS API simulator (no account needed)
  --offline           plan against nothing: every valid campaign is create
  --no-wait           apply: create the batches and stop, without waiting for them
  --timeout <min>     apply: how long to wait for the batches (default ${RUN_DEFAULTS.timeoutMinutes})
  --since <days>      status: only the campaigns sent in the last <days> days
  --overlap-guard <s> apply: hold each new batch this many seconds so that an overlapping
                      run can cancel its duplicate (default ${RUN_DEFAULTS.overlapGuardSeconds}; 0 turns the guard off)
  --mask-export       apply: mask the phone numbers in each campaign's outgoing.csv
  --receivers-list-threshold <n>
                      apply: campaigns with at least n recipients are sent through an OVH
                      receivers list (slotID) instead of a list of numbers (default ${RUN_DEFAULTS.receiversListThreshold}; 0: never)
  --rate-limit <n>    at most n OVH calls a second (default ${RUN_DEFAULTS.rateLimitPerSecond}; 0: no limit; 429 Retry-After is honoured)
  --expect-digest <sha256:…>
                      apply: refuse, sending nothing, unless the plan's digest is this one
                      (the digest of the plan that was reviewed)
  -h, --help          this help

Environment: OVH_ENDPOINT, OVH_APPLICATION_KEY, OVH_APPLICATION_SECRET, OVH_CONSUMER_KEY
(or OVH_CLIENT_ID, OVH_CLIENT_SECRET), OVH_SMS_SERVICE_NAME; without credentials there, ovh.conf
(./ovh.conf, ~/.ovh.conf, /etc/ovh.conf) as OVH's own clients read it.`;

export interface CliOptions {
  command: Command;
  patterns: string[];
  statusName: string | null;
  statusSinceDays: number | null;
  json: boolean;
  out: string | undefined;
  maxCredits: number | null;
  sandbox: boolean;
  offline: boolean;
  wait: boolean;
  timeoutMinutes: number;
  overlapGuardSeconds: number;
  maskExport: boolean;
  receiversListThreshold: number;
  rateLimitPerSecond: number;
  expectDigest: string | null;
}

export type ParsedArgs = { help: true } | { help: false; options: CliOptions };

/** A bad command line: exit code 2 with the usage. */
export class UsageError extends Error {}

const COMMANDS: readonly Command[] = ['validate', 'plan', 'apply', 'status', 'test', 'credentials'];

export function parseCliArgs(argv: string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        out: { type: 'string' },
        'max-credits': { type: 'string' },
        sandbox: { type: 'boolean', default: false },
        offline: { type: 'boolean', default: false },
        wait: { type: 'boolean', default: RUN_DEFAULTS.wait },
        'no-wait': { type: 'boolean', default: false },
        timeout: { type: 'string' },
        'overlap-guard': { type: 'string' },
        since: { type: 'string' },
        'mask-export': { type: 'boolean', default: RUN_DEFAULTS.maskExport },
        'receivers-list-threshold': { type: 'string' },
        'rate-limit': { type: 'string' },
        'expect-digest': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(errorText(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true };
  const [command, ...rest] = positionals;
  if (command === undefined) throw new UsageError('missing command');
  if (!COMMANDS.includes(command as Command)) throw new UsageError(`unknown command \`${command}\``);
  if (values.offline && command !== 'plan') throw new UsageError('--offline only goes with plan');
  if (values.offline && values.sandbox) throw new UsageError('--offline and --sandbox exclude each other');
  const expectDigest = values['expect-digest'] ?? null;
  if (expectDigest !== null && command !== 'apply') throw new UsageError('--expect-digest only goes with apply');
  if (expectDigest !== null && !DIGEST_PATTERN.test(expectDigest)) {
    throw new UsageError(`--expect-digest wants sha256: and 64 hex digits (the plan's digest), got \`${expectDigest}\``);
  }
  if (command === 'status' && rest.length > 1) throw new UsageError('status takes at most one batch name');
  if (values.since !== undefined && command !== 'status') throw new UsageError('--since only goes with status');
  return {
    help: false,
    options: {
      command: command as Command,
      patterns: command === 'status' ? [] : rest,
      statusName: command === 'status' ? (rest[0] ?? null) : null,
      statusSinceDays: values.since === undefined ? null : positiveNumber('--since', values.since),
      json: values.json,
      out: values.out,
      maxCredits: values['max-credits'] === undefined ? null : positiveNumber('--max-credits', values['max-credits']),
      sandbox: values.sandbox,
      offline: values.offline,
      wait: values.wait && !values['no-wait'],
      timeoutMinutes: values.timeout === undefined ? RUN_DEFAULTS.timeoutMinutes : positiveNumber('--timeout', values.timeout),
      overlapGuardSeconds:
        values['overlap-guard'] === undefined
          ? RUN_DEFAULTS.overlapGuardSeconds
          : positiveNumber('--overlap-guard', values['overlap-guard']),
      maskExport: values['mask-export'],
      receiversListThreshold:
        values['receivers-list-threshold'] === undefined
          ? RUN_DEFAULTS.receiversListThreshold
          : positiveNumber('--receivers-list-threshold', values['receivers-list-threshold']),
      rateLimitPerSecond:
        values['rate-limit'] === undefined ? RUN_DEFAULTS.rateLimitPerSecond : positiveNumber('--rate-limit', values['rate-limit']),
      expectDigest,
    },
  };
}

function positiveNumber(option: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) {
    throw new UsageError(`${option} wants a non-negative number, got \`${text}\``);
  }
  return value;
}
