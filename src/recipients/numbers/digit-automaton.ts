/**
 * Several whole-string digit patterns matched in one walk over a digit buffer, without building a string.
 *
 * libphonenumber's national-number and type patterns use a tiny regular-expression subset: digits, `\d`,
 * classes (`[2-57-9]`), groups (`(?:…)`), `|`, `?` and bounded counts (`{6}`, `{1,2}`). This compiles that
 * subset to one nondeterministic automaton over the ten digits and determinises it lazily: a state is built
 * the first time a number leads there, so a list of French mobiles visits a few dozen states, each a table
 * lookup per digit. A pattern outside the subset makes the constructor refuse (the caller keeps its RegExp).
 */
export class DigitPatternSet {
  /** One more than the largest mask matchMask can return. */
  readonly size: number;
  private readonly nfa: Nfa;
  /** DFA states: the NFA states they stand for and their accept mask. */
  private readonly dfaKeys = new Map<string, number>();
  private readonly dfaStates: number[][] = [];
  private readonly dfaAccepts: number[] = [];
  /** Ten successors per DFA state, flat (-1: not built yet). */
  private dfaNext = new Int32Array(10 * 64).fill(-1);
  private readonly startState: number;

  private constructor(nfa: Nfa, starts: number[]) {
    this.size = 1 << starts.length;
    this.nfa = nfa;
    this.startState = this.stateFor(starts);
  }

  /** Null when a pattern is outside the subset or there are more than 30 patterns (one bit each). */
  static compile(patterns: string[]): DigitPatternSet | null {
    if (patterns.length > 30) return null;
    const nfa = new Nfa();
    const starts: number[] = [];
    for (const [index, pattern] of patterns.entries()) {
      const tree = parsePattern(pattern);
      if (tree === null) return null;
      const start = nfa.addState();
      const end = nfa.build(tree, start);
      nfa.accept[end] = (nfa.accept[end] ?? 0) | (1 << index);
      starts.push(start);
    }
    return new DigitPatternSet(nfa, starts);
  }

  /** Bit i is set when patterns[i] matches the whole of digits[from, to) (values 0–9). */
  matchMask(digits: Uint8Array, from: number, to: number): number {
    let state = this.startState;
    for (let index = from; index < to; index += 1) {
      const digit = digits[index]!;
      let next = this.dfaNext[state * 10 + digit]!;
      if (next < 0) next = this.buildTransition(state, digit);
      state = next;
    }
    return this.dfaAccepts[state]!;
  }

  private buildTransition(state: number, digit: number): number {
    const targets: number[] = [];
    const bit = 1 << digit;
    for (const nfaState of this.dfaStates[state]!) {
      for (const edge of this.nfa.edges[nfaState]!) if (edge.mask & bit) targets.push(edge.to);
    }
    const next = this.stateFor(targets);
    this.dfaNext[state * 10 + digit] = next;
    return next;
  }

  private stateFor(nfaStates: number[]): number {
    const closed = this.nfa.closure(nfaStates);
    const key = closed.join(',');
    let state = this.dfaKeys.get(key);
    if (state === undefined) {
      state = this.dfaStates.length;
      this.dfaKeys.set(key, state);
      this.dfaStates.push(closed);
      this.dfaAccepts.push(closed.reduce((mask, nfaState) => mask | (this.nfa.accept[nfaState] ?? 0), 0));
      if ((state + 1) * 10 > this.dfaNext.length) {
        const grown = new Int32Array(this.dfaNext.length * 2).fill(-1);
        grown.set(this.dfaNext);
        this.dfaNext = grown;
      }
    }
    return state;
  }
}

type PatternTree =
  | { kind: 'digits'; mask: number }
  | { kind: 'sequence'; items: PatternTree[] }
  | { kind: 'choice'; options: PatternTree[] }
  | { kind: 'repeat'; item: PatternTree; min: number; max: number };

const ALL_DIGITS = 0x3ff;
/** Beyond this a count is not a phone-number pattern; refusing keeps the automaton small. */
const MAX_COUNT = 20;

