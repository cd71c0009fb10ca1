/**
 * Any text for the step's log, made one line that the runner cannot read as a workflow command. The runner takes a
 * line starting with `::` or `##[` (after blanks) as a command, so external text (an OVH error with a newline and
 * `::add-mask::`, a file's content) must neither break the line nor start it with a prefix. Line breaks and `%` are
 * escaped as the runner escapes command values (%0A, %0D, %25).
 */
export function logLine(text: string): string {
  return text
    .replace(/%/g, '%25')
    .replace(/\r/g, '%0D')
    .replace(/\n/g, '%0A')
    .replace(/[\u0085\u2028\u2029]/g, ' ')
    .replace(/^(\s*)([:#])(?=:|#\[)/, (_match, blanks: string, first: string) => `${blanks}${first === ':' ? '%3A' : '%23'}`);
}

/** Only the parts a runner could read as a workflow command. */
const UNSAFE_LINE = /[\r\u0085\u2028\u2029]|^\s*(?:::|##\[)/;

/**
 * Multi-line text for a log (the CLI's output inside a workflow step): each line that the runner could take as a
 * workflow command, or that holds a carriage return or another line separator, goes through logLine; the other lines
 * are kept as they are, so that an ordinary "66.7%" is not shown as "66.7%25".
 */
export function logText(text: string): string {
  return text
    .split('\n')
    .map((line) => (UNSAFE_LINE.test(line) ? logLine(line) : line))
    .join('\n');
}
