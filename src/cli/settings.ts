/**
 * Settings of one command. Each comes from a flag, else from its
 * `STRONGROOM_*` environment variable, else from the saved context (for
 * the client settings of a command that takes `--context`), else from the
 * command's section of the config file, else from the file's shared
 * settings, else from its default; each is validated before anything starts, and an error names
 * the setting and where its value came from. A command reads only its own
 * settings: a flag it does not take is refused, while the environment and
 * the config file may carry settings of other commands.
 *
 * @module
 */
import { ArgvError, type FlagSpec, type GivenFlag, parseArgv } from "./args.ts";
import { type ConfigFile, DEFAULT_CONFIG_FILE, readConfigFile } from "./config-file.ts";
import { CONTEXT_SETTINGS, type ContextValues, currentContext, readContext } from "./contexts.ts";
import { UsageError } from "./errors.ts";
import { type Ambient, fallbackOf, type SettingSpec } from "./setting.ts";
import { COMMON_SETTINGS, type SettingName, SETTINGS, type Settings, specOf } from "./setting-specs.ts";
import { shellWord } from "./shell-word.ts";
import { didYouMean } from "./suggest.ts";

/** What a command is, as far as its settings go. */
export interface SettingsReader<N extends SettingName> {
  /** Its name, as typed after `strongroom`. */
  readonly name: string;
  /** Its arguments, as help shows them. @default [] */
  readonly args?: readonly string[];
  /** The settings it reads, besides {@link COMMON_SETTINGS}. */
  readonly settings: readonly N[];
}

/** What {@link readSettings} read. */
export interface ReadSettings<N extends SettingName> {
  /** The command's settings, validated. */
  readonly settings: Settings<N | (typeof COMMON_SETTINGS)[number]>;
  /** Names of the settings some source set (the others have their defaults). */
  readonly given: ReadonlySet<N | (typeof COMMON_SETTINGS)[number]>;
  /** Names of the settings a flag set. */
  readonly flagged: ReadonlySet<N | (typeof COMMON_SETTINGS)[number]>;
  /** The arguments that are not flags, in order. */
  readonly positionals: string[];
  /** The config file that was read, if any. */
  readonly configPath: string | undefined;
}

/** Every command, for the messages that name the commands a flag belongs to, and the config file's sections. */
export type CommandCatalog = readonly SettingsReader<SettingName>[];

type Source = { label: string; value: unknown };
type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads a command's flags, environment and config file into validated settings.
 *
 * @param command The command.
 * @param argv Arguments after the command's name.
 * @param env The environment.
 * @param catalog Every command. @default [command]
 * @returns The settings and the positional arguments.
 * @throws {UsageError} When a flag is not the command's or lacks its value, the config file is
 *   unreadable or has unknown keys, or a value is invalid; the message names the setting and its source.
 * @example Flags win over the environment
 * ```ts
 * import { readSettings } from "./settings.ts";
 * const command = { name: "broker", settings: ["port"] as const };
 * readSettings(command, ["--port", "7071"], { STRONGROOM_PORT: "7072", STRONGROOM_CONFIG: "" }).settings.port; // 7071
 * ```
 */
export function readSettings<N extends SettingName>(
  command: SettingsReader<N>,
  argv: readonly string[],
  env: Env,
  catalog: CommandCatalog = [command],
): ReadSettings<N> {
  const names = [...new Set<SettingName>([...command.settings, ...COMMON_SETTINGS])];
  const specs = names.map(specOf);
  const flags = parseFlags(command, specs, argv, catalog);

  const configPath = (flags.get("config")?.value as string | undefined) ?? nonEmpty(env.STRONGROOM_CONFIG);
  const file = readConfigFile(configPath ?? DEFAULT_CONFIG_FILE, configPath !== undefined, {
    command: command.name,
    settings: names,
    commands: catalog.map((c) => c.name),
  });

  const context = names.includes("context") ? contextOf(flags, env, file) : undefined;
  const ambient: Ambient = {
    get(name) {
      const spec = specOf(name as SettingName);
      const source = sourceOf(spec, new Map(), env, file, context);
      return source === undefined ? fallbackOf(spec, ambient) : validate(spec, source);
    },
  };
  const values: Record<string, unknown> = {};
  const given = new Set<string>();
  for (const spec of specs) {
    const source = sourceOf(spec, flags, env, file, context);
    if (source) given.add(spec.name);
    values[spec.name] = source === undefined ? fallbackOf(spec, ambient) : validate(spec, source);
  }
  values.config = file?.path;
  if (context) values.context = context.name;
  return {
    settings: values as Settings<N | (typeof COMMON_SETTINGS)[number]>,
    given: given as Set<N | (typeof COMMON_SETTINGS)[number]>,
    flagged: new Set([...flags.keys()]) as Set<N | (typeof COMMON_SETTINGS)[number]>,
    positionals: flags.positionals,
    configPath: file?.path,
  };
}

