/**
 * The key of `retrieve` and `delete`, kept out of argv: from
 * `STRONGROOM_KEY`, else from stdin (`echo "$KEY" | strongroom retrieve id`),
 * read without echo when stdin is a terminal. A key given as an argument
 * still works, with a warning when stderr is a terminal: any user of the
 * machine can read a process's arguments (`ps`).
 *
 * @module
 */
import { keyFromText } from "../client/mod.ts";
import { UsageError } from "./errors.ts";

/** The longest line taken as a key from stdin, in characters: a key is 43. */
const MAX_KEY_LINE = 1024;

/**
 * Finds the key of a record.
 *
 * @param command The command, for messages.
 * @param given The key as an argument, if one was given.
 * @returns The key.
 * @throws {UsageError} When no source gives a key.
 * @throws {BadRequestError} When the text is not a key.
 */
export async function recordKey(command: string, given: string | undefined): Promise<Uint8Array> {
  if (given !== undefined) {
    if (process.stderr.isTTY) {
      process.stderr.write(
        `strongroom: warning: a key in the arguments is visible to other users of this machine (ps); pipe it in (echo "$KEY" | strongroom ${command} <id>) or set STRONGROOM_KEY\n`,
      );
    }
    return keyFromText(given);
  }
  const fromEnv = process.env.STRONGROOM_KEY;
  if (fromEnv !== undefined && fromEnv !== "") return keyFromText(fromEnv.trim());
  const text = process.stdin.isTTY ? await readHidden("Key: ") : await readFirstLine();
  if (text === "") {
    throw new UsageError(`No key for "${command}": pipe it in (echo "$KEY" | strongroom ${command} <id>), set STRONGROOM_KEY, or give it after the id`);
  }
  return keyFromText(text);
}

async function readFirstLine(): Promise<string> {
  let text = "";
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes("\n") || text.length > MAX_KEY_LINE) break;
  }
  process.stdin.destroy();
  return text.split(/\r?\n/, 1)[0]!.trim();
}

// A line typed at the terminal, not echoed; Ctrl-C ends the command as it would anywhere.
function readHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  // Echo off before the prompt shows, so that a key typed or pasted at once is not echoed either.
  stdin.setRawMode(true);
  process.stderr.write(prompt);
  stdin.setEncoding("utf8");
  return new Promise((resolve) => {
    let typed = "";
    const done = (text: string) => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write("\n");
      resolve(text.trim());
    };
    const onData = (data: string) => {
      for (const char of data) {
        if (char === "\r" || char === "\n" || char === "\u0004") return done(typed);
        if (char === "\u0003") {
          stdin.setRawMode(false);
          process.stderr.write("\n");
          process.exit(130);
        }
        if (char === "\u007f" || char === "\b") typed = typed.slice(0, -1);
        else if (typed.length < MAX_KEY_LINE) typed += char;
      }
    };
    stdin.on("data", onData);
    stdin.resume();
  });
}
