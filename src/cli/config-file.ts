/**
 * The config file: a JSON object of settings by name, shared by every
 * command, and optional sections by command name whose settings apply to
 * that command alone:
 *
 * ```json
 * { "url": "wss://vault.example:7070", "timeout": 5000, "bench": { "duration": 10000 } }
 * ```
 *
 * A shared key may be a setting of any command (one file serves the
 * launcher and the clients); a key that no command reads is refused, as is
 * a key in a command's section that this command does not read, so that a
 * typo is never ignored.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { fileProblem, LocalFileError, UsageError } from "./errors.ts";
import { SETTING_SPECS } from "./setting-specs.ts";
import { didYouMean } from "./suggest.ts";

/** Where the config file is looked for when neither `--config` nor `STRONGROOM_CONFIG` names one. */
export const DEFAULT_CONFIG_FILE = "strongroom.json";

/** A config file as read: where, its shared settings, and the section of the command that reads it. */
export interface ConfigFile {
  /** Its path. */
  readonly path: string;
  /** The shared settings by name. */
  readonly shared: Readonly<Record<string, unknown>>;
  /** The settings of the command's own section by name. */
  readonly section: Readonly<Record<string, unknown>>;
}

/** The command reading the file: its name, the settings it reads, and the names of every command. */
export interface ConfigReader {
  readonly command: string;
  readonly settings: readonly string[];
  readonly commands: readonly string[];
}

/**
 * Reads the config file.
 *
 * @param path Its path.
 * @param required Whether a missing file is an error (it was named) or no file (the default one).
 * @param reader The command reading it.
 * @returns The file, or `undefined` when an optional one is missing.
 * @throws {LocalFileError} When a file that was named cannot be read.
 * @throws {UsageError} When it is not a JSON object, or has a key it should not.
 */
export function readConfigFile(path: string, required: boolean, reader: ConfigReader): ConfigFile | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!required && code === "ENOENT") return undefined;
    throw new LocalFileError(`Cannot read config file "${path}": ${fileProblem(error)}`, { cause: error });
  }
  let values: unknown;
  try {
    values = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`Cannot read config file "${path}": not valid JSON (${(error as Error).message})`);
  }
  if (!isObject(values)) throw new UsageError(`Cannot read config file "${path}": expected a JSON object of settings`);
  const known = SETTING_SPECS.filter((s) => s.file).map((s) => s.name);
  const shared: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (reader.commands.includes(key)) {
      if (!isObject(value)) throw new UsageError(`Invalid section "${key}" in config file "${path}": expected a JSON object of settings`);
      continue;
    }
    if (!known.includes(key)) {
      throw new UsageError(`Unknown setting "${key}" in config file "${path}"${didYouMean(key, [...known, ...reader.commands])}: known settings are ${known.join(", ")}, and sections by command name`);
    }
    shared[key] = value;
  }
  const section = (values[reader.command] ?? {}) as Record<string, unknown>;
  const own = reader.settings.filter((name) => known.includes(name));
  for (const key of Object.keys(section)) {
    if (!own.includes(key)) {
      throw new UsageError(
        `Unknown setting "${key}" in section "${reader.command}" of config file "${path}"${didYouMean(key, own)}: "${reader.command}" reads ${own.join(", ")}`,
      );
    }
  }
  return { path, shared, section };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