function parseFlags(
  command: SettingsReader<SettingName>,
  specs: readonly SettingSpec[],
  argv: readonly string[],
  catalog: CommandCatalog,
): Map<string, GivenFlag> & { positionals: string[] } {
  const flagSpecs = specs.filter((s): s is SettingSpec & FlagSpec => s.flag !== undefined);
  try {
    const { flags, positionals } = parseArgv(argv, flagSpecs);
    return Object.assign(new Map(flags), { positionals });
  } catch (error) {
    if (!(error instanceof ArgvError)) throw error;
    const taken = flagSpecs.map((s) => `--${s.flag}`);
    if (error.reason === "missing-value") {
      const spec = flagSpecs.find((s) => `--${s.flag}` === error.arg || `-${s.short}` === error.arg);
      throw new UsageError(
        `Missing value of flag "${error.arg}" of "${command.name}": give it as ${error.arg} ${spec?.placeholder ?? "VALUE"}, or as ${error.arg}=VALUE for a value that begins with a dash`,
      );
    }
    const owners = catalog.filter((c) => c.settings.some((name) => specOf(name).flag !== undefined && `--${specOf(name).flag}` === error.arg)).map((c) => `"${c.name}"`);
    const near = didYouMean(error.arg, taken);
    // Not a flag of any command, and nothing like one: most likely an argument that begins with a dash.
    const positional = owners.length === 0 && near === "" && (command.args?.length ?? 0) > 0
      ? `; to give ${JSON.stringify(error.raw)} as an argument, put it after --, as in: strongroom ${command.name} -- ${shellWord(error.raw)}`
      : "";
    const elsewhere = owners.length > 0 ? `; it is a setting of ${inWords(owners)}` : near || positional;
    throw new UsageError(
      `Unknown flag "${error.arg}" for "${command.name}"${elsewhere}; "${command.name}" takes ${taken.join(", ")} (see "strongroom ${command.name} --help")`,
    );
  }
}

// "a", "a and b", "a, b and c".
function inWords(items: readonly string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

interface Context {
  readonly name: string;
  readonly values: ContextValues;
}

// The context named by --context, STRONGROOM_CONTEXT or the config file, else the current one, if any.
function contextOf(flags: ReadonlyMap<string, GivenFlag>, env: Env, file: ConfigFile | undefined): Context | undefined {
  const source = sourceOf(specOf("context"), flags, env, file, undefined);
  const name = source === undefined ? currentContext(env) : (validate(specOf("context"), source) as string);
  return name === undefined ? undefined : { name, values: readContext(name, env) };
}

function sourceOf(spec: SettingSpec, flags: ReadonlyMap<string, GivenFlag>, env: Env, file: ConfigFile | undefined, context: Context | undefined): Source | undefined {
  const flag = flags.get(spec.name);
  if (flag) return { label: flag.label, value: flag.value };
  const fromEnv = spec.env ? nonEmpty(env[spec.env]) : undefined;
  if (fromEnv !== undefined) return { label: spec.env!, value: fromEnv };
  const held = context && (CONTEXT_SETTINGS as readonly string[]).includes(spec.name) ? context.values[spec.name as keyof ContextValues] : undefined;
  if (held !== undefined) return { label: `"${spec.name}" of context "${context!.name}"`, value: typeof held === "number" ? String(held) : held };
  if (spec.file && file && Object.hasOwn(file.section, spec.name)) return { label: `"${spec.name}" in its section of ${file.path}`, value: file.section[spec.name] };
  if (spec.file && file && Object.hasOwn(file.shared, spec.name)) return { label: `"${spec.name}" in ${file.path}`, value: file.shared[spec.name] };
  return undefined;
}

function validate(spec: SettingSpec, source: Source): unknown {
  const result = spec.parse(source.value);
  if (typeof result === "object" && result !== null && "invalid" in result) {
    throw new UsageError(`Invalid setting "${spec.name}" from ${source.label}: ${(result as { invalid: string }).invalid}`);
  }
  return result;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

/**
 * Settings as the `STRONGROOM_*` variables that carry them, so that a child
 * process started with them reads the same values.
 *
 * @param settings Settings as {@link readSettings} returns them.
 * @param names The settings to hand on (those without a variable are skipped).
 * @returns Variable names and values.
 */
export function settingsEnvironment<N extends SettingName>(settings: Settings<N>, names: Iterable<N>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of names) {
    const spec = SETTINGS[name] as SettingSpec;
    const value = settings[name] as unknown;
    if (spec.env && value !== undefined) env[spec.env] = Array.isArray(value) ? value.join(",") : String(value);
  }
  return env;
}

export { DEFAULT_CONFIG_FILE, UsageError };
