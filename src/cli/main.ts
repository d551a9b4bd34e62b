/**
 * The `strongroom` command line: finds the command, reads its settings,
 * runs it, and turns a failure into one line on stderr and an exit status.
 *
 * @module
 */
import { StrongroomError } from "../protocol/wire/mod.ts";
import { PartExitError } from "./child.ts";
import { type AnyCommand, COMMANDS } from "./commands/mod.ts";
import { CommandLineError, fileProblem, isFileError, UsageError } from "./errors.ts";
import { EXIT_CODES, type ExitName } from "./exit-codes.ts";
import { commandHelp, overview } from "./help.ts";
import { readSettings } from "./settings.ts";
import { didYouMean } from "./suggest.ts";
import { version } from "./version.ts";

/**
 * Runs the command line.
 *
 * @param argv The arguments after the program's name.
 * @param env The environment. @default process.env
 * @returns The exit status: 0 once a command that keeps running is up.
 * @example
 * ```ts
 * import { main } from "./main.ts";
 * const status = await main(["--help"]);
 * ```
 */
export async function main(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(overview(COMMANDS));
    return name === undefined ? EXIT_CODES.USAGE : EXIT_CODES.OK;
  }
  if (name === "--version" || name === "version") {
    process.stdout.write(`strongroom ${version()}\n`);
    return EXIT_CODES.OK;
  }
  const json = rest.includes("--json");
  try {
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) {
      if (name.startsWith("-")) throw new UsageError(`Unknown flag "${name}" before a command${didYouMean(name, ["--help", "--version"])}: flags go after the command (see "strongroom --help")`);
      const names = COMMANDS.map((c) => c.name);
      throw new UsageError(`Unknown command "${name}"${didYouMean(name, names)}: the commands are ${names.join(", ")} (see "strongroom --help")`);
    }
    const { settings, given, flagged, positionals } = readSettings(command, rest, env, COMMANDS);
    if (settings.help) {
      process.stdout.write(commandHelp(command));
      return EXIT_CODES.OK;
    }
    checkArity(command, positionals);
    // A flag's value is in the process's arguments, which every user of the machine can read.
    if (flagged.has("token") && process.stderr.isTTY) {
      process.stderr.write("strongroom: warning: a token given as --token is visible to other users of this machine (ps); set STRONGROOM_TOKEN or give --token-file FILE\n");
    }
    await command.run({ settings, given, flagged, args: positionals });
    return EXIT_CODES.OK;
  } catch (error) {
    return fail(error, json);
  }
}

function checkArity(command: AnyCommand, positionals: readonly string[]): void {
  const min = command.args.filter((a) => a.startsWith("<")).length;
  const max = command.args.length;
  if (positionals.length >= min && positionals.length <= max) return;
  // The arguments themselves are not shown: one of them may be a key.
  const takes = max === 0 ? "no arguments" : command.args.join(" ");
  throw new UsageError(
    `"${command.name}" takes ${takes}, not ${positionals.length} argument${positionals.length === 1 ? "" : "s"}: run "strongroom ${command.name} --help"`,
  );
}

function fail(error: unknown, json: boolean): number {
  const [code, message, status] = describeFailure(error);
  process.stderr.write(json ? `${JSON.stringify({ error: { code, message, exit: status } })}\n` : `strongroom: ${code}: ${message}\n`);
  return status;
}

function describeFailure(error: unknown): [string, string, number] {
  if (error instanceof CommandLineError) return [error.exit, error.message, EXIT_CODES[error.exit]];
  // A file operation that no command put in its own words: still a local file, never INTERNAL.
  if (isFileError(error)) {
    const path = error.path === undefined ? "" : ` "${error.path}"`;
    return ["LOCAL_FILE", `Cannot use${path}: ${fileProblem(error)}`, EXIT_CODES.LOCAL_FILE];
  }
  if (error instanceof StrongroomError) return [error.code, error.message, EXIT_CODES[error.code]];
  if (error instanceof PartExitError) {
    // A part the launcher started that refused to start: its status when it names an error class.
    const named = (Object.entries(EXIT_CODES) as [ExitName, number][]).find(([name, status]) => status === error.status && name !== "OK");
    const message = `${error.message}; its own message is above`;
    return named ? [named[0], message, named[1]] : ["INTERNAL", message, EXIT_CODES.INTERNAL];
  }
  return ["INTERNAL", error instanceof Error ? error.message : String(error), EXIT_CODES.INTERNAL];
}
