import { describe, expect, it } from 'vitest';
import { InputError, ovhEnvironment, readActionInputs, resolveCommand, secretInputs } from '../../src/github/inputs.js';
import { ovhSettingsFromEnv } from '../../src/ovh/index.js';
import { parseCliArgs } from '../../src/cli/args.js';
import { RUN_DEFAULTS } from '../../src/run/index.js';
import { actionDefaults } from '../support/runner.js';

const reader = (values: Record<string, string>) => (name: string) => values[name] ?? '';

describe('resolveCommand', () => {
  it('plans on pull requests and merge queues, applies on push, plans otherwise', () => {
    expect(resolveCommand('auto', 'pull_request')).toBe('plan');
    expect(resolveCommand('auto', 'merge_group')).toBe('plan');
    expect(resolveCommand('auto', 'push')).toBe('apply');
    expect(resolveCommand('', 'workflow_dispatch')).toBe('plan');
    expect(resolveCommand('validate', 'push')).toBe('validate');
    expect(resolveCommand('status', 'schedule')).toBe('status');
    expect(resolveCommand('test', 'pull_request')).toBe('test');
    expect(() => resolveCommand('destroy', 'push')).toThrow(InputError);
  });
});

describe('readActionInputs', () => {
  it('reads multiline globs, numbers, booleans and the sandbox endpoint', () => {
    const inputs = readActionInputs(
      reader({
        campaigns: 'campaigns/a/*.yml\n\n  campaigns/b/**/*.yaml  \n',
        endpoint: 'sandbox',
        wait: 'false',
        'timeout-minutes': '5',
        'max-credits': '100',
        'retention-days': '7',
        comment: 'TRUE',
        'artifact-name': '',
      }),
      'push',
    );
    expect(inputs).toMatchObject({
      command: 'apply',
      campaigns: ['campaigns/a/*.yml', 'campaigns/b/**/*.yaml'],
      sandbox: true,
      endpoint: null,
      wait: false,
      timeoutMinutes: 5,
      maxCredits: 100,
      retentionDays: 7,
      comment: true,
      artifactName: '',
    });
  });

  it("falls back on the run defaults the CLI uses, whether an input is unset or at action.yml's default", async () => {
    const shared = (inputs: ReturnType<typeof readActionInputs>) => ({
      wait: inputs.wait,
      timeoutMinutes: inputs.timeoutMinutes,
      overlapGuardSeconds: inputs.overlapGuardSeconds,
      maskExport: inputs.maskExport,
      receiversListThreshold: inputs.receiversListThreshold,
      rateLimitPerSecond: inputs.rateLimitPerSecond,
    });
    const unset = readActionInputs(reader({}), 'push');
    const atYamlDefaults = readActionInputs(reader(await actionDefaults('token')), 'push');
    const cli = parseCliArgs(['apply']);
    if (cli.help) throw new Error('unexpected help');
    const { reportDir: _reportDir, statusSinceDays, ...flags } = RUN_DEFAULTS;
    expect(shared(unset)).toEqual(flags);
    expect(shared(atYamlDefaults)).toEqual(flags);
    expect(shared({ ...unset, ...cli.options })).toEqual(flags);
    expect(unset.sinceDays).toBe(statusSinceDays);
    expect(atYamlDefaults.sinceDays).toBe(statusSinceDays);
  });

  it('reads the overlap guard in seconds, 15 by default, 0 to turn it off', () => {
    expect(readActionInputs(reader({}), 'push').overlapGuardSeconds).toBe(15);
    expect(readActionInputs(reader({ 'overlap-guard': '0' }), 'push').overlapGuardSeconds).toBe(0);
    expect(readActionInputs(reader({ 'overlap-guard': '2.5' }), 'push').overlapGuardSeconds).toBe(2.5);
    expect(() => readActionInputs(reader({ 'overlap-guard': '-1' }), 'push')).toThrow(/overlap-guard/);
  });

  it('reads the receivers-list threshold and the rate limit', () => {
    expect(readActionInputs(reader({}), 'push')).toMatchObject({ receiversListThreshold: 10_000, rateLimitPerSecond: 20 });
    expect(readActionInputs(reader({ 'receivers-list-threshold': '0', 'rate-limit': '5' }), 'push')).toMatchObject({
      receiversListThreshold: 0,
      rateLimitPerSecond: 5,
    });
    expect(() => readActionInputs(reader({ 'rate-limit': '-1' }), 'push')).toThrow(/rate-limit/);
  });

  it('reads expect-digest, a sha256 digest or nothing', () => {
    const digest = `sha256:${'a1'.repeat(32)}`;
    expect(readActionInputs(reader({ 'expect-digest': digest }), 'push').expectDigest).toBe(digest);
    expect(readActionInputs(reader({}), 'push').expectDigest).toBeNull();
    expect(() => readActionInputs(reader({ 'expect-digest': 'abc' }), 'push')).toThrow(/expect-digest must be sha256: and 64 hex digits/);
  });

  it('rejects values the user must fix', () => {
    expect(() => readActionInputs(reader({ wait: 'yes' }), 'push')).toThrow(/wait must be true or false/);
    expect(() => readActionInputs(reader({ 'max-credits': 'lots' }), 'push')).toThrow(/max-credits/);
    expect(() => readActionInputs(reader({ 'retention-days': '91' }), 'push')).toThrow(/between 1 and 90/);
  });

  it('turns credentials into the OVH environment, inputs winning, and lists them as secrets', () => {
    const inputs = readActionInputs(
      reader({ endpoint: 'ovh-ca', 'application-key': 'ak', 'application-secret': 'as', 'consumer-key': 'ck', 'service-name': 'sms-x-1' }),
      'pull_request',
    );
    const env = ovhEnvironment(inputs, { OVH_APPLICATION_KEY: 'old', RECIPIENTS: '+33612345678' });
    expect(env).toMatchObject({
      OVH_ENDPOINT: 'ovh-ca',
      OVH_APPLICATION_KEY: 'ak',
      OVH_SMS_SERVICE_NAME: 'sms-x-1',
      RECIPIENTS: '+33612345678',
    });
    expect(ovhSettingsFromEnv(env)).toMatchObject({ endpoint: 'ovh-ca', serviceName: 'sms-x-1', credentials: { kind: 'application' } });
    expect(secretInputs(inputs).sort()).toEqual(['ak', 'as', 'ck']);
  });

  it('gives no OVH settings without credentials (a fork pull request)', () => {
    const inputs = readActionInputs(reader({ endpoint: 'ovh-eu' }), 'pull_request');
    expect(ovhSettingsFromEnv(ovhEnvironment(inputs, {}))).toBeNull();
    expect(secretInputs(inputs)).toEqual([]);
  });
});
