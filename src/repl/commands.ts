/**
 * The REPL's commands: each line is split into words and run against the
 * client. Output is text for people; errors are thrown for the loop to show.
 *
 * @module
 */
import { formatActors, formatStats } from "../cli/status.ts";
import { keyFromText, keyToText, type StrongroomClient } from "../client/mod.ts";
import { showBytes } from "./format.ts";
import { type Token, tokenize } from "./tokenize.ts";

/** What the commands need from the session. */
export interface ReplContext {
  /** The connected client; throws `UNAVAILABLE` while there is none. */
  client(): StrongroomClient;
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, bytes: Uint8Array): Promise<void>;
}

/** The outcome of one line. */
export interface LineResult {
  /** Text to show, if any. */
  output?: string;
  /** Whether the session should end. */
  quit?: boolean;
}

/** A line the REPL cannot run as typed. */
export class ReplUsageError extends Error {
  /** Shown like a protocol code, so that every error line looks the same. */
  readonly code = "USAGE";
  constructor(message: string) {
    super(message);
    this.name = "ReplUsageError";
  }
}

interface Command {
  usage: string;
  summary: string;
  run(args: Token[], line: string, context: ReplContext): Promise<LineResult>;
}

function expect(args: Token[], min: number, max: number, usage: string): void {
  if (args.length < min || args.length > max) throw new ReplUsageError(`Usage: ${usage}`);
}

/** The commands by name. */
export const COMMANDS: Readonly<Record<string, Command>> = {
  store: {
    usage: "store <id> <text|@file>",
    summary: "Encrypt and store text (or a file's bytes) under an id; shows the key",
    async run(args, line, context) {
      if (args.length < 3) throw new ReplUsageError(`Usage: ${this.usage}`);
      const [, id, first] = args as [Token, Token, Token];
      let payload: Uint8Array;
      if (args.length === 3 && first.value.startsWith("@")) {
        payload = await context.readFile(first.value.slice(1));
      } else {
        // The text is the rest of the line as typed, or the one quoted word.
        payload = new TextEncoder().encode(args.length === 3 ? first.value : line.slice(first.start).trimEnd());
      }
      const key = await context.client().store(id.value, payload);
      return { output: `key ${keyToText(key)} (${payload.length} bytes stored)` };
    },
  },
  retrieve: {
    usage: "retrieve <id> <key> [> file]",
    summary: "Fetch and decrypt a record; text is shown, binary as a hex preview, or all written to a file",
    async run(args, _line, context) {
      const redirect = args.findIndex((t) => t.value === ">" || t.value.startsWith(">"));
      const target = redirect < 0 ? undefined : args[redirect]!.value === ">" ? args[redirect + 1]?.value : args[redirect]!.value.slice(1);
      const words = redirect < 0 ? args : args.slice(0, redirect);
      expect(words, 3, 3, this.usage);
      if (redirect >= 0 && (!target || args.length > redirect + (args[redirect]!.value === ">" ? 2 : 1))) {
        throw new ReplUsageError(`Usage: ${this.usage}`);
      }
      const payload = await context.client().retrieve(words[1]!.value, keyFromText(words[2]!.value));
      if (target) {
        await context.writeFile(target, payload);
        return { output: `wrote ${payload.length} bytes to ${target}` };
      }
      return { output: showBytes(payload) };
    },
  },
  delete: {
    usage: "delete <id> <key>",
    summary: "Delete a record",
    async run(args, _line, context) {
      expect(args, 3, 3, this.usage);
      await context.client().delete(args[1]!.value, keyFromText(args[2]!.value));
      return { output: "deleted" };
    },
  },
  actors: {
    usage: "actors",
    summary: "List the actors registered with the broker",
    async run(args, _line, context) {
      expect(args, 1, 1, this.usage);
      return { output: formatActors(await context.client().actors()).trimEnd() };
    },
  },
  stats: {
    usage: "stats",
    summary: "Show the broker's figures",
    async run(args, _line, context) {
      expect(args, 1, 1, this.usage);
      return { output: formatStats(await context.client().stats()).trimEnd() };
    },
  },
  help: {
    usage: "help",
    summary: "List the commands",
    async run() {
      const width = Math.max(...Object.values(COMMANDS).map((c) => c.usage.length));
      const lines = Object.values(COMMANDS).map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`);
      return { output: ["Commands:", ...lines, "Keys are shown and taken as unpadded base64url; quote words with spaces."].join("\n") };
    },
  },
  quit: {
    usage: "quit",
    summary: "Leave (also: exit, Ctrl-D)",
    async run() {
      return { quit: true };
    },
  },
};

/** Names the REPL completes with Tab. */
export const COMMAND_NAMES: readonly string[] = [...Object.keys(COMMANDS), "exit"];

/**
 * Runs one line.
 *
 * @param line What the user typed.
 * @param context The session's client and files.
 * @returns Output to show and whether to quit.
 * @throws {ReplUsageError} When the line is not a valid command.
 * @throws {StrongroomError} When the service answers an error.
 */
export async function runLine(line: string, context: ReplContext): Promise<LineResult> {
  let args: Token[];
  try {
    args = tokenize(line);
  } catch (error) {
    throw new ReplUsageError((error as Error).message);
  }
  const name = args[0]?.value;
  if (name === undefined) return {};
  const command = name === "exit" ? COMMANDS.quit : Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) throw new ReplUsageError(`Unknown command "${name}": type "help" for the list`);
  return command.run(args, line, context);
}
