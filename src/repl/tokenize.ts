/**
 * Splits a REPL line into words the way a shell would: on spaces, with
 * `'single'` and `"double"` quotes to keep spaces in a word, and `\` escapes
 * inside double quotes and outside quotes.
 *
 * @module
 */

/** One word of a line and where it stood. */
export interface Token {
  /** The word, quotes and escapes removed. */
  readonly value: string;
  /** Index of its first character in the line. */
  readonly start: number;
}

/**
 * Splits a line into words.
 *
 * @param line One line of input.
 * @returns The words in order.
 * @throws {SyntaxError} When a quote is not closed.
 * @example Quoted words
 * ```ts
 * import { tokenize } from "./tokenize.ts";
 * tokenize(`store "my id" hello`).map((t) => t.value); // ["store", "my id", "hello"]
 * ```
 */
export function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i]!)) i++;
    if (i >= line.length) break;
    const start = i;
    let value = "";
    while (i < line.length && !/\s/.test(line[i]!)) {
      const c = line[i]!;
      if (c === "'" || c === '"') {
        const close = c;
        i++;
        while (i < line.length && line[i] !== close) {
          if (close === '"' && line[i] === "\\" && i + 1 < line.length) i++;
          value += line[i++];
        }
        if (i >= line.length) throw new SyntaxError(`Unclosed ${close} quote starting at column ${start + 1}`);
        i++;
      } else if (c === "\\" && i + 1 < line.length) {
        value += line[i + 1];
        i += 2;
      } else {
        value += c;
        i++;
      }
    }
    tokens.push({ value, start });
  }
  return tokens;
}
