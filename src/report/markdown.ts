import type { Problem } from '../campaign/types.js';
import { maskPhoneNumbersInText } from '../recipients/index.js';

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  // Entities rather than backslashes: GitHub would otherwise turn these into mentions and issue links.
  '@': '&#64;',
  '#': '&#35;',
};

/**
 * Makes text taken from campaign files or OVH safe inside a Markdown table cell or list item:
 * no HTML, no Markdown formatting, no table-breaking pipes or newlines, no mentions, no links, no full phone numbers.
 */
export function escapeMarkdown(text: string): string {
  return (
    maskPhoneNumbersInText(text)
      .replace(/\r\n|\r|\n/g, ' ')
      .replace(/[&<>"@#]/g, (char) => HTML_ENTITIES[char] ?? char)
      .replace(/[\\`*_[\]|~]/g, '\\$&')
      // `www.shop.fr`, `shop.fr`, `https://…`: GitHub would make a link of them; an entity splits the text it scans.
      // The extensions of this tool's own files stay as written, for readable paths.
      .replace(/(?<=[\p{L}\p{N}])\.(?=[\p{L}\p{N}])(?!(?:ya?ml|csv|json|md)\b)|:(?=\/\/)/giu, (char) => (char === '.' ? '&#46;' : '&#58;'))
  );
}

/** `file:line:column` as editors understand it, escaped. */
export function formatLocation(problem: Problem): string {
  let location = problem.file;
  if (problem.line !== null) {
    location += `:${problem.line}`;
    if (problem.column !== null) location += `:${problem.column}`;
  }
  return escapeMarkdown(location);
}

export function formatProblem(problem: Problem): string {
  const field = problem.field ? ` (${escapeMarkdown(problem.field)})` : '';
  return `**${formatLocation(problem)}**${field}: ${escapeMarkdown(problem.message)}`;
}

export function tableRow(cells: string[]): string {
  return `| ${cells.join(' | ')} |\n`;
}

export function tableHeader(titles: string[], alignments: ('left' | 'right')[]): string {
  const rule = alignments.map((alignment) => (alignment === 'right' ? '---:' : '---'));
  return tableRow(titles) + tableRow(rule);
}

export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : value.toLocaleString('en-US');
}

/**
 * Collects Markdown up to a size limit. Once a piece does not fit, every later piece is dropped and counted,
 * so the document stays a prefix of the full report plus one closing notice.
 */
export class BoundedMarkdown {
  private readonly pieces: string[] = [];
  private size = 0;
  private omitted = 0;

  constructor(
    private readonly limit: number,
    private readonly measure: (text: string) => number,
  ) {}

  get truncated(): boolean {
    return this.omitted > 0;
  }

  /** Adds the text if it fits; returns whether it was added. */
  add(text: string): boolean {
    if (this.omitted > 0) {
      this.omitted += 1;
      return false;
    }
    const size = this.measure(text);
    if (this.size + size > this.limit) {
      this.omitted = 1;
      return false;
    }
    this.pieces.push(text);
    this.size += size;
    return true;
  }

  /** The document, closed by `notice(omitted)` when something was dropped. */
  finish(notice: (omitted: number) => string): string {
    const body = this.pieces.join('');
    return this.omitted > 0 ? body + notice(this.omitted) : body;
  }
}

export const measureBytes = (text: string): number => Buffer.byteLength(text, 'utf8');
/** UTF-16 units: never fewer than the characters GitHub counts. */
export const measureChars = (text: string): number => text.length;
