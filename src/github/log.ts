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
