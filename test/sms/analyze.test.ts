import { describe, expect, it } from 'vitest';
import { SegmentedMessage } from 'sms-segments-calculator';
import { STOP_CLAUSE, analyzeMessage } from '../../src/sms/index.js';

const plain = { stopClause: false };
const withStop = { stopClause: true };
const repeat = (text: string, times: number) => text.repeat(times);
const digits = (count: number) => repeat('1', count);

describe('STOP_CLAUSE', () => {
  it('is a newline and "STOP 36184": 11 GSM-7 characters', () => {
    expect(STOP_CLAUSE).toBe('\nSTOP 36184');
    expect(analyzeMessage('', withStop)).toMatchObject({ encoding: 'GSM-7', characters: 11, parts: 1 });
  });
});

describe('analyzeMessage: single-part limits', () => {
  it.each([
    ['160 GSM-7 characters', repeat('a', 160), 'GSM-7', 160, 1],
    ['161 GSM-7 characters', repeat('a', 161), 'GSM-7', 161, 2],
    ['70 UCS-2 characters', repeat('ê', 70), 'UCS-2', 70, 1],
    ['71 UCS-2 characters', repeat('ê', 71), 'UCS-2', 71, 2],
  ])('%s', (_label, message, encoding, characters, parts) => {
    expect(analyzeMessage(message, plain)).toMatchObject({ encoding, characters, parts });
  });
});

describe('analyzeMessage: OVH STOP clause (reference §1.5)', () => {
  it.each([
    [repeat('a', 149), 'GSM-7', 160, 1],
    [repeat('a', 150), 'GSM-7', 161, 2],
    [repeat('a', 295), 'GSM-7', 306, 2],
    [repeat('a', 296), 'GSM-7', 307, 3],
    [repeat('ê', 59), 'UCS-2', 70, 1],
    [repeat('ê', 60), 'UCS-2', 71, 2],
    [repeat('ê', 123), 'UCS-2', 134, 2],
    [repeat('ê', 124), 'UCS-2', 135, 3],
    [repeat('€', 74), 'GSM-7', 159, 1],
    [repeat('€', 75), 'GSM-7', 161, 2],
  ])('%#: %s…', (message, encoding, characters, parts) => {
    expect(analyzeMessage(message, withStop)).toMatchObject({ encoding, characters, parts });
  });

  it('counts the clause only when asked', () => {
    expect(analyzeMessage(repeat('a', 150), plain).parts).toBe(1);
    expect(analyzeMessage(repeat('a', 150), withStop).parts).toBe(2);
  });
});

describe('analyzeMessage: escape characters at part boundaries', () => {
  it.each(['^', '{', '}', '\\', '[', '~', ']', '|', '€'])('%s costs two septets and never splits at 160', (escape) => {
    expect(analyzeMessage(repeat('a', 158) + escape, plain)).toMatchObject({ characters: 160, parts: 1 });
    expect(analyzeMessage(repeat('a', 159) + escape, plain)).toMatchObject({ characters: 161, parts: 2 });
  });

  it.each([']', '€'])('%s that would straddle the 153-septet boundary moves to the next part', (escape) => {
    // 152 + 2 + 152 = 306 septets: two parts by division, three on the handset.
    expect(analyzeMessage(repeat('a', 152) + escape + repeat('a', 152), plain)).toMatchObject({ characters: 306, parts: 3 });
    expect(analyzeMessage(repeat('a', 151) + escape + repeat('a', 153), plain)).toMatchObject({ characters: 306, parts: 2 });
  });

  it('152×a + { + 152×a takes 3 parts', () => {
    expect(analyzeMessage(repeat('a', 152) + '{' + repeat('a', 152), plain).parts).toBe(3);
  });

  it('form feed is an extension character', () => {
    expect(analyzeMessage('a\fb', plain)).toMatchObject({ encoding: 'GSM-7', characters: 4 });
  });
});

