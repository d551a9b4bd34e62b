/**
 * What a command of the `strongroom` command line is: its name, the
 * arguments and settings it takes, its help, and what it runs. Each
 * command is one file of this folder, built with {@link defineCommand}.
 *
 * @module
 */
import type { COMMON_SETTINGS, SettingName, Settings } from "../setting-specs.ts";

/** The names of the settings a command gets: its own and the common ones. */
export type Taken<N extends SettingName> = N | (typeof COMMON_SETTINGS)[number];

/** What a command runs with. */
export interface CommandInput<N extends SettingName> {
  /** Its settings, validated. */
  readonly settings: Settings<Taken<N>>;
  /** Names of the settings some source set (the others have their defaults). */
  readonly given: ReadonlySet<Taken<N>>;
  /** Names of the settings a flag set. */
  readonly flagged: ReadonlySet<Taken<N>>;
  /** Its arguments, as many as {@link Command.args} allows. */
  readonly args: readonly string[];
}

/** One command. */
export interface Command<N extends SettingName = SettingName> {
  /** Its name, as typed after `strongroom`. */
  readonly name: string;
  /** Its arguments as help shows them, such as `["<id>", "[file]"]`; one in brackets is optional. */
  readonly args: readonly string[];
  /** One line for the overview and its help. */
  readonly summary: string;
  /** The settings it reads, in the order its help lists them; `config`, `json` and `help` go without saying. */
  readonly settings: readonly N[];
  /** Command lines that show it in use. */
  readonly examples: readonly string[];
  /** More to say in its help, paragraph by paragraph. @default [] */
  readonly notes?: readonly string[];
  /**
   * Runs it. A long-running command (a part, the launcher) resolves once it
   * is up; its sockets and signal handlers keep the process alive.
   */
  run(input: CommandInput<N>): Promise<void>;
}

/**
 * Declares a command, inferring the names of its settings so that `run`
 * gets them typed.
 *
 * @param command The command.
 * @returns The same command.
 * @example
 * ```ts
 * import { defineCommand } from "./command.ts";
 * const hello = defineCommand({
 *   name: "hello",
 *   args: [],
 *   summary: "Say hello to the broker",
 *   settings: ["url"],
 *   examples: ["strongroom hello"],
 *   async run({ settings }) {
 *     console.log(`hello, ${settings.url}`);
 *   },
 * });
 * ```
 */
export function defineCommand<const N extends SettingName>(command: Command<N>): Command<N> {
  return command;
}
