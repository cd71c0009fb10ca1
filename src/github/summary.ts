import type { ApplyResult } from '../apply/types.js';
import type { Plan } from '../plan/types.js';
import { escapeMarkdown, renderSummaryMarkdown, SUMMARY_MAX_BYTES } from '../report/index.js';

/** Room kept for the run notes around the report, so the whole stays under GitHub's limit. */
const NOTES_RESERVE = 16_000;
const NOTE_MAX_CHARS = 1_000;

/** The job summary: the report plus what this step did (comment, artifact, annotations, why it failed). */
export function renderJobSummary(input: {
  plan: Plan | null;
  apply: ApplyResult | null;
  command: string;
  message: string | null;
  notes: string[];
  artifactHint?: string;
}): string {
  const lines: string[] = [];
  let bytes = 0;
  for (const note of input.notes) {
    const line = `- ${escapeMarkdown(note.slice(0, NOTE_MAX_CHARS))}\n`;
    bytes += Buffer.byteLength(line);
    if (bytes > NOTES_RESERVE / 2) break;
    lines.push(line);
  }
  const callout = input.plan?.offline ? 'NOTE' : 'IMPORTANT';
  const message = input.message ? `> [!${callout}]\n> ${escapeMarkdown(input.message.slice(0, NOTE_MAX_CHARS))}\n\n` : '';
  const report = input.plan
    ? renderSummaryMarkdown(input.plan, input.apply, {
        maxBytes: SUMMARY_MAX_BYTES - NOTES_RESERVE,
        command: input.command,
        ...(input.artifactHint ? { artifactHint: input.artifactHint } : {}),
      })
    : `## SMS campaigns: ${escapeMarkdown(input.command)}\n\nNo plan was made.\n\n`;
  const tail = lines.length > 0 ? `\n#### This run\n\n${lines.join('')}` : '';
  return message + report + tail;
}
