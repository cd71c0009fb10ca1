/** Deterministic test data for bench/recipients.ts: French mobile numbers in the shapes people type. */

export interface GeneratedCsv {
  csv: string;
  invalid: number;
  duplicates: number;
}

/** mulberry32: small, fast, seedable. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Allocated French mobile prefixes (national significant number, after the 0). */
const MOBILE_PREFIXES = [
  ...['60', '61', '62', '64', '65', '66', '67', '68'],
  ...['630', '631', '632', '633', '634', '635', '636', '637', '638', '695', '698', '699'],
  ...['73', '74', '75', '76', '77', '78', '79'],
];
/** Unallocated or malformed: 070-072 and 0639 ranges, wrong lengths, stray letters. */
const INVALID_SHAPES = ['70', '71', '72', '639'];

export function generateRecipientsCsv(rows: number, seed: number): GeneratedCsv {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const digits = (count: number) => {
    let text = '';
    for (let index = 0; index < count; index += 1) text += Math.floor(random() * 10);
    return text;
  };
  const pairs = (national: string) => `0${national}`.replace(/(\d{2})(?=\d)/g, '$1 ');
  const written = (national: string): string => {
    const shape = random();
    if (shape < 0.3) return `+33${national}`;
    if (shape < 0.6) return pairs(national);
    if (shape < 0.85) return `0${national}`;
    if (shape < 0.95) return pairs(national).replaceAll(' ', '.');
    return `+33 ${national[0]} ${national.slice(1).replace(/(\d{2})(?=\d)/g, '$1 ')}`;
  };

  const lines = ['number;name'];
  const seen: string[] = [];
  let invalid = 0;
  let duplicates = 0;
  for (let row = 0; row < rows; row += 1) {
    const kind = random();
    let number: string;
    if (kind < 0.03 && seen.length > 0) {
      duplicates += 1;
      number = written(pick(seen));
    } else if (kind < 0.06) {
      invalid += 1;
      const shape = random();
      if (shape < 0.6) {
        const prefix = pick(INVALID_SHAPES);
        number = written(prefix + digits(9 - prefix.length));
      } else if (shape < 0.8) number = `06${digits(random() < 0.5 ? 7 : 9)}`;
      else number = `06 12 ${digits(2)} O${digits(1)} ${digits(2)}`;
    } else {
      const prefix = pick(MOBILE_PREFIXES);
      const national = prefix + digits(9 - prefix.length);
      seen.push(national);
      number = written(national);
    }
    lines.push(`${number};Client ${row + 1}`);
  }
  return { csv: `${lines.join('\n')}\n`, invalid, duplicates };
}
