import { readFileSync } from 'node:fs';
import path from 'node:path';
import { globSync } from 'tinyglobby';
import { describe, expect, it } from 'vitest';

// The direction of the arrows (docs/design/architecture.md): entry points (with cli/, github/) → wiring (run/) → core;
// account adapters (ovh/, sandbox/) → core.

const SRC = path.resolve(import.meta.dirname, '../../src');

/** The core, lowest layer first: a folder may import only folders of a lower layer. */
const CORE_LAYERS: Record<string, number> = {
  common: 0,
  account: 0,
  sms: 0,
  recipients: 0,
  campaign: 1,
  plan: 2,
  apply: 3,
  review: 3,
  report: 4,
};
/** Adapters of the account: the engine reaches them only through the port (account/). */
const ACCOUNT_ADAPTERS = new Set(['ovh', 'sandbox']);
const WIRING = 'run';
const ENTRY = '(entry point)';

interface Arrow {
  file: string;
  from: string;
  to: string;
  specifier: string;
}

function folderOf(absolute: string): string {
  const relative = path.relative(SRC, absolute);
  return relative.includes(path.sep) ? relative.split(path.sep)[0]! : ENTRY;
}

/** Every relative import between folders of src/, static or dynamic. */
export function crossFolderImports(): Arrow[] {
  const arrows: Arrow[] = [];
  for (const file of globSync('**/*.ts', { cwd: SRC, absolute: true })) {
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/(?:from\s+|import\s*\(\s*)'(\.{1,2}\/[^']+)'/g)) {
      const specifier = match[1]!;
      const from = folderOf(file);
      const target = path.resolve(path.dirname(file), specifier);
      const to = folderOf(target);
      // Files outside src/ (the JSON schema) are data, not a layer.
      if (from !== to && !path.relative(SRC, target).startsWith('..')) arrows.push({ file: path.relative(SRC, file), from, to, specifier });
    }
  }
  return arrows;
}

/** Why an arrow is forbidden, or null when it runs the right way. */
export function forbidden({ from, to }: Pick<Arrow, 'from' | 'to'>): string | null {
  if (to === ENTRY) return 'nothing imports an entry point';
  if (from in CORE_LAYERS) {
    if (!(to in CORE_LAYERS)) return `the core (${from}/) imports an adapter or the wiring (${to}/)`;
    if (CORE_LAYERS[to]! >= CORE_LAYERS[from]!) return `${from}/ imports ${to}/, a layer not below it`;
  }
  if (from === WIRING && to === 'sandbox') return 'the engine never hosts the simulator: the CLI chooses it';
  if (from === 'sandbox' && to in CORE_LAYERS && to !== 'account' && to !== 'common') return 'the simulator shares no code with the engine';
  if (ACCOUNT_ADAPTERS.has(from) && to === WIRING) return `an account adapter (${from}/) imports the wiring`;
  return null;
}

describe('the import graph', () => {
  it('runs one way: no folder of the core imports an adapter, no arrow runs back up', () => {
    const violations = crossFolderImports()
      .map((arrow) => ({ arrow, why: forbidden(arrow) }))
      .filter(({ why }) => why !== null)
      .map(({ arrow, why }) => `${arrow.file} imports '${arrow.specifier}': ${why}`);
    expect(violations).toEqual([]);
  });

  it('the rules reject the arrows the design forbids', () => {
    expect(forbidden({ from: 'plan', to: 'ovh' })).toMatch(/adapter/);
    expect(forbidden({ from: 'sms', to: 'campaign' })).toMatch(/not below/);
    expect(forbidden({ from: 'run', to: 'sandbox' })).toMatch(/simulator/);
    expect(forbidden({ from: 'sandbox', to: 'sms' })).toMatch(/shares no code/);
    expect(forbidden({ from: 'github', to: ENTRY })).toMatch(/entry point/);
    expect(forbidden({ from: 'apply', to: 'plan' })).toBeNull();
    expect(forbidden({ from: 'ovh', to: 'run' })).toMatch(/wiring/);
    expect(forbidden({ from: 'ovh', to: 'account' })).toBeNull();
    expect(forbidden({ from: ENTRY, to: 'run' })).toBeNull();
  });
});
