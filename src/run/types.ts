import type { TestOutcome } from '../apply/index.js';
import type { ApplyResult, ProgressRenderer } from '../apply/index.js';
import type { Batch, BatchStatistics, OvhSettings } from '../ovh/index.js';
import type { ReviewEvidence } from '../plan/index.js';
import type { Plan, PlanJson } from '../plan/types.js';
import type { CredentialsReport } from './credentials.js';

export type Command = 'validate' | 'plan' | 'apply' | 'status' | 'test' | 'credentials';

export interface RunSettings {
  cwd: string;
  /** Paths or globs; empty means the default campaign globs. */
  patterns: string[];
  env: Record<string, string | undefined>;
  /** null: no credentials, so plan runs offline and apply refuses. */
  ovh: OvhSettings | null;
  offline: boolean;
  /** An account started for this run only (the CLI's --sandbox): used instead of `ovh`, stopped when the run ends. */
  sandbox: (() => Promise<EphemeralAccount>) | null;
  wait: boolean;
  timeoutMinutes: number;
  /** Apply holds each new batch this long so an overlapping run can cancel its duplicate; default 15, 0 = off. */
  overlapGuardSeconds?: number;
  /** Apply: each campaign's outgoing.csv with its phone numbers masked; default false (OVH's export as is). */
  maskExport?: boolean;
  /** Apply sends campaigns with at least this many recipients through an OVH receivers list; default 10,000, 0 = never. */
  receiversListThreshold?: number;
  /** Client-side limit on OVH calls per second (default 20; 0 = none). */
  rateLimitPerSecond?: number;
  maxCredits: number | null;
  /** apply: refuse (exit 1, nothing sent) unless the plan's digest is this one, the reviewed plan's. */
  expectDigest?: string | null;
  /** apply on a push: what the pull request's reviewers saw; the campaigns they did not see are refused. */
  review?: ReviewEvidence | null;
  /** Absolute path of the report folder. */
  reportDir: string;
  /**
   * Who writes the report folder's summary.md: the run (default), or the caller, which writes the job summary with
   * its own notes through a ReportFolder once (the action).
   */
  summaryWriter?: 'run' | 'caller';
  /** How long the plan's account checks (rates, STOP list, senders, estimate) may take in all; default 20 s. */
  reviewTimeoutMs?: number;
  /** Only for `status`: one batch name. */
  statusName?: string | null;
  /** Only for `status`: refresh the campaigns sent in the last this many days, and write the report folder. */
  statusSinceDays?: number | null;
  log: (line: string) => void;
  /** How apply reports progress; default: a plain line per change, through `log`. */
  progress?: ProgressRenderer;
  now?: () => Date;
}

/** An OVH endpoint that lives as long as one run, such as the built-in simulator. */
export interface EphemeralAccount {
  settings: OvhSettings;
  /** One line for the log, saying what it is. */
  description: string;
  stop(): Promise<void>;
}

export interface BatchStatus {
  batch: Batch;
  statistics: BatchStatistics | null;
}

export interface RunOutcome {
  command: Command;
  plan: Plan | null;
  planJson: PlanJson | null;
  apply: ApplyResult | null;
  /** Only for `status`. */
  batches: BatchStatus[] | null;
  /** Only for `test`. */
  tests: TestOutcome[] | null;
  /** Only for `credentials`. */
  credentials: CredentialsReport | null;
  /** The job summary of commands without a plan (`status --since`, `test`); null otherwise. */
  summaryMarkdown: string | null;
  /** The OVH SMS service used (null: none, e.g. validate or an offline plan). */
  service: string | null;
  exitCode: 0 | 1 | 2;
  reportDir: string;
  /** Why the run failed or was limited, for people (null when all is well). */
  message: string | null;
  /** Values to mask in every log. */
  secrets: string[];
  /** What the review check found (apply with `review` only). */
  reviewNote: string | null;
}
