import type { PlanJson } from '../plan/types.js';
import { toResultsJson, type ResultsJson } from '../report/index.js';
import type { BatchStatistics } from '../ovh/index.js';
import type { BatchStatus, CredentialsReport, RunOutcome } from '../run/index.js';
import type { TestOutcome } from '../apply/index.js';

/** `apply --json`: the plan, then what happened (results.json's content), and where the report folder is. */
export interface ApplyJson {
  plan: PlanJson | null;
  /** null when nothing was attempted (invalid or conflicting campaigns, refused credits). */
  results: ResultsJson | null;
  reportDir: string;
}

/** One batch of `status --json`: OVH's batch without its receivers (full numbers stay off the terminal). */
export interface StatusBatchJson {
  name: string;
  id: string;
  status: string;
  from: string | null;
  createdAt: string;
  sentAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  recipients: number;
  processedRecords: number;
  estimatedCredits: number;
  /** How many receivers OVH reported an error for (the details are in apply's results.json, masked). */
  receiverErrors: number;
  statistics: BatchStatistics | null;
}

export interface StatusJson {
  service: string | null;
  batches: StatusBatchJson[];
}

export function toStatusJson(service: string | null, batches: BatchStatus[]): StatusJson {
  return {
    service,
    batches: batches.map(({ batch, statistics }) => ({
      name: batch.name,
      id: batch.id,
      status: batch.status,
      from: batch.from,
      createdAt: batch.createdAt,
      sentAt: batch.sentAt,
      startedAt: batch.startedAt,
      finishedAt: batch.finishedAt,
      recipients: batch.totalRecords,
      processedRecords: batch.processedRecords,
      estimatedCredits: batch.estimatedCredits,
      receiverErrors: batch.errors?.length ?? 0,
      statistics,
    })),
  };
}

/** `test --json`: what was sent, skipped or failed per campaign (batch names and ids, never numbers). */
export interface TestJson {
  service: string | null;
  tests: TestOutcome[];
}

/** What `--json` prints on stdout for each command. */
export function cliJson(outcome: RunOutcome): PlanJson | ApplyJson | StatusJson | TestJson | CredentialsReport | null {
  switch (outcome.command) {
    case 'validate':
    case 'plan':
      return outcome.planJson;
    case 'apply':
      return { plan: outcome.planJson, results: outcome.apply ? toResultsJson(outcome.apply) : null, reportDir: outcome.reportDir };
    case 'status':
      return toStatusJson(outcome.service, outcome.batches ?? []);
    case 'test':
      return { service: outcome.service, tests: outcome.tests ?? [] };
    case 'credentials':
      return outcome.credentials;
  }
}
