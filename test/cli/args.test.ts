import { describe, expect, it } from 'vitest';
import { parseCliArgs, UsageError, USAGE } from '../../src/cli/args.js';

function options(argv: string[]) {
  const parsed = parseCliArgs(argv);
  if (parsed.help) throw new Error('unexpected help');
  return parsed.options;
}

describe('parseCliArgs', () => {
  it('reads a command, globs and the contract defaults', () => {
    const parsed = options(['plan', 'campaigns/a.yml', 'campaigns/b/*.yml']);
    expect(parsed).toMatchObject({
      command: 'plan',
      patterns: ['campaigns/a.yml', 'campaigns/b/*.yml'],
      json: false,
      out: undefined,
      maxCredits: null,
      sandbox: false,
      offline: false,
      wait: true,
      timeoutMinutes: 60,
      overlapGuardSeconds: 15,
    });
  });

  it('reads every option', () => {
    expect(
      options([
        'apply',
        '--json',
        '--out',
        'r',
        '--max-credits',
        '120',
        '--sandbox',
        '--no-wait',
        '--timeout',
        '5',
        '--overlap-guard',
        '2.5',
      ]),
    ).toMatchObject({
      command: 'apply',
      json: true,
      out: 'r',
      maxCredits: 120,
      sandbox: true,
      wait: false,
      timeoutMinutes: 5,
      overlapGuardSeconds: 2.5,
    });
  });

  it('--overlap-guard 0 turns the guard off, and the help lists the option', () => {
    expect(options(['apply', '--overlap-guard', '0']).overlapGuardSeconds).toBe(0);
    expect(USAGE).toMatch(/--overlap-guard <s>.*\n.*default 15; 0 turns the guard off/);
  });

  it('reads the receivers-list threshold and the rate limit, with their defaults', () => {
    expect(options(['apply'])).toMatchObject({ receiversListThreshold: 10_000, rateLimitPerSecond: 20 });
    expect(options(['apply', '--receivers-list-threshold', '500', '--rate-limit', '0'])).toMatchObject({
      receiversListThreshold: 500,
      rateLimitPerSecond: 0,
    });
    expect(() => options(['apply', '--rate-limit', 'fast'])).toThrow(/--rate-limit wants a non-negative number/);
    expect(USAGE).toMatch(/--receivers-list-threshold <n>/);
  });

  it('--expect-digest takes the plan digest, for apply only', () => {
    const digest = `sha256:${'0f'.repeat(32)}`;
    expect(options(['apply', '--expect-digest', digest]).expectDigest).toBe(digest);
    expect(options(['apply']).expectDigest).toBeNull();
    expect(USAGE).toContain('--expect-digest <sha256:…>');
  });

  it('takes the batch name of status as a name, not a glob', () => {
    expect(options(['status', 'Black Friday'])).toMatchObject({ command: 'status', statusName: 'Black Friday', patterns: [] });
  });

  it.each([
    [[], /missing command/],
    [['send'], /unknown command `send`/],
    [['plan', '--bogus'], /bogus/],
    [['apply', '--max-credits', 'lots'], /--max-credits wants a non-negative number/],
    [['apply', '--timeout', '-1'], /--timeout/],
    [['apply', '--overlap-guard=-1'], /--overlap-guard wants a non-negative number, got `-1`/],
    [['apply', '--overlap-guard', 'soon'], /--overlap-guard wants a non-negative number/],
    [['apply', '--overlap-guard', ''], /--overlap-guard wants a non-negative number/],
    [['apply', '--offline'], /--offline only goes with plan/],
    [['plan', '--offline', '--sandbox'], /exclude each other/],
    [['apply', '--expect-digest', 'sha256:abc'], /--expect-digest wants sha256: and 64 hex digits/],
    [['plan', '--expect-digest', `sha256:${'0'.repeat(64)}`], /--expect-digest only goes with apply/],
  ])('rejects %j as a usage error', (argv, message) => {
    expect(() => parseCliArgs(argv as string[])).toThrow(UsageError);
    expect(() => parseCliArgs(argv as string[])).toThrow(message);
  });

  it('asks for help', () => {
    expect(parseCliArgs(['--help'])).toEqual({ help: true });
  });
});
