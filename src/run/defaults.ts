import { DEFAULT_OVERLAP_GUARD_MS, DEFAULT_RECEIVERS_LIST_THRESHOLD } from '../apply/index.js';
import { DEFAULT_RATE_LIMIT } from '../ovh/index.js';

/** The run options' defaults, the one list the CLI's flags and the action's inputs both fall back on (action.yml repeats them). */
export const RUN_DEFAULTS = {
  wait: true,
  timeoutMinutes: 60,
  overlapGuardSeconds: DEFAULT_OVERLAP_GUARD_MS / 1000,
  maskExport: false,
  receiversListThreshold: DEFAULT_RECEIVERS_LIST_THRESHOLD,
  rateLimitPerSecond: DEFAULT_RATE_LIMIT.perSecond,
  reportDir: 'sms-campaign-report',
  /** `status` in the action: how many days back the campaigns are refreshed (the CLI asks for --since). */
  statusSinceDays: 7,
} as const;
