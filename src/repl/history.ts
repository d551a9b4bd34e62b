/**
 * The REPL's history file. Lines are kept across sessions, but never a key
 * or a payload: `store`, `retrieve` and `delete` are written with their id
 * only, the other commands (which take no arguments) as their name only, and
 * a line that is no command (a mistyped one, a pasted key) not at all, so
 * that the file holds nothing that opens a record.
 *
 * @module
 */
import { appendFileSync, readFileSync } from "node:fs";
import { COMMAND_NAMES } from "./commands.ts";
import { tokenize } from "./tokenize.ts";

/** Most lines read back from the history file. */
export const HISTORY_SIZE = 1000;
const REDACTED = new Set(["store", "retrieve", "delete"]);

/**
 * The form of a line that may go to disk.
 *
 * @param line A line the user entered.
 * @returns The command and, for record commands, its id; `undefined` for blank lines and unknown commands.
 */
export function historyLine(line: string): string | undefined {
  let tokens;
  try {
    tokens = tokenize(line);
  } catch {
    return undefined;
  }
  const [command, id] = tokens;
  if (!command) return undefined;
  if (!REDACTED.has(command.value)) return COMMAND_NAMES.includes(command.value) ? command.value : undefined;
  return id ? `${command.value} ${JSON.stringify(id.value)}` : command.value;
}

/**
 * Reads the history file, newest line first, as readline wants it.
 *
 * @param path The history file.
 * @returns Up to {@link HISTORY_SIZE} lines; none when the file does not exist.
 */
export function loadHistory(path: string): string[] {
  try {
    return readFileSync(path, "utf8").split("\n").filter(Boolean).slice(-HISTORY_SIZE).reverse();
  } catch {
    return [];
  }
}

/**
 * Appends a line, redacted, to the history file. A file that cannot be
 * written costs the history, never the session.
 *
 * @param path The history file.
 * @param line The line the user entered.
 */
export function saveHistory(path: string, line: string): void {
  const kept = historyLine(line);
  if (kept === undefined) return;
  try {
    appendFileSync(path, `${kept}\n`, { mode: 0o600 });
  } catch {
    // The session goes on without history.
  }
}
