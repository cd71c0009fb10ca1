/** Digit counts a double holds exactly (2^53 ≈ 9.007e15). */
const MAX_EXACT_DIGITS = 15;
const EMPTY = 0;

/** The digits of an E.164 number read as one integer (unique: E.164 never starts with 0); -1 past 15 digits. */
export function numberKey(e164: string): number {
  if (e164.length - 1 > MAX_EXACT_DIGITS) return -1;
  let digits = 0;
  for (let index = 1; index < e164.length; index += 1) digits = digits * 10 + (e164.charCodeAt(index) - 0x30);
  return digits;
}

/**
 * E.164 numbers seen so far, keyed by numberKey, in an open-addressing table of doubles: no object per number,
 * nothing for the garbage collector to trace. Numbers of more than 15 digits, which no plan in the metadata
 * allows today, keep a string key.
 */
export class DistinctNumbers {
  private keys = new Float64Array(1 << 10);
  private size = 0;
  private readonly longNumbers = new Set<string>();
  /** Home slots of the batch being added. */
  private slots = new Int32Array(0);
  /** The sum of the first pass's loads: kept so that the compiler cannot drop them. */
  touched = 0;

  /** True when `e164` was not in the set yet. */
  add(e164: string): boolean {
    const key = numberKey(e164);
    if (key >= 0) return this.addKey(key);
    const size = this.longNumbers.size;
    this.longNumbers.add(e164);
    return this.longNumbers.size !== size;
  }

  /** addKey(33612345678) is add('+33612345678'). */
  addKey(key: number): boolean {
    if ((this.size + 1) * 2 > this.keys.length) this.grow();
    return this.insert(key, hash(key) & (this.keys.length - 1));
  }

  /**
   * addKey on keys[0, count) in order, fresh[i] = 1 when keys[i] was new. A table far bigger than the cache makes
   * each lookup a cache miss: a first pass loads every home slot, so that the misses overlap instead of queueing.
   */
  addKeys(keys: Float64Array, count: number, fresh: Uint8Array): void {
    this.reserve(count);
    const table = this.keys;
    const mask = table.length - 1;
    if (this.slots.length < count) this.slots = new Int32Array(count);
    const slots = this.slots;
    let touched = 0;
    for (let index = 0; index < count; index += 1) {
      const slot = hash(keys[index]!) & mask;
      slots[index] = slot;
      touched += table[slot]!;
    }
    this.touched = touched;
    for (let index = 0; index < count; index += 1) fresh[index] = this.insert(keys[index]!, slots[index]!) ? 1 : 0;
  }

  /** Room for about `count` more numbers without growing. */
  reserve(count: number): void {
    let capacity = this.keys.length;
    while (capacity < (this.size + count) * 2) capacity *= 2;
    if (capacity > this.keys.length) this.grow(capacity);
  }

  /** Inserts `key` probing from `slot`; the table has room (half full at most, so probes stay short). */
  private insert(key: number, slot: number): boolean {
    const keys = this.keys;
    const mask = keys.length - 1;
    for (; ; slot = (slot + 1) & mask) {
      const found = keys[slot]!;
      if (found === key) return false;
      if (found === EMPTY) {
        keys[slot] = key;
        this.size += 1;
        return true;
      }
    }
  }

  private grow(capacity = this.keys.length * 2): void {
    const old = this.keys;
    const keys = new Float64Array(capacity);
    const mask = keys.length - 1;
    for (let index = 0; index < old.length; index += 1) {
      const key = old[index]!;
      if (key === EMPTY) continue;
      let slot = hash(key) & mask;
      while (keys[slot] !== EMPTY) slot = (slot + 1) & mask;
      keys[slot] = key;
    }
    this.keys = keys;
  }
}

/** Mixes both 32-bit halves of an integer below 2^53. */
function hash(digits: number): number {
  const low = digits >>> 0;
  const high = (digits / 4294967296) >>> 0;
  let mixed = Math.imul(low ^ Math.imul(high, 0x9e3779b1), 0x85ebca6b);
  mixed ^= mixed >>> 13;
  mixed = Math.imul(mixed, 0xc2b2ae35);
  return mixed ^ (mixed >>> 16);
}
