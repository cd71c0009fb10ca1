import { describe, expect, it } from 'vitest';
import { billedParts } from '../../src/sandbox/billing.js';
import { analyzeMessage } from '../../src/sms/index.js';

describe('the simulator bills parts on its own', () => {
  it.each([
    ['160 GSM-7 characters', 'a'.repeat(160), 1],
    ['161 GSM-7 characters', 'a'.repeat(161), 2],
    ['306 GSM-7 characters', 'a'.repeat(306), 2],
    ['307 GSM-7 characters', 'a'.repeat(307), 3],
    ['80 escape pairs: 160 septets', '€'.repeat(80), 1],
    ['153 escape pairs are never cut: 3 parts (Twilio #39)', ']'.repeat(153), 3],
    ['70 UCS-2 units', 'ê'.repeat(70), 1],
    ['71 UCS-2 units', 'ê'.repeat(71), 2],
    ['a surrogate pair is never cut', 'ê'.repeat(66) + '😀' + 'ê'.repeat(66), 3],
    ['one non-GSM character makes it all UCS-2', 'a'.repeat(69) + 'ç', 1],
  ])('%s', (_label, text, parts) => {
    expect(billedParts(text)).toBe(parts);
  });

  it('agrees with the engine on random messages without grapheme clusters', () => {
    const alphabet = [...'abcdefghijklmnopqrstuvwxyz ABC0123456789.,!?€[]{}éèàùêçœ«»😀\n'];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 500; round += 1) {
      const length = 1 + Math.floor(random() * 400);
      const pool = random() < 0.5 ? alphabet.slice(0, 44) : alphabet;
      const text = Array.from({ length }, () => pool[Math.floor(random() * pool.length)]).join('');
      expect(billedParts(text), JSON.stringify(text)).toBe(analyzeMessage(text, { stopClause: false }).parts);
    }
  });

  it('differs from the engine where OVH is undocumented: the engine keeps a ZWJ family whole, the simulator cuts it', () => {
    const familyAtBoundary = 'ê'.repeat(60) + '👨‍👩‍👧' + 'ê'.repeat(62);
    expect(billedParts(familyAtBoundary)).toBe(2);
    expect(analyzeMessage(familyAtBoundary, { stopClause: false }).parts).toBe(3);
  });
});