describe('analyzeMessage: surrogate pairs and graphemes stay whole', () => {
  it('66×a + 😀 + 66×ê takes 3 parts', () => {
    expect(analyzeMessage(repeat('a', 66) + '😀' + repeat('ê', 66), plain)).toMatchObject({
      encoding: 'UCS-2',
      characters: 134,
      parts: 3,
    });
  });

  it('a ZWJ family straddling the 67-unit boundary moves whole', () => {
    const family = '👨‍👩‍👧';
    expect(family.length).toBe(8);
    expect(analyzeMessage(repeat('a', 64) + family + repeat('ê', 62), plain)).toMatchObject({ characters: 134, parts: 3 });
    expect(analyzeMessage(repeat('a', 59) + family + repeat('ê', 67), plain)).toMatchObject({ characters: 134, parts: 2 });
  });

  it.each(['🇫🇷', '🇮🇹'])('flag %s: 67 characters fit one part, 68 do not', (flag) => {
    expect(analyzeMessage(flag + digits(66), plain)).toMatchObject({ encoding: 'UCS-2', characters: 70, parts: 1 });
    expect(analyzeMessage(flag + digits(67), plain)).toMatchObject({ characters: 71, parts: 2 });
  });

  it.each(['🇫🇷', '🇮🇹'])('flag %s straddling the 67-unit boundary moves whole', (flag) => {
    expect(analyzeMessage(digits(64) + flag + digits(66), plain).parts).toBe(3);
    expect(analyzeMessage(digits(63) + flag + digits(67), plain).parts).toBe(2);
  });

  it('counts UTF-16 units in UCS-2, not graphemes', () => {
    expect(analyzeMessage('😀', plain)).toMatchObject({ encoding: 'UCS-2', characters: 2, parts: 1 });
    expect(analyzeMessage('e\u0301', plain)).toMatchObject({ encoding: 'UCS-2', characters: 2 });
  });

  it('keeps a recent ZWJ sequence whole where Twilio’s splitter cuts it (❤️‍🔥)', () => {
    const heartOnFire = '❤️‍🔥';
    const message = digits(64) + heartOnFire + digits(65);
    // Twilio's grapheme-splitter predates this sequence and puts its halves in two parts.
    expect(new SegmentedMessage(message).segmentsCount).toBe(2);
    expect(analyzeMessage(message, plain)).toMatchObject({ characters: 134, parts: 3 });
    expect(analyzeMessage(heartOnFire, plain).nonGsmCharacters).toEqual([{ char: heartOnFire, index: 0 }]);
  });
});

describe('analyzeMessage: French characters', () => {
  const base = repeat('a', 100);
  it.each(['ç', 'ê', 'ô', 'À', '’', '«', '\u00a0', '\u202f'])('%j forces UCS-2 on a 100-character message', (char) => {
    const analysis = analyzeMessage(base + char, plain);
    expect(analysis).toMatchObject({ encoding: 'UCS-2', characters: 101, parts: 2 });
    expect(analysis.nonGsmCharacters).toEqual([{ char, index: 100 }]);
  });

  it.each(['é', 'è', 'à', 'ù', 'Ç', 'É'])('%s stays GSM-7', (char) => {
    expect(analyzeMessage(base + char, plain)).toMatchObject({ encoding: 'GSM-7', characters: 101, parts: 1, nonGsmCharacters: [] });
  });

  it('€ stays GSM-7 at two septets', () => {
    expect(analyzeMessage(base + '€', plain)).toMatchObject({ encoding: 'GSM-7', characters: 102, parts: 1 });
  });

  it('names each offending character with its index in the message', () => {
    const message = 'Votre commande est prête ! Reçu n°123. À bientôt.';
    expect(analyzeMessage(message, withStop).nonGsmCharacters).toEqual([
      { char: 'ê', index: message.indexOf('ê') },
      { char: 'ç', index: message.indexOf('ç') },
      { char: '°', index: message.indexOf('°') },
      { char: 'À', index: message.indexOf('À') },
      { char: 'ô', index: message.indexOf('ô') },
    ]);
  });
});

describe('analyzeMessage: line breaks', () => {
  it('counts CR LF as two characters (Twilio vector)', () => {
    expect(analyzeMessage('\rabcde\r\n123', plain)).toMatchObject({ encoding: 'GSM-7', characters: 11, parts: 1 });
    expect(analyzeMessage('ê\r\n', plain)).toMatchObject({ encoding: 'UCS-2', characters: 3, nonGsmCharacters: [{ char: 'ê', index: 0 }] });
  });
});

describe('analyzeMessage agrees with Twilio’s calculator where its grapheme splitter is current', () => {
  const pool = ['a', 'Z', '7', ' ', '\n', '\r\n', 'é', 'à', '€', ']', '{', '~', 'ê', 'ç', '’', '😀', '👍🏽', '🇫🇷', '👨‍👩‍👧', 'e\u0301'];
  let seed = 20240611;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const messages = Array.from({ length: 400 }, () => {
    const length = 1 + Math.floor(random() * 420);
    const gsmOnly = random() < 0.5;
    let text = '';
    while (text.length < length) text += pool[Math.floor(random() * (gsmOnly ? 11 : pool.length))];
    return text;
  });

  it('on encoding and parts of 400 random messages, and on characters for GSM-7', () => {
    for (const message of messages) {
      const twilio = new SegmentedMessage(message);
      const ours = analyzeMessage(message, plain);
      expect({ message, encoding: ours.encoding, parts: ours.parts }).toEqual({
        message,
        encoding: twilio.encodingName,
        parts: twilio.segmentsCount,
      });
      expect(ours.characters).toBe(ours.encoding === 'GSM-7' ? twilio.numberOfCharacters : message.length);
    }
  });
});
