import {
  blockedPurposes,
  createTokenUrl,
  leastRules,
  missingRules,
  readCurrentCredential,
  type AccessRule,
  type MissingRule,
  type OvhSettings,
  type Purpose,
} from '../ovh/index.js';
import { describeFailure } from '../review/index.js';

export type CredentialCheck =
  | { kind: 'none' }
  | { kind: 'checked'; status: string; granted: AccessRule[]; missing: MissingRule[]; blocked: Purpose[] }
  | { kind: 'failed'; reason: string };

/** What `credentials` found: the link to create a token with the least rules, and how the current one measures up. */
export interface CredentialsReport {
  endpoint: string;
  service: string | null;
  rules: AccessRule[];
  /** OVH's token-creation page with those rules. */
  link: string;
  check: CredentialCheck;
}

/** Contract §2: 0 enough, 1 missing rules (or not validated, or not checkable), 2 no credentials. */
export function credentialsExitCode(report: CredentialsReport): 0 | 1 | 2 {
  if (report.check.kind === 'none') return 2;
  if (report.check.kind === 'failed') return 1;
  return report.check.missing.length === 0 && report.check.status === 'validated' ? 0 : 1;
}

export async function checkCredentials(ovh: OvhSettings | null, env: Record<string, string | undefined>): Promise<CredentialsReport> {
  const endpoint = ovh?.endpoint ?? (env['OVH_ENDPOINT']?.trim() || 'ovh-eu');
  const service = ovh?.serviceName ?? (env['OVH_SMS_SERVICE_NAME']?.trim() || null);
  const rules = leastRules(service);
  const link = createTokenUrl(endpoint, rules) ?? createTokenUrl('ovh-eu', rules)!;
  if (ovh === null) return { endpoint, service, rules, link, check: { kind: 'none' } };
  try {
    const credential = await readCurrentCredential(ovh);
    const granted = (credential.rules ?? []).map((rule) => ({
      method: rule.method.toUpperCase() as AccessRule['method'],
      path: rule.path,
    }));
    const missing = missingRules(granted, service);
    return {
      endpoint,
      service,
      rules,
      link,
      check: { kind: 'checked', status: credential.status, granted, missing, blocked: blockedPurposes(missing) },
    };
  } catch (error) {
    const reason =
      ovh.credentials.kind === 'oauth2'
        ? `${describeFailure(error)} (an OAuth2 service account's rights are IAM policies: grant it the sms:apiovh actions for batches, blacklists, senders, document and estimate, and account:apiovh:me/document/get)`
        : describeFailure(error);
    return { endpoint, service, rules, link, check: { kind: 'failed', reason } };
  }
}

/** The report for people: the link, then per purpose whether the token is enough, and what to add. */
export function renderCredentialsText(report: CredentialsReport): string {
  const lines = [
    `Create an OVH token with the least rules this tool needs${report.service ? ` (service ${report.service})` : ''}:`,
    `  ${report.link}`,
    `  rules: ${report.rules.map((rule) => `${rule.method} ${rule.path}`).join(', ')}`,
    '',
  ];
  const { check } = report;
  switch (check.kind) {
    case 'none':
      lines.push('No OVH credentials are set (environment or ovh.conf): nothing to check.');
      break;
    case 'failed':
      lines.push(`The credentials could not be checked: ${check.reason}.`);
      break;
    case 'checked': {
      lines.push(
        `Current credentials: ${check.status}, ${check.granted.length} rule(s): ${check.granted.map((rule) => `${rule.method} ${rule.path}`).join(', ') || 'none'}.`,
      );
      if (check.status !== 'validated') lines.push(`  The consumer key is ${check.status}: validate it on OVH's page before use.`);
      for (const purpose of ['plan', 'apply', 'cancel'] as const) {
        const needs = check.missing.filter((entry) => entry.purposes.includes(purpose));
        const describe = (entry: MissingRule) =>
          entry.calls
            .filter((call) => call.purposes.includes(purpose))
            .map((call) => call.what)
            .join(', ');
        lines.push(
          needs.length === 0
            ? `  ${purpose.padEnd(7)} ok`
            : `  ${purpose.padEnd(7)} missing ${needs.map((entry) => `${entry.rule.method} ${entry.rule.path} (${describe(entry)})`).join('; ')}`,
        );
      }
      break;
    }
  }
  return lines.join('\n');
}
