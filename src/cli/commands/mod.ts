/**
 * Every command of the `strongroom` command line, one file each, in the
 * order the overview lists them.
 *
 * @example Finding a command
 * ```ts
 * import { COMMANDS } from "./mod.ts";
 * COMMANDS.find((command) => command.name === "store")?.args; // ["<id>", "[file]"]
 * ```
 *
 * @module
 */
import { BENCH_COMMAND } from "./bench.ts";
import { BROKER_COMMAND } from "./broker.ts";
import type { Command } from "./command.ts";
import { COMPLETION_COMMAND } from "./completion.ts";
import { CONTEXT_COMMAND } from "./context.ts";
import { DELETE_COMMAND } from "./delete.ts";
import { ENCRYPTOR_COMMAND } from "./encryptor.ts";
import { REPL_COMMAND } from "./repl.ts";
import { RETRIEVE_COMMAND } from "./retrieve.ts";
import { STATUS_COMMAND } from "./status.ts";
import { STORAGE_COMMAND } from "./storage.ts";
import { STORE_COMMAND } from "./store.ts";
import { UP_COMMAND } from "./up.ts";

export { type Command, type CommandInput, defineCommand, type Taken } from "./command.ts";
export { HANDED_ON_SETTINGS } from "./up.ts";

/** A command whichever settings it reads, as the list holds it. */
// deno-lint-ignore no-explicit-any -- each command's `run` takes its own settings; the list holds them all.
export type AnyCommand = Command<any>;

/** Every command. */
export const COMMANDS: readonly AnyCommand[] = [
  UP_COMMAND,
  BROKER_COMMAND,
  ENCRYPTOR_COMMAND,
  STORAGE_COMMAND,
  STORE_COMMAND,
  RETRIEVE_COMMAND,
  DELETE_COMMAND,
  REPL_COMMAND,
  STATUS_COMMAND,
  BENCH_COMMAND,
  CONTEXT_COMMAND,
  COMPLETION_COMMAND,
];
