import { describe, expect, it } from 'vitest';
import { logLine, logText } from '../../src/report/index.js';
import { parseWorkflowCommands } from '../support/runner.js';

describe('logLine', () => {
  it('keeps ordinary text as it is', () => {
    expect(logLine('order-shipped: created batch 42 - 2/3')).toBe('order-shipped: created batch 42 - 2/3');
  });

  it('never lets external text break the line or start a workflow command', () => {
    const hostile = [
      'Invalid receiver\n::add-mask::x',
      'bad\r\n::error::forged',
      '::error::at the start',
      '  ::warning file=a.yml::indented',
      '##[add-mask]legacy',
      'line\r##[error]after a bare CR',
      'one\u2028::add-mask::two',
    ];
    for (const text of hostile) {
      const line = logLine(text);
      expect(line).not.toMatch(/[\r\n\u0085\u2028\u2029]/);
      expect(line.trimStart()).not.toMatch(/^(::|##\[)/);
      expect(parseWorkflowCommands(line)).toEqual([]);
    }
  });

  it('escapes as the runner escapes command values, so the text reads back', () => {
    expect(logLine('100% sure\nnext')).toBe('100%25 sure%0Anext');
    expect(logLine('::x::y')).toBe('%3A:x::y');
  });
});

describe('logText', () => {
  it('keeps ordinary lines, percentages included, and escapes only the lines a runner could take as commands', () => {
    const text = 'Plan: 1 to create\n  delivered 2  66.7%\nfailed: Invalid receiver\n::add-mask::x\n  ##[error]y\nbare\rcarriage 5%';
    expect(logText(text)).toBe(
      'Plan: 1 to create\n  delivered 2  66.7%\nfailed: Invalid receiver\n%3A:add-mask::x\n  %23#[error]y\nbare%0Dcarriage 5%25',
    );
    expect(parseWorkflowCommands(logText(text))).toEqual([]);
  });
});