/** The pattern's tree, or null outside the subset. */
export function parsePattern(pattern: string): PatternTree | null {
  let position = 0;
  const fail = Symbol('unsupported');

  const choice = (): PatternTree => {
    const options = [sequence()];
    while (pattern[position] === '|') {
      position += 1;
      options.push(sequence());
    }
    return options.length === 1 ? options[0]! : { kind: 'choice', options };
  };
  const sequence = (): PatternTree => {
    const items: PatternTree[] = [];
    while (position < pattern.length && pattern[position] !== '|' && pattern[position] !== ')') items.push(quantified(atom()));
    return { kind: 'sequence', items };
  };
  const atom = (): PatternTree => {
    const character = pattern[position]!;
    if (character >= '0' && character <= '9') {
      position += 1;
      return { kind: 'digits', mask: 1 << Number(character) };
    }
    if (pattern.startsWith('\\d', position)) {
      position += 2;
      return { kind: 'digits', mask: ALL_DIGITS };
    }
    if (character === '[') return digitClass();
    if (character === '(') {
      position += pattern.startsWith('(?:', position) ? 3 : 1;
      const inner = choice();
      if (pattern[position] !== ')') throw fail;
      position += 1;
      return inner;
    }
    throw fail;
  };
  const digitClass = (): PatternTree => {
    position += 1;
    let mask = 0;
    while (pattern[position] !== ']') {
      const low = pattern[position];
      if (low === undefined || low < '0' || low > '9') throw fail;
      if (pattern[position + 1] === '-' && pattern[position + 2] !== ']') {
        const high = pattern[position + 2];
        if (high === undefined || high < low || high > '9') throw fail;
        for (let digit = Number(low); digit <= Number(high); digit += 1) mask |= 1 << digit;
        position += 3;
      } else {
        mask |= 1 << Number(low);
        position += 1;
      }
    }
    position += 1;
    return { kind: 'digits', mask };
  };
  const quantified = (item: PatternTree): PatternTree => {
    if (pattern[position] === '?') {
      position += 1;
      return { kind: 'repeat', item, min: 0, max: 1 };
    }
    if (pattern[position] !== '{') return item;
    const count = /^\{(\d+)(?:,(\d+))?\}/.exec(pattern.slice(position));
    if (count === null) throw fail;
    position += count[0].length;
    const min = Number(count[1]);
    const max = count[2] === undefined ? min : Number(count[2]);
    if (max < min || max > MAX_COUNT) throw fail;
    return { kind: 'repeat', item, min, max };
  };

  try {
    const tree = choice();
    return position === pattern.length ? tree : null;
  } catch (error) {
    if (error === fail) return null;
    throw error;
  }
}

/** Thompson-style automaton over digits: edges carry a 10-bit digit mask; there are no cycles (counts are bounded). */
class Nfa {
  readonly edges: { mask: number; to: number }[][] = [];
  readonly empty: number[][] = [];
  readonly accept: number[] = [];

  addState(): number {
    this.edges.push([]);
    this.empty.push([]);
    return this.edges.length - 1;
  }

  /** Adds `tree` starting at state `from`; returns the state reached after it. */
  build(tree: PatternTree, from: number): number {
    switch (tree.kind) {
      case 'digits': {
        const to = this.addState();
        this.edges[from]!.push({ mask: tree.mask, to });
        return to;
      }
      case 'sequence':
        return tree.items.reduce((state, item) => this.build(item, state), from);
      case 'choice': {
        const end = this.addState();
        for (const option of tree.options) {
          // Each option gets its own entry so that options never share a state.
          const entry = this.addState();
          this.empty[from]!.push(entry);
          this.empty[this.build(option, entry)]!.push(end);
        }
        return end;
      }
      case 'repeat': {
        let state = from;
        for (let count = 0; count < tree.min; count += 1) state = this.build(tree.item, state);
        const end = this.addState();
        this.empty[state]!.push(end);
        for (let count = tree.min; count < tree.max; count += 1) {
          state = this.build(tree.item, state);
          this.empty[state]!.push(end);
        }
        return end;
      }
    }
  }

  /** The states reachable from `states` without reading a digit, sorted. */
  closure(states: number[]): number[] {
    const reached = new Set<number>();
    const stack = [...states];
    while (stack.length > 0) {
      const state = stack.pop()!;
      if (reached.has(state)) continue;
      reached.add(state);
      stack.push(...this.empty[state]!);
    }
    return [...reached].sort((a, b) => a - b);
  }
}
