/**
 * The REPL loop: reads lines (from a terminal with completion and history,
 * or piped), runs each, shows the result or one error line with its code,
 * and keeps a connection to the broker, reconnecting by itself when the
 * broker goes away and comes back.
 *
 * @module
 */
import { readdirSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { COMMAND_NAMES, runLine } from "./commands.ts";
import { HISTORY_SIZE, loadHistory, saveHistory } from "./history.ts";
import type { ReplSession } from "./session.ts";

/** Options of {@link runRepl}. */
export interface ReplOptions {
  /** The connection to the broker. */
  session: ReplSession;
  /** Where lines come from. @default process.stdin */
  input?: NodeJS.ReadableStream;
  /** Where results go. @default process.stdout */
  output?: NodeJS.WritableStream;
  /** Where error lines and notices go. @default process.stderr */
  errors?: NodeJS.WritableStream;
  /** The history file; none when absent. @default undefined */
  historyFile?: string;
  /** Whether input is a terminal (prompt, completion, line editing). @default input.isTTY */
  terminal?: boolean;
}

const PROMPT = "strongroom> ";

/**
 * Completes the word before the cursor: a command name as the first word,
 * a file name after `@`.
 *
 * @param line The line so far.
 * @returns Matches and the word they complete.
 */
export function complete(line: string): [string[], string] {
  const word = /\S*$/.exec(line)![0];
  if (word === line.trimStart()) {
    return [COMMAND_NAMES.filter((name) => name.startsWith(word)).map((name) => `${name} `), word];
  }
  if (!word.startsWith("@")) return [[], word];
  const path = word.slice(1);
  const slash = path.lastIndexOf("/");
  const dir = slash < 0 ? "." : path.slice(0, slash + 1);
  const prefix = path.slice(slash + 1);
  try {
    const entries = readdirSync(dir, { withFileTypes: true }).filter((e) => e.name.startsWith(prefix));
    const base = slash < 0 ? "" : dir;
    return [entries.map((e) => `@${base}${e.name}${e.isDirectory() ? "/" : ""}`), word];
  } catch {
    return [[], word];
  }
}

/**
 * Runs the REPL until `quit`, Ctrl-D or the end of input.
 *
 * @param options Session, streams, history file.
 * @returns The exit status: 0.
 */
export async function runRepl(options: ReplOptions): Promise<number> {
  const { session, input = process.stdin, output = process.stdout, errors = process.stderr, historyFile } = options;
  const terminal = options.terminal ?? Boolean((input as { isTTY?: boolean }).isTTY);
  const rl = createInterface({
    input,
    output,
    terminal,
    completer: complete,
    history: historyFile ? loadHistory(historyFile) : [],
    historySize: HISTORY_SIZE,
  });
  rl.setPrompt(PROMPT);
  // Taken at once so that lines piped in while the first connection is made are kept, not lost.
  const lines = rl[Symbol.asyncIterator]();

  // Notices arrive between commands (reconnects); on a terminal they must not garble the prompt.
  session.onNotice((message) => {
    if (terminal) output.write("\r\x1b[2K");
    errors.write(`${message}\n`);
    if (terminal) rl.prompt(true);
  });
  rl.on("SIGINT", () => rl.close());

  const context = {
    client: () => session.client(),
    readFile: (path: string) => readFile(path),
    writeFile: (path: string, bytes: Uint8Array) => writeFile(path, bytes),
  };
  await session.ready;
  if (terminal) {
    output.write(`strongroom at ${session.url}. Type "help" for the commands.\n`);
    rl.prompt();
  }
  for await (const line of lines) {
    if (historyFile) saveHistory(historyFile, line);
    try {
      const result = await runLine(line, context);
      if (result.output !== undefined) output.write(`${result.output}\n`);
      if (result.quit) break;
    } catch (error) {
      const code = (error as { code?: string }).code ?? "INTERNAL";
      errors.write(`error ${code}: ${(error as Error).message}\n`);
    }
    if (terminal) rl.prompt();
  }
  rl.close();
  await session.close();
  return 0;
}
