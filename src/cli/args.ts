/**
 * Splits a command's arguments into flags and positional arguments, by the
 * flags the command takes: `--name value`, `--name=value`, `-h`, and `--`
 * to end the flags. An argument of a record key's shape is positional even
 * when it begins with a dash, as one printed key in 64 does.
 *
 * @module
 */

/** A flag a command takes. */
export interface FlagSpec {
  /** The setting the flag sets. */
  readonly name: string;
  /** The flag, without its dashes. */
  readonly flag: string;
  /** One-letter alias. */
  readonly short?: string;
  /** Whether it takes no value. */
  readonly boolean?: boolean;
}

/** A flag as given: how it was written, and its value. */
export interface GivenFlag {
  /** As written, such as `--port`. */
  readonly label: string;
  /** Its value; `true` for a flag that takes none. */
  readonly value: string | boolean;
}

/** What {@link parseArgv} found. */
export interface ParsedArgv {
  /** Flags by the setting they set; the last one given wins. */
  readonly flags: ReadonlyMap<string, GivenFlag>;
  /** The other arguments, in order. */
  readonly positionals: string[];
}

/** A record key as the command line prints it when it begins with "-": never a flag. */
export const KEY_SHAPED = /^-[A-Za-z0-9_-]{42}$/;

/** An argument {@link parseArgv} cannot place. */
export class ArgvError extends Error {
  /** The argument. */
  readonly arg: string;
  /** The argument as given, with any `=value`. */
  readonly raw: string;
  /** Why: a flag the command does not take, or a flag without its value. */
  readonly reason: "unknown" | "missing-value";

  /**
   * @param arg The flag, without any `=value`.
   * @param reason Why it cannot be placed.
   * @param raw The argument as given. @default arg
   */
  constructor(arg: string, reason: ArgvError["reason"], raw: string = arg) {
    super(`Cannot place argument ${JSON.stringify(arg)}: ${reason}`);
    this.name = "ArgvError";
    this.arg = arg;
    this.raw = raw;
    this.reason = reason;
  }
}

/**
 * Splits arguments into flags and positional arguments.
 *
 * @param argv The arguments after the command's name.
 * @param specs The flags the command takes.
 * @returns Flags and positional arguments.
 * @throws {ArgvError} For a flag the command does not take, or one without its value.
 * @example
 * ```ts
 * import { parseArgv } from "./args.ts";
 * const { flags, positionals } = parseArgv(["id", "--url=ws://h:1", "--", "-f"], [{ name: "url", flag: "url" }]);
 * flags.get("url")?.value; // "ws://h:1"
 * positionals; // ["id", "-f"]
 * ```
 */
export function parseArgv(argv: readonly string[], specs: readonly FlagSpec[]): ParsedArgv {
  const byFlag = new Map<string, FlagSpec>();
  for (const spec of specs) {
    byFlag.set(`--${spec.flag}`, spec);
    if (spec.short) byFlag.set(`-${spec.short}`, spec);
  }
  const flags = new Map<string, GivenFlag>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-" || KEY_SHAPED.test(arg)) {
      positionals.push(arg);
      continue;
    }
    const equals = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const label = equals > 0 ? arg.slice(0, equals) : arg;
    const spec = byFlag.get(label);
    if (!spec) throw new ArgvError(label, "unknown", arg);
    if (spec.boolean) {
      flags.set(spec.name, { label, value: equals > 0 ? arg.slice(equals + 1) : true });
      continue;
    }
    if (equals > 0) {
      flags.set(spec.name, { label, value: arg.slice(equals + 1) });
      continue;
    }
    const value = argv[i + 1];
    // A value that looks like a flag is more likely a forgotten value; `--flag=-value` says it is one.
    if (value === undefined || (value.startsWith("-") && value !== "-" && !KEY_SHAPED.test(value))) throw new ArgvError(label, "missing-value");
    flags.set(spec.name, { label, value });
    i++;
  }
  return { flags, positionals };
}
