/**
 * Settings of the command line. Each comes from a flag, else from its
 * `STRONGROOM_*` environment variable, else from the config file, else from
 * its default, and every one is validated before anything starts; an error
 * names the setting and where its value came from.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { BrokerSettings } from "./broker-settings.ts";
import type { LogLevel } from "./console-logger.ts";
import type { Runtime } from "./runtime.ts";
import { type SettingSpec, SETTING_SPECS } from "./setting-specs.ts";

/** Every setting the command line knows, after validation. */
export interface Settings extends BrokerSettings {
  /** Broker URL for clients and actors. */
  url: string;
  /** Interface the broker listens on. */
  host: string;
  /** Port the broker listens on. */
  port: number;
  /** Data directory of the storage actor. */
  data: string;
  /** Client token. */
  token: string | undefined;
  /** Actor secret; never taken from a flag or file, so that it shows neither in `ps` nor on disk. */
  actorSecret: string | undefined;
  /** Encryptor processes the launcher starts. */
  encryptors: number;
  /** Runtime of the parts the launcher starts; the launcher's own when absent. */
  runtime: Runtime | undefined;
  /** Time budget of a call, in ms. */
  timeout: number;
  /** Least severe log line a part writes. */
  log: LogLevel;
  /** Machine-readable output. */
  json: boolean;
  /** Show help. */
  help: boolean;
  /** Path of the config file that was read, if any. */
  config: string | undefined;
  /** Bench: payload sizes, in bytes. */
  sizes: number[];
  /** Bench: requests in flight of each step. */
  inFlight: number[];
  /** Bench: measured time of each step, in ms. */
  duration: number;
  /** Bench: warm-up before each step, in ms. */
  warmup: number;
  /** Bench: items per batch of the batch steps; 0 skips them. */
  batch: number;
  /** Bench: payload bytes of each item of the batch steps. */
  batchSize: number;
  /** Size at which the storage actor starts a new segment file, in bytes. */
  segmentBytes: number;
  /** Dead bytes in sealed segments that start a compaction. */
  compactBytes: number;
  /** Names of the settings some source set (the others have their defaults). */
  given: ReadonlySet<string>;
}

/** A setting the command line cannot use; the message names it. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** A record key as the command line prints it when it begins with "-": never a cluster of short options. */
const KEY_SHAPED = /^-[A-Za-z0-9_-]{42}$/;

/** Where the config file is looked for when neither `--config` nor `STRONGROOM_CONFIG` names one. */
export const DEFAULT_CONFIG_FILE = "strongroom.json";

type Source = { kind: "flag" | "env" | "file"; label: string; value: unknown };

/**
 * Reads flags, environment and config file into validated settings.
 *
 * @param argv Arguments after the command name.
 * @param env The environment.
 * @returns The settings and the positional arguments.
 * @throws {UsageError} When a flag is unknown, the config file is unreadable or has unknown
 *   keys, or a value is invalid; the message names the setting and its source.
 * @example Flags win over the environment
 * ```ts
 * import { readSettings } from "./settings.ts";
 * readSettings(["--port", "7071"], { STRONGROOM_PORT: "7072" }).settings.port; // 7071
 * ```
 */
export function readSettings(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): { settings: Settings; positionals: string[] } {
  const options: Record<string, { type: "string" | "boolean"; short?: string }> = {};
  for (const spec of SETTING_SPECS) {
    if (spec.flag) options[spec.flag] = { type: spec.boolean ? "boolean" : "string", ...(spec.short ? { short: spec.short } : {}) };
  }
  // Keys are printed as base64url, which may begin with "-": an argument of a key's shape is
  // held out of the parser behind a placeholder (argv never holds NUL), then put back.
  const held: string[] = [];
  const args = argv.map((arg) => (KEY_SHAPED.test(arg) ? `\0${held.push(arg) - 1}` : arg));
  const restore = <T>(value: T): T | string => (typeof value === "string" && value.startsWith("\0") ? held[Number(value.slice(1))]! : value);
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const flags = Object.fromEntries(Object.entries(parsed.values).map(([name, value]) => [name, restore(value)])) as Record<
    string,
    string | boolean | undefined
  >;

  const configPath = (flags.config as string | undefined) ?? nonEmpty(env.STRONGROOM_CONFIG);
  const file = readConfigFile(configPath ?? DEFAULT_CONFIG_FILE, configPath !== undefined);

  const values: Record<string, unknown> = {};
  const given = new Set<string>();
  for (const spec of SETTING_SPECS) {
    const source = sourceOf(spec, flags, env, file);
    if (source) given.add(spec.name);
    values[spec.name] = source === undefined ? spec.fallback : validate(spec, source);
  }
  values.given = given;
  values.config = file ? file.path : undefined;
  const host = values.host as string;
  values.url ??= `ws://${host.includes(":") ? `[${host}]` : host}:${values.port as number}`;
  return { settings: values as unknown as Settings, positionals: parsed.positionals.map(restore) };
}

function sourceOf(
  spec: SettingSpec,
  flags: Record<string, string | boolean | undefined>,
  env: Readonly<Record<string, string | undefined>>,
  file: { path: string; values: Record<string, unknown> } | undefined,
): Source | undefined {
  if (spec.flag && flags[spec.flag] !== undefined) return { kind: "flag", label: `--${spec.flag}`, value: flags[spec.flag] };
  const fromEnv = spec.env ? nonEmpty(env[spec.env]) : undefined;
  if (fromEnv !== undefined) return { kind: "env", label: spec.env!, value: fromEnv };
  if (spec.file && file && Object.hasOwn(file.values, spec.name)) {
    return { kind: "file", label: `"${spec.name}" in ${file.path}`, value: file.values[spec.name] };
  }
  return undefined;
}

function validate(spec: SettingSpec, source: Source): unknown {
  const result = spec.parse(source.value);
  if (typeof result === "object" && result !== null && "invalid" in result) {
    throw new UsageError(`Invalid setting "${spec.name}" from ${source.label}: ${result.invalid}`);
  }
  return result;
}

function readConfigFile(path: string, required: boolean): { path: string; values: Record<string, unknown> } | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if (!required && (error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new UsageError(`Cannot read config file "${path}": ${(error as Error).message}`);
  }
  let values: unknown;
  try {
    values = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`Cannot read config file "${path}": not valid JSON (${(error as Error).message})`);
  }
  if (typeof values !== "object" || values === null || Array.isArray(values)) {
    throw new UsageError(`Cannot read config file "${path}": expected a JSON object of settings`);
  }
  const known = new Set(SETTING_SPECS.filter((s) => s.file).map((s) => s.name));
  for (const key of Object.keys(values)) {
    if (!known.has(key)) {
      throw new UsageError(`Unknown setting "${key}" in config file "${path}": known settings are ${[...known].join(", ")}`);
    }
  }
  return { path, values: values as Record<string, unknown> };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

/**
 * The settings some source set, as the `STRONGROOM_*` variables that carry
 * them, so that a child process started with them reads the same values.
 *
 * @param settings Settings as {@link readSettings} returns them.
 * @returns Variable names and values.
 */
export function settingsEnvironment(settings: Settings): Record<string, string> {
  const env: Record<string, string> = {};
  for (const spec of SETTING_SPECS) {
    if (!spec.env || !settings.given.has(spec.name)) continue;
    const value = (settings as unknown as Record<string, unknown>)[spec.name];
    if (value !== undefined) env[spec.env] = Array.isArray(value) ? value.join(",") : String(value);
  }
  return env;
}
