import type { PlanChanges } from '../plan/index.js';
import { escapeMarkdown, formatCount, type BoundedMarkdown } from './markdown.js';

/** The comment's "since the base branch" section: computed, or why not. */
export type ChangesSection =
  { kind: 'computed'; base: string; changes: PlanChanges } | { kind: 'unavailable'; base: string; reason: string };

const ICONS = { added: '➕', edited: '✏️', removed: '➖' } as const;

export function addChanges(out: BoundedMarkdown, section: ChangesSection | undefined): void {
  if (!section) return;
  const base = `\`${escapeMarkdown(section.base)}\``;
  out.add(`### Changes since ${base}\n\n`);
  if (section.kind === 'unavailable') {
    out.add(`Not computed: ${escapeMarkdown(section.reason)}.\n\n`);
    return;
  }
  const { changes, creditsBefore, creditsAfter } = section.changes;
  if (changes.length === 0) out.add('No campaign added, edited or removed.\n');
  for (const change of changes) {
    const what = change.kind === 'edited' ? `edited (${change.fields.map(escapeMarkdown).join(', ')})` : change.kind;
    out.add(`- ${ICONS[change.kind]} **${escapeMarkdown(change.name)}** ${what}: ${escapeMarkdown(change.file)}\n`);
  }
  const delta = Math.round((creditsAfter - creditsBefore) * 100) / 100;
  out.add(
    `\nCredits to spend on merge: ${formatCount(creditsBefore)} on ${base} → **${formatCount(creditsAfter)}** with this pull request (${delta >= 0 ? '+' : ''}${formatCount(delta)}).\n\n`,
  );
}
