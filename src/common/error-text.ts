/** The one way an error becomes text for people: its message, or the thrown value itself when it is not an Error. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
