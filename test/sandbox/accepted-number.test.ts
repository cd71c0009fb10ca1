import { isValidPhoneNumber } from 'libphonenumber-js/max';
import { expect, it } from 'vitest';
import { isAcceptedNumber } from '../../src/sandbox/receivers.js';

/** A small deterministic generator, so a failure names a reproducible number. */
function lcg(seed: number) {
  let state = seed;
  return () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

it("the sandbox's fast number check agrees with isValidPhoneNumber (single- and shared-region calling codes)", () => {
  const random = lcg(42);
  const codes = ['33', '49', '34', '39', '44', '1', '7', '32', '41', '352', '212', '86', '91', '61', '353', '48', '351', '216', '999'];
  const disagreements: string[] = [];
  let valid = 0;
  for (let index = 0; index < 30_000; index += 1) {
    const code = codes[index % codes.length]!;
    let rest = '';
    for (let digit = 6 + Math.floor(random() * 8); digit > 0; digit -= 1) rest += Math.floor(random() * 10);
    const number = `+${code}${rest}`;
    const expected = /^\+[1-9]\d{5,14}$/.test(number) && isValidPhoneNumber(number);
    if (expected) valid += 1;
    if (isAcceptedNumber(number) !== expected) disagreements.push(number);
  }
  expect(disagreements).toEqual([]);
  expect(valid).toBeGreaterThan(1_000);
  expect(isAcceptedNumber('0612345678')).toBe(false);
});
