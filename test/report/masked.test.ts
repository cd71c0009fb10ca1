import { describe, expect, expectTypeOf, it } from 'vitest';
import type { MessageView } from '../../src/plan/index.js';
import { maskPhoneNumber, maskPhoneNumbersInText, type MaskedText } from '../../src/recipients/index.js';
import { receiverErrorItem, recipientsShown } from '../../src/report/sections.js';

// The summary's and the comment's number call sites take MaskedText, which only the masker makes: `npm run typecheck`
// fails on this file if any of them starts taking a plain string (each @ts-expect-error below would go unused).

const FULL = '+33612345678';

/** Never run: what the compiler must refuse. */
export function refusedAtCompileTime(): unknown[] {
  return [
    // @ts-expect-error a full number is a plain string, not MaskedText
    recipientsShown([FULL], 1),
    // @ts-expect-error the receiver of a receiver error must be masked first
    receiverErrorItem(FULL, maskPhoneNumbersInText('invalid receiver')),
    // @ts-expect-error OVH's message may quote the number: masked first too
    receiverErrorItem(maskPhoneNumber(FULL), `invalid receiver ${FULL}`),
    // @ts-expect-error a view's samples are masked numbers only
    { samples: [FULL] } satisfies Pick<MessageView, 'samples'>,
  ];
}

describe('MaskedText at the summary and comment call sites', () => {
  it('is a brand a plain string does not carry, and only the masker returns it', () => {
    expectTypeOf<string>().not.toExtend<MaskedText>();
    expectTypeOf(maskPhoneNumber).returns.toEqualTypeOf<MaskedText>();
    expectTypeOf(maskPhoneNumbersInText).returns.toEqualTypeOf<MaskedText>();
    expectTypeOf(recipientsShown).parameter(0).toEqualTypeOf<readonly MaskedText[]>();
    expectTypeOf(receiverErrorItem).parameters.toEqualTypeOf<[MaskedText, MaskedText]>();
  });

  it('prints what the masker made', () => {
    expect(recipientsShown([maskPhoneNumber(FULL)], 3)).toBe('+33 6•• ••• •78 and 2 more');
    expect(receiverErrorItem(maskPhoneNumber(FULL), maskPhoneNumbersInText(`invalid receiver ${FULL}`))).toBe(
      '- +33 6•• ••• •78: invalid receiver +33 6•• ••• •78\n',
    );
  });
});
