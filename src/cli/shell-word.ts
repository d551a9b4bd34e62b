/**
 * Text as one word of a POSIX shell command, for the command lines that
 * messages suggest.
 *
 * @module
 */

/**
 * Quotes text for a shell when it needs it.
 *
 * @param text Any text.
 * @returns The text as it is when it is safe, else in single quotes.
 * @example
 * ```ts
 * import { shellWord } from "./shell-word.ts";
 * shellWord("-dash"); // "-dash"
 * shellWord("it's"); // "'it'\\''s'"
 * ```
 */
export function shellWord(text: string): string {
  return /^[\w./:@%+=,-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
